"""What every response to a signed-in user carries: no caching, and the signed marker that
lets a note typed just after the session expired be kept."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse


class NoStoreForSignedInMiddleware:
    """A page for a signed-in user (drafts, restricted items, who may do what) is never kept
    by the browser's history cache or a shared cache: ``Cache-Control: no-store, private``.

    A response that sets its own Cache-Control keeps it: the stored PDF for staff is
    ``private`` with a lifetime, and a published (public) file may be cached by anyone.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not response.has_header("Cache-Control"):
            response["Cache-Control"] = "no-store, private"
        return response


# A browser that was signed in recently carries this signed cookie (the user's id, signed
# with the secret key and timestamped). After the session expires, it is what lets the item
# editor keep the text posted by that browser until it signs in again; a visitor who was
# never signed in has none, so their posts store nothing (meetings/views/agenda.py).
SIGNED_IN_MARKER_COOKIE = "scrutiny_signed_in"
_MARKER_SALT = "meetings.unsaved-text"
_MARKER_REFRESH = 60 * 60  # seconds: re-signed at most once an hour


def _marker_max_age() -> int:
    """Valid for the session's own age and a day more (a tab left open overnight)."""
    return settings.SESSION_COOKIE_AGE + 24 * 60 * 60


def signed_in_before(request: HttpRequest) -> int | None:
    """The id of the user this browser was signed in as recently, from the signed marker."""
    value = request.get_signed_cookie(
        SIGNED_IN_MARKER_COOKIE, default=None, salt=_MARKER_SALT, max_age=_marker_max_age()
    )
    return int(value) if value and value.isdigit() else None


class SignedInMarkerMiddleware:
    """Set the signed marker of ``signed_in_before`` on responses to a signed-in user."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return response
        current = request.get_signed_cookie(
            SIGNED_IN_MARKER_COOKIE, default=None, salt=_MARKER_SALT, max_age=_MARKER_REFRESH
        )
        if current != str(user.pk):
            response.set_signed_cookie(
                SIGNED_IN_MARKER_COOKIE,
                str(user.pk),
                salt=_MARKER_SALT,
                # A browser-session cookie when sessions end with the browser.
                max_age=None if settings.SESSION_EXPIRE_AT_BROWSER_CLOSE else _marker_max_age(),
                secure=settings.SESSION_COOKIE_SECURE,
                httponly=True,
                samesite="Lax",
            )
        return response

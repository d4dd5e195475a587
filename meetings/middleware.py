"""What every response to a signed-in user carries."""

from __future__ import annotations

from collections.abc import Callable

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

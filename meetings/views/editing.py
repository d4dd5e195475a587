"""What the editing views share: service errors on the form, an edit that conflicts with a save
made meanwhile, deleting after a confirmation, and restoring what was deleted."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.forms import Form
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render

from scrutiny import cache as keys

from ..models import Meeting


def apply_service_errors(form: Form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


def conflict_response(
    request: HttpRequest,
    *,
    form: Form,
    meeting: Meeting,
    theirs: Mapping[str, Any],
    yours: Mapping[str, Any],
    labels: Mapping[str, str],
    template: str,
    context: Mapping[str, Any],
) -> HttpResponse:
    """Re-show the user's form (their text kept) beside the version saved meanwhile (409)."""
    changed = [
        {"label": labels[name], "theirs": theirs[name], "yours": yours.get(name)}
        for name in labels
        if theirs[name] != yours.get(name)
    ]
    return render(
        request,
        template,
        {**context, "form": form, "meeting": meeting, "conflict": changed},
        status=409,
    )


def keep_typed_over_newer_version(
    request: HttpRequest, form: Form, *, what: str, current_version: int
) -> None:
    """After a conflicting save: keep what the user typed in the form, now holding the version
    saved meanwhile, so that saving again keeps theirs (knowingly)."""
    form.add_error(
        None,
        f"Someone else changed this {what} while you were editing it. Your text is kept "
        "below; the page now holds their version number, so saving again keeps yours.",
    )
    form.data = {**request.POST.dict(), "version": str(current_version)}


def confirm_delete(
    request: HttpRequest,
    *,
    meeting: Meeting,
    question: str,
    confirm_label: str,
    back: str,
    delete: Callable[[], object],
    done: str,
) -> HttpResponse:
    """Ask first (GET); on POST call ``delete`` and go ``back`` with ``done`` or the refusal."""
    if request.method == "POST":
        try:
            delete()
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, done)
        return HttpResponseRedirect(back)
    return render(
        request,
        "meetings/confirm_delete.html",
        {
            "meeting": meeting,
            "question": question,
            "confirm_label": confirm_label,
            "cancel_url": back,
        },
    )


def restore(
    request: HttpRequest,
    *,
    restore: Callable[[], Any],
    done: Callable[[Any], str],
    back: str,
) -> HttpResponse:
    """Call ``restore`` and go ``back``, saying what came back or why it could not."""
    try:
        restored = restore()
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, done(restored))
    return HttpResponseRedirect(back)


def deleted_fragment(deleted: list, *, restore_url: str, parent: int) -> str:
    """The "Recently deleted" list with a restore button for each record, as a fragment to
    keep (``scrutiny.cache.fragment``): ``restore_url`` the URL name, taking ``parent``."""
    return keys.fragment(
        "meetings/_deleted.html",
        {"deleted": deleted, "restore_url": restore_url, "restore_parent": parent},
    )

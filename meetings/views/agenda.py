"""The agenda and the note of each item: items in order, the narrative editor with its preview
and autosave, decisions, and restoring what was deleted."""

from __future__ import annotations

import functools

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from scrutiny import cache as keys

from .. import roles
from ..forms import AgendaItemAddForm, AgendaItemForm, DecisionForm, UnsavedItemTextForm
from ..middleware import signed_in_before
from ..models import AgendaItem, NarrativeDraft
from ..narrative import render_markdown
from ..selectors import history
from ..selectors.note import agenda_entries, item_label
from ..services import note as services
from ..services.editing import EditConflict
from ..services.note_versions import NOTE_CACHE_SECONDS, current_notes_version
from ..urls_once import url_for_each
from .access import get_decision_for_user, get_item_for_user, get_meeting_for_user, not_editable
from .editing import (
    apply_service_errors,
    confirm_delete,
    conflict_response,
    deleted_fragment,
    restore,
)


@login_required
def agenda_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """The agenda editor: items in order with reorder buttons, and a form to add one."""
    notes_version = current_notes_version()  # before anything it covers is read
    meeting = get_meeting_for_user(request, pk, edit=True)
    if refusal := not_editable(request, meeting):
        return refusal
    form = AgendaItemAddForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            item = services.agenda_item_add(
                user=request.user, meeting=meeting, title=form.cleaned_data["title"]
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, f"Item “{item.title}” added.")
            return redirect("meetings:agenda-edit", pk=meeting.pk)

    def make() -> dict:
        entries = agenda_entries(meeting=meeting)
        _item_links([entry.item for entry in entries])
        # The page's one primary button: writing the first unwritten note, while one is
        # unwritten; adding an item otherwise.
        next_to_write = next((e.item.pk for e in entries if not e.item.has_narrative), None)
        deleted = history.deleted_items(meeting=meeting)
        return {
            "list_html": keys.fragment(
                "meetings/agenda/_list.html", {"entries": entries, "next_to_write": next_to_write}
            ),
            "deleted_html": deleted_fragment(
                deleted, restore_url="meetings:item-restore", parent=meeting.pk
            ),
            "next_to_write": next_to_write,
        }

    # The items and the deleted ones, read once per version of the notes
    # (services/note_versions.py), their forms' CSRF token put in on each request.
    cache_key = keys.key("agenda-editor", meeting.pk, notes_version)
    kept = keys.kept_fragments(request, cache_key, make, timeout=NOTE_CACHE_SECONDS)
    return render(
        request, "meetings/agenda/agenda_edit.html", {"meeting": meeting, "form": form, **kept}
    )


def _item_links(items: list) -> None:
    """Each item's links and forms on the agenda editor, each pattern reversed once."""
    edit, delete = url_for_each("meetings:item-update"), url_for_each("meetings:item-delete")
    previous = url_for_each("meetings:item-previous-minutes")
    up = url_for_each("meetings:item-move", direction="up")
    down = url_for_each("meetings:item-move", direction="down")
    for item in items:
        item.edit_url, item.delete_url = edit(item.pk), delete(item.pk)
        item.previous_minutes_url = previous(item.pk)
        item.move_up_url, item.move_down_url = up(item.pk), down(item.pk)


@login_required
@require_POST
def agenda_item_move(request: HttpRequest, pk: int, direction: str) -> HttpResponse:
    item = get_item_for_user(request, pk)
    if refusal := not_editable(request, item.meeting):
        return refusal
    services.agenda_item_move(user=request.user, item=item, step=-1 if direction == "up" else 1)
    return HttpResponseRedirect(
        reverse("meetings:agenda-edit", args=[item.meeting_id]) + f"#item-{item.pk}"
    )


@login_required
def agenda_item_delete(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_item_for_user(request, pk)
    meeting = item.meeting
    if refusal := not_editable(request, meeting):
        return refusal
    return confirm_delete(
        request,
        meeting=meeting,
        question=f"Delete the item “{item.title}”, with its note and decisions?",
        confirm_label="Delete item",
        back=reverse("meetings:agenda-edit", args=[meeting.pk]),
        delete=lambda: services.agenda_item_delete(user=request.user, item=item),
        done=f"Item “{item.title}” deleted.",
    )


_ITEM_LABELS = {
    "title": "Title",
    "narrative": "Note of the discussion",
    "assurance_statement": "Assurance statement",
    "is_restricted": "Restricted",
    "exemption": "Exemption",
}


# The one item whose text a signed-out browser may keep in its session (a newer one replaces it).
UNSAVED_KEY = "unsaved-item"


def _keep_unsaved_text(request: HttpRequest, pk: int) -> str:
    """Keep what a browser whose sign-in just expired posted to item ``pk``; say what happened.

    Only a browser with the signed marker of a recent sign-in (``signed_in_before``), for an
    item that exists and a user who may still edit notes, within the editor's limits, and one
    item at a time: anything else stores nothing in the session.
    """
    user_id = signed_in_before(request)
    if user_id is None:
        return "You are not signed in: sign in again."
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    if user is None or not user.has_perm(roles.EDIT_NOTE):
        return "You are not signed in: sign in again."
    if not AgendaItem.objects.filter(pk=pk).exists():
        return "Your session had expired: sign in again."
    form = UnsavedItemTextForm(request.POST)
    if not form.is_valid():
        return (
            "Your session had expired, and what you typed was too long to keep: sign in "
            "again, then paste it in parts."
        )
    request.session[UNSAVED_KEY] = {"item": pk, "user": user_id, **form.cleaned_data}
    return (
        "Your session had expired. What you typed has been kept: sign in again to review "
        "and save it."
    )


def keep_text_when_signed_out(view):
    """Like login_required, but a note submitted just after the session expired is not lost.

    The text is kept in the (anonymous) session, which survives signing in, and put back into
    the editor once the same user is signed in again (``_keep_unsaved_text`` says when).
    """

    @functools.wraps(view)
    def wrapper(request: HttpRequest, pk: int, *args, **kwargs) -> HttpResponse:
        if request.user.is_authenticated:
            return view(request, pk, *args, **kwargs)
        if request.method == "POST":
            messages.info(request, _keep_unsaved_text(request, pk))
        return redirect_to_login(reverse("meetings:item-update", args=[pk]))

    return wrapper


def _item_parts(request: HttpRequest, item: AgendaItem, notes_version: str) -> dict:
    """The item's label, its decisions and the deleted ones, read once per version of the
    notes (``services/note_versions.py``), their forms' CSRF token put in on each request."""

    def make() -> dict:
        decisions = list(item.decisions.order_by("position", "id"))
        deleted = history.deleted_decisions(item=item)
        return {
            "label": item_label(item=item),
            "decisions_html": keys.fragment(
                "meetings/agenda/_decisions.html", {"decisions": decisions}
            ),
            "deleted_html": deleted_fragment(
                deleted, restore_url="meetings:decision-restore", parent=item.pk
            ),
        }

    cache_key = keys.key("item-editor", item.pk, notes_version)
    return keys.kept_fragments(request, cache_key, make, timeout=NOTE_CACHE_SECONDS)


def _restored_text(request: HttpRequest, item: AgendaItem) -> tuple[dict | None, str]:
    """Text the user typed but did not save: kept across sign-in, or autosaved."""
    kept = request.session.get(UNSAVED_KEY)
    if kept and kept.get("item") == item.pk and kept.get("user") == request.user.pk:
        del request.session[UNSAVED_KEY]
        fields = ("title", "narrative", "assurance_statement", "version")
        return {name: kept[name] for name in fields if kept.get(name) is not None}, (
            "the text you typed before your session expired"
        )
    draft = NarrativeDraft.objects.filter(item=item, author=request.user).first()
    if draft is None:
        return None, ""
    typed = (draft.title, draft.narrative, draft.assurance_statement)
    if typed == (item.title, item.narrative, item.assurance_statement):
        draft.delete()
        return None, ""
    when = timezone.localtime(draft.saved_at)
    return (
        {
            "title": draft.title or item.title,
            "narrative": draft.narrative,
            "assurance_statement": draft.assurance_statement,
            "version": draft.base_version,
        },
        f"the text you were typing at {when:%H:%M} on {when.day} {when:%B} (kept by autosave)",
    )


@keep_text_when_signed_out
def agenda_item_update(request: HttpRequest, pk: int) -> HttpResponse:
    """The narrative editor of one item, with a preview rendered as the note will show it."""
    notes_version = current_notes_version()  # before anything it covers is read
    item = get_item_for_user(request, pk)
    meeting = item.meeting
    if refusal := not_editable(request, meeting):
        return refusal
    restored, restored_from = (
        (None, "") if request.method == "POST" else _restored_text(request, item)
    )
    if restored:
        initial = {**AgendaItemForm.initial_for(item), **restored}
        initial["is_restricted"] = item.is_restricted
        initial["exemption"] = item.exemption
        form = AgendaItemForm(initial=initial)
    else:
        form = AgendaItemForm(request.POST or None, initial=AgendaItemForm.initial_for(item))
    context = {
        "meeting": meeting,
        "item": item,
        **_item_parts(request, item, notes_version),
        "decision_form": DecisionForm(),
    }
    preview = None
    if request.method == "POST" and form.is_valid():
        if "preview" in request.POST:
            preview = {
                "narrative": render_markdown(form.cleaned_data["narrative"]),
                "assurance_statement": render_markdown(form.cleaned_data["assurance_statement"]),
            }
        else:
            try:
                services.agenda_item_update(
                    user=request.user,
                    item=item,
                    expected_version=form.cleaned_data["version"],
                    **form.item_fields(),
                )
            except EditConflict as conflict:
                current = conflict.current
                form = AgendaItemForm(
                    {**request.POST.dict(), "version": current.version},
                    initial=AgendaItemForm.initial_for(current),
                )
                form.is_valid()
                return conflict_response(
                    request,
                    form=form,
                    meeting=meeting,
                    theirs=AgendaItemForm.initial_for(current),
                    yours=form.item_fields(),
                    labels=_ITEM_LABELS,
                    template="meetings/agenda/item_form.html",
                    context=context,
                )
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(request, f"Item “{form.cleaned_data['title']}” saved.")
                if "save_and_next" in request.POST:
                    following = meeting.items.filter(position__gt=item.position).first()
                    if following is not None:
                        return redirect("meetings:item-update", pk=following.pk)
                return redirect("meetings:agenda-edit", pk=meeting.pk)
    return render(
        request,
        "meetings/agenda/item_form.html",
        {**context, "form": form, "preview": preview, "restored_from": restored_from},
    )


@login_required
@require_POST
def item_autosave(request: HttpRequest, pk: int) -> JsonResponse:
    """Keep what is being typed in the item editor; called by the editor's script."""
    item = get_item_for_user(request, pk)
    if not item.meeting.is_editable:
        return JsonResponse(
            {"saved": False, "reason": "The note is no longer a draft."}, status=409
        )
    try:
        version = int(request.POST.get("version") or item.version)
    except ValueError:
        version = item.version
    if not 1 <= version < 2**31:
        version = item.version
    draft = services.narrative_draft_keep(
        user=request.user,
        item=item,
        title=request.POST.get("title", ""),
        narrative=request.POST.get("narrative", ""),
        assurance_statement=request.POST.get("assurance_statement", ""),
        base_version=version,
    )
    return JsonResponse({"saved": True, "at": timezone.localtime(draft.saved_at).strftime("%H:%M")})


@login_required
@require_POST
def item_draft_discard(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_item_for_user(request, pk)
    services.narrative_draft_discard(user=request.user, item=item)
    messages.success(request, "The unsaved text has been discarded.")
    return redirect("meetings:item-update", pk=item.pk)


@login_required
@require_POST
def agenda_item_restore(request: HttpRequest, pk: int, item_id: int) -> HttpResponse:
    meeting = get_meeting_for_user(request, pk, edit=True)
    if refusal := not_editable(request, meeting):
        return refusal
    return restore(
        request,
        restore=lambda: services.agenda_item_restore(
            user=request.user, meeting=meeting, item_id=item_id
        ),
        done=lambda item: f"Item “{item.title}” restored at the end of the agenda.",
        back=reverse("meetings:agenda-edit", args=[meeting.pk]),
    )


@login_required
@require_POST
def decision_add(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_item_for_user(request, pk)
    if refusal := not_editable(request, item.meeting):
        return refusal
    form = DecisionForm(request.POST)
    if form.is_valid():
        try:
            services.decision_add(
                user=request.user,
                item=item,
                text=form.cleaned_data["text"],
                notice_reference=form.cleaned_data["notice_reference"],
                notice_url=form.cleaned_data["notice_url"],
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, "Decision recorded.")
            return HttpResponseRedirect(
                reverse("meetings:item-update", args=[item.pk]) + "#decisions"
            )
    return render(
        request,
        "meetings/agenda/decision_form.html",
        {"meeting": item.meeting, "item": item, "form": form, "decision": None},
    )


@login_required
def decision_update(request: HttpRequest, pk: int) -> HttpResponse:
    decision = get_decision_for_user(request, pk)
    item = decision.item
    if refusal := not_editable(request, item.meeting):
        return refusal
    form = DecisionForm(request.POST or None, initial=DecisionForm.initial_for(decision))
    if request.method == "POST" and form.is_valid():
        try:
            services.decision_update(
                user=request.user,
                decision=decision,
                expected_version=form.cleaned_data["version"],
                text=form.cleaned_data["text"],
                notice_reference=form.cleaned_data["notice_reference"],
                notice_url=form.cleaned_data["notice_url"],
            )
        except EditConflict as conflict:
            current = conflict.current
            form = DecisionForm({**request.POST.dict(), "version": current.version})
            form.is_valid()
            return conflict_response(
                request,
                form=form,
                meeting=item.meeting,
                theirs=DecisionForm.initial_for(current),
                yours=form.cleaned_data,
                labels={
                    "text": "Decision",
                    "notice_reference": "Decision notice reference",
                    "notice_url": "Decision notice link",
                },
                template="meetings/agenda/decision_form.html",
                context={"item": item, "decision": decision},
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, "Decision saved.")
            return HttpResponseRedirect(
                reverse("meetings:item-update", args=[item.pk]) + "#decisions"
            )
    return render(
        request,
        "meetings/agenda/decision_form.html",
        {"meeting": item.meeting, "item": item, "form": form, "decision": decision},
    )


@login_required
def decision_delete(request: HttpRequest, pk: int) -> HttpResponse:
    decision = get_decision_for_user(request, pk)
    item = decision.item
    if refusal := not_editable(request, item.meeting):
        return refusal
    return confirm_delete(
        request,
        meeting=item.meeting,
        question=f"Delete the decision “{decision.text[:80]}” under {item.title}?",
        confirm_label="Delete decision",
        back=reverse("meetings:item-update", args=[item.pk]) + "#decisions",
        delete=lambda: services.decision_delete(user=request.user, decision=decision),
        done="Decision deleted.",
    )


@login_required
@require_POST
def decision_restore(request: HttpRequest, pk: int, decision_id: int) -> HttpResponse:
    item = get_item_for_user(request, pk)
    if refusal := not_editable(request, item.meeting):
        return refusal
    return restore(
        request,
        restore=lambda: services.decision_restore(
            user=request.user, item=item, decision_id=decision_id
        ),
        done=lambda decision: "Decision restored.",
        back=reverse("meetings:item-update", args=[item.pk]) + "#decisions",
    )

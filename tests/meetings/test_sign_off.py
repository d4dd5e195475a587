"""The note's workflow: draft → submitted → signed → published, with its refusals."""

import hashlib

import pytest
from django.db import transaction
from django.urls import reverse

from meetings.models import AuditEvent, Meeting, NoteTransition
from meetings.services import sign_off
from tests.factories import AgendaItemFactory, AttendanceFactory, MeetingFactory, note_signed

pytestmark = pytest.mark.django_db


@pytest.fixture
def meeting():
    meeting = MeetingFactory()
    AttendanceFactory(
        meeting=meeting, person__name="Clive Grunshaw", role="Police and Crime Commissioner"
    )
    AgendaItemFactory(
        meeting=meeting,
        title="Constabulary Performance",
        narrative="Generally, performance was being sustained.",
    )
    return meeting


def _sign(user, meeting):
    return note_signed(
        user=user,
        meeting=meeting,
        signatory_name="Miranda Carruthers-Watt",
        signatory_title="Chief Executive",
    )


def test_the_whole_way_from_draft_to_published(meeting, staff, chief_executive):
    sign_off.note_submit(user=staff, meeting=meeting)
    signed = _sign(chief_executive, meeting)
    published = sign_off.note_publish(user=staff, meeting=signed)
    assert published.status == Meeting.Status.PUBLISHED
    assert published.published_at is not None
    steps = list(
        NoteTransition.objects.filter(meeting=meeting).values_list(
            "from_status", "to_status", "actor__username"
        )
    )
    assert steps == [
        ("draft", "submitted", "test-staff"),
        ("submitted", "signed", "test-chief-executive"),
        ("signed", "published", "test-staff"),
    ]
    verbs = set(AuditEvent.objects.filter(meeting=meeting).values_list("verb", flat=True))
    assert {"note.submitted", "note.signed", "note.published"} <= verbs


def test_signing_stores_the_pdf_once_with_its_hash(meeting, staff, chief_executive):
    sign_off.note_submit(user=staff, meeting=meeting)
    signed = _sign(chief_executive, meeting)
    with signed.pdf.open("rb") as stored_file:
        stored = stored_file.read()
    assert stored.startswith(b"%PDF-")
    assert signed.pdf_sha256 == hashlib.sha256(stored).hexdigest()
    assert signed.signed_by == chief_executive
    assert (signed.signatory_name, signed.signatory_title) == (
        "Miranda Carruthers-Watt",
        "Chief Executive",
    )
    assert signed.pdf_digitally_signed is False  # no certificate configured in tests


def test_the_signatory_returns_a_note_with_comments_kept(
    meeting, staff, chief_executive, chief_executive_client
):
    sign_off.note_submit(user=staff, meeting=meeting)
    response = chief_executive_client.post(
        reverse("meetings:note-return", args=[meeting.pk]),
        {"comment": "Please add the apologies of the Deputy Chief Constable."},
    )
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.DRAFT
    step = meeting.transitions.last()
    assert step.comment == "Please add the apologies of the Deputy Chief Constable."
    assert step.is_return
    page = chief_executive_client.get(meeting.get_absolute_url()).content.decode()
    assert "Please add the apologies of the Deputy Chief Constable." in page


def test_returning_needs_a_comment(meeting, staff, chief_executive, chief_executive_client):
    sign_off.note_submit(user=staff, meeting=meeting)
    with pytest.raises(sign_off.TransitionRefused, match="what needs changing"):
        sign_off.note_return(user=chief_executive, meeting=meeting, comment="  ")
    response = chief_executive_client.post(
        reverse("meetings:note-return", args=[meeting.pk]), {"comment": ""}
    )
    assert "comment" in response.context["form"].errors
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.SUBMITTED


def test_signing_a_note_without_attendance_or_items_is_refused(staff, chief_executive):
    empty = MeetingFactory(status=Meeting.Status.SUBMITTED)
    with pytest.raises(sign_off.TransitionRefused, match="no attendance and no items"):
        _sign(chief_executive, empty)
    AttendanceFactory(meeting=empty)
    with pytest.raises(sign_off.TransitionRefused, match="no items"):
        _sign(chief_executive, empty)


def test_submitting_an_empty_note_is_refused(staff):
    with pytest.raises(sign_off.TransitionRefused, match="no attendance"):
        sign_off.note_submit(user=staff, meeting=MeetingFactory())


def test_signing_twice_is_refused(meeting, staff, chief_executive):
    sign_off.note_submit(user=staff, meeting=meeting)
    _sign(chief_executive, meeting)
    with pytest.raises(sign_off.TransitionRefused, match="signed, not submitted"):
        _sign(chief_executive, meeting)


def test_publishing_a_draft_is_refused(meeting, staff):
    with pytest.raises(sign_off.TransitionRefused, match="draft, not signed"):
        sign_off.note_publish(user=staff, meeting=meeting)


def test_signing_a_draft_is_refused(meeting, chief_executive):
    with pytest.raises(sign_off.TransitionRefused, match="draft, not submitted"):
        _sign(chief_executive, meeting)


@pytest.mark.parametrize(
    ("persona", "action"),
    [
        ("commissioner", "submit"),
        ("chief_executive", "submit"),
        ("staff", "sign"),
        ("commissioner", "sign"),
        ("staff", "return"),
        ("chief_executive", "publish"),
        ("commissioner", "publish"),
    ],
)
def test_each_step_needs_its_permission(request, meeting, staff, chief_executive, persona, action):
    from django.core.exceptions import PermissionDenied

    user = request.getfixturevalue(persona)
    if action in ("sign", "return"):
        sign_off.note_submit(user=staff, meeting=meeting)
    if action == "publish":
        sign_off.note_submit(user=staff, meeting=meeting)
        _sign(chief_executive, meeting)
    calls = {
        "submit": lambda: sign_off.note_submit(user=user, meeting=meeting),
        "sign": lambda: _sign(user, meeting),
        "return": lambda: sign_off.note_return(user=user, meeting=meeting, comment="No"),
        "publish": lambda: sign_off.note_publish(user=user, meeting=meeting),
    }
    with pytest.raises(PermissionDenied):
        calls[action]()


def test_the_meeting_page_offers_each_role_its_next_step(
    meeting, client, staff, chief_executive, commissioner
):
    url = meeting.get_absolute_url()
    client.force_login(staff)
    assert "Submit for signature" in client.get(url).content.decode()
    client.post(reverse("meetings:note-submit", args=[meeting.pk]))
    assert "Sign the note" not in client.get(url).content.decode()
    client.force_login(chief_executive)
    page = client.get(url).content.decode()
    assert "Sign the note" in page and "Return with comments" in page
    sign_page = client.get(reverse("meetings:note-sign", args=[meeting.pk]))
    assert sign_page.status_code == 200
    response = client.post(
        reverse("meetings:note-sign", args=[meeting.pk]),
        {
            "signatory_name": "Miranda Carruthers-Watt",
            "signatory_title": "Chief Executive",
            "confirm": "on",
        },
    )
    assert response.status_code == 302
    client.force_login(commissioner)
    page = client.get(url).content.decode()
    assert "Publish" not in page.split("Sign-off", 1)[1].split("</section>", 1)[0]
    client.force_login(staff)
    client.post(reverse("meetings:note-publish", args=[meeting.pk]))
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.PUBLISHED
    assert "Signed by Miranda Carruthers-Watt" in client.get(url).content.decode()


def test_signing_requires_confirmation(meeting, staff, chief_executive_client):
    sign_off.note_submit(user=staff, meeting=meeting)
    response = chief_executive_client.post(
        reverse("meetings:note-sign", args=[meeting.pk]),
        {
            "signatory_name": "Miranda Carruthers-Watt",
            "signatory_title": "Chief Executive",
        },
    )
    assert "confirm" in response.context["form"].errors
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.SUBMITTED


def test_refusals_in_the_browser_are_messages_not_errors(meeting, staff_client):
    response = staff_client.post(reverse("meetings:note-publish", args=[meeting.pk]), follow=True)
    assert response.status_code == 200
    assert "Cannot publish the note: the note is draft, not signed." in (response.content.decode())


def test_the_stored_pdf_is_served_with_an_etag(meeting, staff, chief_executive, staff_client):
    sign_off.note_submit(user=staff, meeting=meeting)
    signed = _sign(chief_executive, meeting)
    url = reverse("meetings:note-pdf", args=[meeting.pk])
    response = staff_client.get(url)
    body = b"".join(response.streaming_content)  # consuming it closes the file
    assert hashlib.sha256(body).hexdigest() == signed.pdf_sha256
    assert response["ETag"] == f'"{signed.pdf_sha256}"'
    again = staff_client.get(url, HTTP_IF_NONE_MATCH=f'"{signed.pdf_sha256}"')
    assert again.status_code == 304


def test_a_draft_can_be_previewed_as_pdf(meeting, staff_client):
    response = staff_client.get(reverse("meetings:note-pdf", args=[meeting.pk]))
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    assert response["Cache-Control"] == "no-store"
    assert not Meeting.objects.get(pk=meeting.pk).pdf


def test_a_correction_is_a_new_revision_and_the_old_one_says_superseded(
    meeting, staff, chief_executive, staff_client
):
    sign_off.note_submit(user=staff, meeting=meeting)
    _sign(chief_executive, meeting)
    revision = sign_off.note_revise(user=staff, meeting=meeting)
    assert revision.status == Meeting.Status.DRAFT
    assert revision.revision_number == 2
    assert revision.revises == meeting
    assert list(revision.attendances.values_list("person__name", flat=True)) == ["Clive Grunshaw"]
    assert revision.items.get().narrative == "Generally, performance was being sustained."
    page = staff_client.get(meeting.get_absolute_url()).content.decode()
    assert "A correction is being prepared" in page
    sign_off.note_submit(user=staff, meeting=revision)
    _sign(chief_executive, revision)
    page = staff_client.get(meeting.get_absolute_url()).content.decode()
    assert "superseded by" in page
    with pytest.raises(sign_off.TransitionRefused, match="already exists"):
        sign_off.note_revise(user=staff, meeting=meeting)


def test_a_broken_signing_certificate_signs_nothing_and_says_why(
    meeting, staff, chief_executive_client, settings, tmp_path
):
    settings.SIGNING_P12 = str(tmp_path / "missing.p12")
    settings.SIGNING_PASSPHRASE_FILE = str(tmp_path / "missing.txt")
    sign_off.note_submit(user=staff, meeting=meeting)
    response = chief_executive_client.post(
        reverse("meetings:note-sign", args=[meeting.pk]),
        {"signatory_name": "M C-W", "signatory_title": "Chief Executive", "confirm": "on"},
        follow=True,
    )
    assert "signing certificate could not be used" in response.content.decode()
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.SUBMITTED
    assert not meeting.pdf


def test_the_note_pdf_command_writes_the_stored_pdf_of_a_signed_note(
    meeting, staff, chief_executive, tmp_path
):
    import io

    from django.core.management import call_command

    draft = tmp_path / "draft.pdf"
    call_command("note_pdf", str(meeting.pk), "-o", str(draft), stdout=io.StringIO())
    assert draft.read_bytes().startswith(b"%PDF-")
    sign_off.note_submit(user=staff, meeting=meeting)
    signed = _sign(chief_executive, meeting)
    target = tmp_path / "signed.pdf"
    out = io.StringIO()
    call_command("note_pdf", str(meeting.pk), "-o", str(target), stdout=out)
    assert "as stored when it was signed" in out.getvalue()
    assert hashlib.sha256(target.read_bytes()).hexdigest() == signed.pdf_sha256


def test_the_administrator_role_neither_signs_nor_concludes(db):
    from django.contrib.auth.models import Group

    codenames = set(
        Group.objects.get(name="Administrator").permissions.values_list("codename", flat=True)
    )
    assert "sign_note" not in codenames and "record_conclusion" not in codenames
    assert {"edit_note", "publish_note", "import_data"} <= codenames


def test_the_signed_pdf_is_written_only_once_the_signing_commits(
    meeting, staff, chief_executive, settings
):
    sign_off.note_submit(user=staff, meeting=meeting)
    media = settings.MEDIA_ROOT

    class Interrupted(Exception):
        pass

    with pytest.raises(Interrupted), transaction.atomic():
        sign_off.note_sign(
            user=chief_executive, meeting=meeting, signatory_name="A", signatory_title="B"
        )
        raise Interrupted  # something after the signing fails: the whole step rolls back
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.SUBMITTED and not meeting.pdf
    assert not [path for path in media.rglob("*") if path.is_file()]
    signed = _sign(chief_executive, meeting)
    with signed.pdf.open("rb") as stored:
        assert hashlib.sha256(stored.read()).hexdigest() == signed.pdf_sha256


def test_the_signature_takes_its_reason_and_location_from_the_settings(
    meeting, staff, chief_executive, pki, settings
):
    from io import BytesIO

    from pyhanko.pdf_utils.reader import PdfFileReader

    settings.SIGNING_P12 = str(pki.p12)
    settings.SIGNING_PASSPHRASE_FILE = str(pki.passphrase_file)
    settings.SIGNING_REASON = "Approved as a true record by {name}, {title}"
    settings.SIGNING_LOCATION = "County Hall, Preston"
    sign_off.note_submit(user=staff, meeting=meeting)
    signed = _sign(chief_executive, meeting)
    with signed.pdf.open("rb") as stored:
        signature = PdfFileReader(BytesIO(stored.read())).embedded_signatures[0]
    assert signature.sig_object["/Reason"] == (
        "Approved as a true record by Miranda Carruthers-Watt, Chief Executive"
    )
    assert signature.sig_object["/Location"] == "County Hall, Preston"


def test_without_settings_the_signature_names_the_signatory_and_the_organisation(
    meeting, staff, chief_executive, pki, settings
):
    from io import BytesIO

    from pyhanko.pdf_utils.reader import PdfFileReader

    settings.SIGNING_P12 = str(pki.p12)
    settings.SIGNING_PASSPHRASE_FILE = str(pki.passphrase_file)
    sign_off.note_submit(user=staff, meeting=meeting)
    signed = _sign(chief_executive, meeting)
    with signed.pdf.open("rb") as stored:
        signature = PdfFileReader(BytesIO(stored.read())).embedded_signatures[0]
    assert signature.sig_object["/Reason"] == ("Signed by Miranda Carruthers-Watt, Chief Executive")
    assert signature.sig_object["/Location"] == settings.ORGANISATION_NAME

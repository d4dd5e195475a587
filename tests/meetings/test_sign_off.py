"""The note's workflow: draft → submitted → signed → published, with its refusals."""

import datetime as dt
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


def _read(sign_page) -> str:
    """The fingerprint of the note the sign page showed, which its form carries."""
    return sign_page.context["form"]["read_sha256"].value()


def _sign(user, meeting):
    return note_signed(user=user, meeting=meeting)


def test_the_whole_way_from_draft_to_published(meeting, staff, chief_executive):
    sign_off.note_submit(user=staff, meeting=meeting, warnings_confirmed=True)
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
    sign_off.note_submit(user=staff, meeting=meeting, warnings_confirmed=True)
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
    sign_off.note_submit(user=staff, meeting=meeting, warnings_confirmed=True)
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
    sign_off.note_submit(user=staff, meeting=meeting, warnings_confirmed=True)
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
    with pytest.raises(
        sign_off.TransitionRefused, match=r"No one is listed as present.*The note has no items"
    ):
        _sign(chief_executive, empty)
    AttendanceFactory(meeting=empty)
    with pytest.raises(sign_off.TransitionRefused, match="The note has no items"):
        _sign(chief_executive, empty)


def test_submitting_an_empty_note_is_refused(staff):
    with pytest.raises(sign_off.TransitionRefused, match="No one is listed as present"):
        sign_off.note_submit(user=staff, meeting=MeetingFactory(), warnings_confirmed=True)


def test_signing_twice_is_refused(meeting, staff, chief_executive):
    sign_off.note_submit(user=staff, meeting=meeting, warnings_confirmed=True)
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
        sign_off.note_submit(user=staff, meeting=meeting, warnings_confirmed=True)
    if action == "publish":
        sign_off.note_submit(user=staff, meeting=meeting, warnings_confirmed=True)
        _sign(chief_executive, meeting)
    calls = {
        "submit": lambda: sign_off.note_submit(user=user, meeting=meeting, warnings_confirmed=True),
        "sign": lambda: _sign(user, meeting),
        "return": lambda: sign_off.note_return(user=user, meeting=meeting, comment="No"),
        "publish": lambda: sign_off.note_publish(user=user, meeting=meeting),
    }
    with pytest.raises(PermissionDenied):
        calls[action]()


def test_the_meeting_page_offers_each_role_its_next_step(
    meeting, client, staff, chief_executive, commissioner, django_capture_on_commit_callbacks
):
    url = meeting.get_absolute_url()
    client.force_login(staff)
    assert "Submit for signature" in client.get(url).content.decode()
    client.post(reverse("meetings:note-submit", args=[meeting.pk]), {"warnings_confirmed": "on"})
    assert "Sign the note" not in client.get(url).content.decode()
    client.force_login(chief_executive)
    page = client.get(url).content.decode()
    assert "Sign the note" in page and "Return with comments" in page
    sign_page = client.get(reverse("meetings:note-sign", args=[meeting.pk]))
    assert sign_page.status_code == 200
    with django_capture_on_commit_callbacks(execute=True):  # the signing's job, in-process
        response = client.post(
            reverse("meetings:note-sign", args=[meeting.pk]),
            {"read_sha256": _read(sign_page), "confirm": "on"},
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
    sign_off.note_submit(user=staff, meeting=meeting, warnings_confirmed=True)
    page = chief_executive_client.get(reverse("meetings:note-sign", args=[meeting.pk]))
    response = chief_executive_client.post(
        reverse("meetings:note-sign", args=[meeting.pk]), {"read_sha256": _read(page)}
    )
    assert "confirm" in response.context["form"].errors
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.SUBMITTED


def test_refusals_in_the_browser_are_messages_not_errors(meeting, staff_client):
    response = staff_client.post(reverse("meetings:note-publish", args=[meeting.pk]), follow=True)
    assert response.status_code == 200
    assert "Cannot publish the note: the note is draft, not signed." in (response.content.decode())


def test_the_stored_pdf_is_served_with_an_etag(meeting, staff, chief_executive, staff_client):
    sign_off.note_submit(user=staff, meeting=meeting, warnings_confirmed=True)
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
    sign_off.note_submit(user=staff, meeting=meeting, warnings_confirmed=True)
    _sign(chief_executive, meeting)
    revision = sign_off.note_revise(user=staff, meeting=meeting)
    assert revision.status == Meeting.Status.DRAFT
    assert revision.revision_number == 2
    assert revision.revises == meeting
    assert list(revision.attendances.values_list("person__name", flat=True)) == ["Clive Grunshaw"]
    assert revision.items.get().narrative == "Generally, performance was being sustained."
    page = staff_client.get(meeting.get_absolute_url()).content.decode()
    assert "A correction is being prepared" in page
    sign_off.note_submit(user=staff, meeting=revision, warnings_confirmed=True)
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
    sign_off.note_submit(user=staff, meeting=meeting, warnings_confirmed=True)
    page = chief_executive_client.get(reverse("meetings:note-sign", args=[meeting.pk]))
    response = chief_executive_client.post(
        reverse("meetings:note-sign", args=[meeting.pk]),
        {"read_sha256": _read(page), "confirm": "on"},
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
    sign_off.note_submit(user=staff, meeting=meeting, warnings_confirmed=True)
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
    sign_off.note_submit(user=staff, meeting=meeting, warnings_confirmed=True)
    media = settings.MEDIA_ROOT

    class Interrupted(Exception):
        pass

    with pytest.raises(Interrupted), transaction.atomic():
        sign_off.note_sign(
            user=chief_executive,
            meeting=meeting,
            read_sha256=sign_off.note_snapshot_keep(meeting=meeting),
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
    sign_off.note_submit(user=staff, meeting=meeting, warnings_confirmed=True)
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
    sign_off.note_submit(user=staff, meeting=meeting, warnings_confirmed=True)
    signed = _sign(chief_executive, meeting)
    with signed.pdf.open("rb") as stored:
        signature = PdfFileReader(BytesIO(stored.read())).embedded_signatures[0]
    assert signature.sig_object["/Reason"] == ("Signed by Miranda Carruthers-Watt, Chief Executive")
    assert signature.sig_object["/Location"] == settings.ORGANISATION_NAME


# Readiness ------------------------------------------------------------------------------------


def _red_meeting(staff):
    """A draft whose frozen comparison holds a red category with its report still proposed."""
    from meetings.models import ExceptionReport, FrozenComparison

    meeting = MeetingFactory()
    AttendanceFactory(meeting=meeting)
    AgendaItemFactory(meeting=meeting, title="Constabulary Performance")
    FrozenComparison.objects.create(
        meeting=meeting,
        requested_period="2013-10",
        period="2013-09",
        force_code="E23000003",
        data=_comparison_with_red_row(),
        red_slugs=["other-sexual-offences"],
    )
    report = ExceptionReport.objects.create(
        meeting=meeting,
        category_slug="other-sexual-offences",
        category_name="Other sexual offences",
        is_red=True,
    )
    return meeting, report


def _comparison_with_red_row() -> dict:
    import datetime as dt

    from performance.comparison import (
        Comparison,
        ComparisonRow,
        ComparisonRule,
        ForceRef,
        RowStatus,
    )
    from performance.periods import Period

    row = ComparisonRow(
        category_slug="other-sexual-offences",
        category_name="Other sexual offences",
        category_kind="subgroup",
        parent_slug="sexual-offences",
        source="Home Office",
        source_slug="home-office",
        status=RowStatus.COMPLETE,
        status_note="",
        count=1378,
        population=1_478_000,
        rate=0.93,
        group_rate=0.71,
        rank_in_group=8,
        group_size=8,
        national_rank=40,
        national_size=42,
        is_red=True,
    )
    return Comparison(
        force=ForceRef("E23000003", "Lancashire"),
        period=Period.parse("2013-09"),
        population_year=2013,
        population_year_note="mid-2013",
        population_source="ONS",
        population_vintage="MYE",
        group=None,
        rule=ComparisonRule(
            red_threshold=0.1,
            red_direction="higher",
            red_excluded_forces=(),
            group_includes_force=False,
        ),
        rows=(row,),
        generated_at=dt.datetime(2013, 12, 1, tzinfo=dt.UTC).isoformat(),
    ).to_dict()


def test_a_red_category_neither_reported_nor_dismissed_blocks_submitting(staff, staff_client):
    meeting, _ = _red_meeting(staff)
    with pytest.raises(sign_off.TransitionRefused) as refused:
        sign_off.note_submit(user=staff, meeting=meeting, warnings_confirmed=True)
    assert refused.value.missing == [
        "Other sexual offences is red: report on it or dismiss it with a reason."
    ]
    # A crafted POST changes nothing either.
    response = staff_client.post(
        reverse("meetings:note-submit", args=[meeting.pk]), {"warnings_confirmed": "on"}
    )
    assert response.status_code == 400
    assert "Other sexual offences is red" in response.content.decode()
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.DRAFT
    assert not meeting.transitions.exists()


def test_a_report_needs_the_commissioners_conclusion_or_a_deferral(staff, commissioner):
    from meetings.services import exception_reports

    meeting, report = _red_meeting(staff)
    exception_reports.exception_report_accept(user=staff, report=report)
    with pytest.raises(sign_off.TransitionRefused, match="has no conclusion"):
        sign_off.note_submit(user=staff, meeting=meeting, warnings_confirmed=True)
    later = MeetingFactory(start=meeting.start + dt.timedelta(days=90))
    exception_reports.exception_report_defer(
        user=commissioner, report=report, to=later, reason="The force's new plan is due."
    )
    submitted = sign_off.note_submit(user=staff, meeting=meeting, warnings_confirmed=True)
    assert submitted.status == Meeting.Status.SUBMITTED


def test_a_dismissal_reconciles_a_red_category(staff):
    from meetings.services import exception_reports

    meeting, report = _red_meeting(staff)
    exception_reports.exception_report_dismiss(
        user=staff, report=report, reason="Not discussed at this meeting."
    )
    sign_off.note_submit(user=staff, meeting=meeting, warnings_confirmed=True)


def test_items_without_a_note_are_a_warning_the_submitter_confirms(meeting, staff, staff_client):
    AgendaItemFactory(meeting=meeting, title="Frontline Policing", narrative="")
    url = reverse("meetings:note-submit", args=[meeting.pk])
    page = staff_client.get(url).content.decode()
    assert "Frontline Policing has no note." in page
    assert "Check" in page
    response = staff_client.post(url, {})
    assert response.status_code == 400
    assert "Confirm that the note is complete as it stands." in response.content.decode()
    with pytest.raises(sign_off.TransitionRefused, match="before confirming"):
        sign_off.note_submit(user=staff, meeting=meeting)
    assert staff_client.post(url, {"warnings_confirmed": "on"}).status_code == 302
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.SUBMITTED


def test_the_note_page_shows_the_task_list(staff, staff_client):
    meeting, _ = _red_meeting(staff)
    page = staff_client.get(meeting.get_absolute_url()).content.decode()
    assert "Ready for signature?" in page
    assert "Report on or dismiss every red category" in page
    assert "Incomplete" in page


def test_signing_checks_readiness_in_the_service(staff, chief_executive):
    meeting, _ = _red_meeting(staff)
    Meeting.objects.filter(pk=meeting.pk).update(status=Meeting.Status.SUBMITTED)
    meeting.refresh_from_db()
    with pytest.raises(sign_off.TransitionRefused, match="not complete"):
        _sign(chief_executive, meeting)


# Signing what was read -----------------------------------------------------------------------


def test_the_signatory_signs_only_what_they_read(meeting, staff, chief_executive, client):
    from meetings.models import Person

    sign_off.note_submit(user=staff, meeting=meeting, warnings_confirmed=True)
    client.force_login(chief_executive)
    url = reverse("meetings:note-sign", args=[meeting.pk])
    page = client.get(url)
    read = _read(page)
    Person.objects.filter(name="Clive Grunshaw").update(name="Clive Grunshaw CBE")
    response = client.post(url, {"read_sha256": read, "confirm": "on"})
    assert response.status_code == 409
    text = response.content.decode()
    assert "The note has changed since you read it" in text
    assert "Clive Grunshaw CBE" in text and "What changed since you read it" in text
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.SUBMITTED and not meeting.pdf
    # Having read it again (the page now carries the new fingerprint), they can sign.
    assert _read(response) != read
    client.post(url, {"read_sha256": _read(response), "confirm": "on"})
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.SIGNED


def test_a_made_up_fingerprint_signs_nothing(meeting, staff, chief_executive):
    sign_off.note_submit(user=staff, meeting=meeting, warnings_confirmed=True)
    with pytest.raises(sign_off.TransitionRefused, match="changed since you read it"):
        sign_off.note_sign(user=chief_executive, meeting=meeting, read_sha256="0" * 64)


def test_from_submission_the_note_and_its_conclusions_cannot_change(
    staff, commissioner, commissioner_client
):
    from django.core.exceptions import PermissionDenied

    from meetings.services import exception_reports
    from meetings.services import note as notes

    meeting, report = _red_meeting(staff)
    exception_reports.exception_report_accept(user=staff, report=report)
    exception_reports.conclusion_record(
        user=commissioner, report=report, conclusion="assured", comments=""
    )
    sign_off.note_submit(user=staff, meeting=meeting, warnings_confirmed=True)
    with pytest.raises(PermissionDenied, match="submitted"):
        exception_reports.conclusion_record(
            user=commissioner, report=report, conclusion="not_assured", comments="Changed"
        )
    item = meeting.items.get()
    with pytest.raises(PermissionDenied):
        notes.agenda_item_update(user=staff, item=item, narrative="Changed")
    response = commissioner_client.post(
        reverse("meetings:conclusion", args=[report.pk]),
        {"conclusion": "not_assured", "comments": "Changed"},
    )
    assert "can no longer change" in response.content.decode()
    report.refresh_from_db()
    assert report.conclusion == "assured"


# Separation of duties and the printed name ---------------------------------------------------


def test_whoever_submitted_a_note_may_not_sign_it(meeting, db, settings):
    from django.contrib.auth.models import Group, User

    from meetings import roles
    from meetings.models import Person

    both = User.objects.create_user(username="both", password="x")
    both.groups.add(*Group.objects.filter(name__in=[roles.STAFF, roles.SIGNATORY]))
    Person.objects.create(name="Both", signing_title="Chief Executive", user=both)
    sign_off.note_submit(user=both, meeting=meeting, warnings_confirmed=True)
    with pytest.raises(sign_off.TransitionRefused, match="You submitted this note"):
        _sign(both, meeting)
    settings.SIGN_OFF_SEPARATE_SIGNATORY = False
    assert _sign(both, meeting).status == Meeting.Status.SIGNED


def test_whoever_edited_a_note_may_not_sign_it(meeting, staff, chief_executive):
    from django.contrib.auth.models import Group

    from meetings import roles
    from meetings.services import note as notes

    chief_executive.groups.add(Group.objects.get(name=roles.STAFF))
    notes.agenda_item_update(user=chief_executive, item=meeting.items.get(), narrative="Mine.")
    sign_off.note_submit(user=staff, meeting=meeting, warnings_confirmed=True)
    with pytest.raises(sign_off.TransitionRefused, match="You edited this note"):
        _sign(chief_executive, meeting)


def test_the_printed_name_comes_from_the_signing_accounts_person(meeting, staff, chief_executive):
    sign_off.note_submit(user=staff, meeting=meeting, warnings_confirmed=True)
    signed = _sign(chief_executive, meeting)
    assert (signed.signatory_name, signed.signatory_title) == (
        "Miranda Carruthers-Watt",
        "Chief Executive",
    )


def test_an_account_without_a_person_cannot_sign(meeting, staff, chief_executive):
    from meetings.models import Person

    Person.objects.filter(user=chief_executive).update(user=None)
    sign_off.note_submit(user=staff, meeting=meeting, warnings_confirmed=True)
    with pytest.raises(sign_off.TransitionRefused, match="not linked to a person"):
        _sign(chief_executive, meeting)


def test_a_corrected_printed_name_needs_a_reason_and_is_recorded(meeting, staff, chief_executive):
    from meetings.models import Person

    sign_off.note_submit(user=staff, meeting=meeting, warnings_confirmed=True)
    with pytest.raises(sign_off.TransitionRefused, match="Say why"):
        note_signed(
            user=chief_executive, meeting=meeting, corrected_name="Dr Miranda Carruthers-Watt"
        )
    signed = note_signed(
        user=chief_executive,
        meeting=meeting,
        corrected_name="Dr Miranda Carruthers-Watt",
        correction_reason="Doctorate awarded in November.",
    )
    assert signed.signatory_name == "Dr Miranda Carruthers-Watt"
    event = AuditEvent.objects.get(meeting=meeting, verb="note.signatory_corrected")
    assert event.actor == chief_executive
    assert event.extra["was"]["name"] == "Miranda Carruthers-Watt"
    assert event.extra["reason"] == "Doctorate awarded in November."
    assert Person.objects.get(user=chief_executive).signs_as == "Dr Miranda Carruthers-Watt"


def test_the_sign_page_of_a_draft_offers_no_form(meeting, chief_executive_client):
    page = chief_executive_client.get(reverse("meetings:note-sign", args=[meeting.pk]))
    assert page.status_code == 200
    text = page.content.decode()
    assert "only a note submitted for signature can be signed" in text
    assert 'name="confirm"' not in text


def test_the_signatory_who_returned_a_note_may_still_sign_it(meeting, staff, chief_executive):
    sign_off.note_submit(user=staff, meeting=meeting, warnings_confirmed=True)
    sign_off.note_return(user=chief_executive, meeting=meeting, comment="Add the update.")
    sign_off.note_submit(user=staff, meeting=meeting, warnings_confirmed=True)
    assert _sign(chief_executive, meeting).status == Meeting.Status.SIGNED

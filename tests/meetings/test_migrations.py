"""Data migrations: existing meetings get bodies from their titles, actions their body's log,
owners their stored order, and signed notes the style they were printed in; published notes
get the text the public search reads."""

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from tests.factories import LONDON

BEFORE = [("meetings", "0016_frozen_comparison_releases")]
AFTER = [("meetings", "0019_require_bodies")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def _latest():
    executor = MigrationExecutor(connection)
    return executor.loader.graph.leaf_nodes()


# serialized_rollback: the flush after this test then leaves the tables empty for the next
# transactional test to reload the migrations' data (roles, permissions) with their own ids. A
# plain flush would have post_migrate create them again under new ids, and the next test's
# reload would collide with them (UNIQUE constraint failed: auth_group.name).
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_existing_meetings_get_one_body_per_title_and_actions_their_bodys_log():
    old = _migrate(BEFORE)
    Meeting, Person, Action = (
        old.get_model("meetings", name) for name in ("Meeting", "Person", "Action")
    )
    september = Meeting.objects.create(
        title="Strategic Scrutiny Meeting",
        start=dt.datetime(2013, 9, 23, 14, tzinfo=LONDON),
        status="signed",
    )
    december = Meeting.objects.create(
        title="strategic  scrutiny meeting",
        start=dt.datetime(2013, 12, 23, 14, tzinfo=LONDON),
        numbering="numbers",
    )
    board = Meeting.objects.create(
        title="Executive Board",
        start=dt.datetime(2014, 1, 14, 10, tzinfo=LONDON),
        numbering="minutes",
        first_minute_number=5,
    )
    first, second = Person.objects.create(name="First"), Person.objects.create(name="Second")
    action = Action.objects.create(number=7, raised_at=board, description="Report back")
    action.owners.add(second)
    action.owners.add(first)

    new = _migrate(AFTER)
    Body, Meeting, ActionOwner = (
        new.get_model("meetings", name) for name in ("Body", "Meeting", "ActionOwner")
    )
    assert sorted(Body.objects.values_list("name", "numbering")) == [
        ("Executive Board", "minutes"),
        ("strategic scrutiny meeting", "numbers"),  # the latest meeting's title and numbering
    ]
    scrutiny = Body.objects.get(name="strategic scrutiny meeting")
    assert set(Meeting.objects.filter(body=scrutiny).values_list("pk", flat=True)) == {
        september.pk,
        december.pk,
    }
    assert Meeting.objects.get(pk=september.pk).printed_style["document_name"] == "Note"
    assert Meeting.objects.get(pk=december.pk).printed_style == {}
    migrated = new.get_model("meetings", "Action").objects.get(pk=action.pk)
    assert (migrated.body.name, migrated.number) == ("Executive Board", 7)
    owners = ActionOwner.objects.filter(action_id=action.pk).order_by("position")
    assert [(o.person.name, o.position) for o in owners] == [("Second", 1), ("First", 2)]
    _migrate(_latest())  # the next tests need the whole schema, whatever came after AFTER


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_notes_published_before_the_search_text_get_theirs_without_restricted_items():
    old = _migrate([("meetings", "0022_merge_0020_add_notifications_0021_fill_pdf_size")])
    Body, Meeting, AgendaItem = (
        old.get_model("meetings", name) for name in ("Body", "Meeting", "AgendaItem")
    )
    body = Body.objects.create(name="Strategic Scrutiny Meeting")
    published = Meeting.objects.create(
        body=body,
        title="Strategic Scrutiny Meeting",
        venue="Cabinet Room",
        start=dt.datetime(2013, 12, 23, 14, tzinfo=LONDON),
        status="published",
    )
    draft = Meeting.objects.create(
        body=body, title="Draft", start=dt.datetime(2014, 3, 1, 14, tzinfo=LONDON)
    )
    AgendaItem.objects.create(meeting=published, position=1, title="Burglary", narrative="Owls")
    AgendaItem.objects.create(
        meeting=published,
        position=2,
        title="Personnel",
        narrative="Zebra",
        is_restricted=True,
        exemption="s.40 personal information",
    )

    new = _migrate([("meetings", "0023_search_text")])
    Meeting = new.get_model("meetings", "Meeting")
    text = Meeting.objects.get(pk=published.pk).search_text
    assert text.split("\n") == ["Strategic Scrutiny Meeting", "Cabinet Room", "Burglary", "Owls"]
    assert Meeting.objects.get(pk=draft.pk).search_text == ""
    _migrate(_latest())


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_comparisons_frozen_before_get_their_red_categories_in_their_own_row():
    old = _migrate([("meetings", "0023_search_text")])
    Body, Meeting, FrozenComparison = (
        old.get_model("meetings", name) for name in ("Body", "Meeting", "FrozenComparison")
    )
    body = Body.objects.create(name="Strategic Scrutiny Meeting")
    signed, draft = (
        Meeting.objects.create(
            body=body, title=title, start=dt.datetime(2013, month, 23, 14, tzinfo=LONDON), status=s
        )
        for title, month, s in [("Signed", 9, "published"), ("Draft", 12, "draft")]
    )
    for meeting, slugs in [(signed, ["burglary", "robbery"]), (draft, [])]:
        FrozenComparison.objects.create(
            meeting=meeting,
            requested_period="2013-06",
            period="2013-06",
            force_code="E23000003",
            data={"big": "x" * 1000},
            red_slugs=slugs,
        )

    new = _migrate([("meetings", "0026_fill_frozen_reds")])
    FrozenReds = new.get_model("meetings", "FrozenReds")
    rows = {r.meeting_id: (r.comparison.meeting_id, r.slugs) for r in FrozenReds.objects.all()}
    assert rows == {signed.pk: (signed.pk, ["burglary", "robbery"]), draft.pk: (draft.pk, [])}
    _migrate(_latest())


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_pdfs_stored_before_page_counts_were_kept_get_theirs(settings, tmp_path):
    import io

    from django.core.files.storage import default_storage
    from weasyprint import HTML

    old = _migrate([("meetings", "0023_search_text")])
    Body, Meeting = (old.get_model("meetings", name) for name in ("Body", "Meeting"))
    body = Body.objects.create(name="Strategic Scrutiny Meeting")
    three_pages = HTML(
        string="<p style='break-after: page'>1</p><p style='break-after: page'>2</p><p>3</p>"
    ).write_pdf()
    name = default_storage.save("notes/2013/old.pdf", io.BytesIO(three_pages))
    stored = Meeting.objects.create(
        body=body,
        title="Stored",
        start=dt.datetime(2013, 12, 23, 14, tzinfo=LONDON),
        status="published",
        pdf=name,
        pdf_sha256="a" * 64,
    )
    missing = Meeting.objects.create(
        body=body,
        title="Missing file",
        start=dt.datetime(2014, 1, 23, 14, tzinfo=LONDON),
        status="published",
        pdf="notes/2014/gone.pdf",
        pdf_sha256="b" * 64,
    )

    new = _migrate([("meetings", "0024_pdf_pages")])
    Meeting = new.get_model("meetings", "Meeting")
    assert Meeting.objects.get(pk=stored.pk).pdf_pages == 3
    assert Meeting.objects.get(pk=missing.pk).pdf_pages is None
    _migrate(_latest())

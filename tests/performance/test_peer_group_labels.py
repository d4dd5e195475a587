"""Honest labels: a computed group is a "Computed peer group" with one sentence of how it was
chosen; the official words, "Most similar group", are for an imported group only."""

import csv
import datetime as dt
import io
import json

from django.core.management import call_command
from django.urls import reverse

from performance.comparison import ForceRef, PeerGroupInfo
from performance.exports import comparison_csv
from performance.importers import ImportFile
from performance.importers.peer_groups import peer_groups_import
from performance.models import Force, PeerGroup
from performance.periods import Period
from performance.selectors.comparison import comparison_build

from .raw import LANCASHIRE, text_of

MEMBERS = tuple(ForceRef(f"E2300000{n}", f"Force {n}") for n in range(1, 8))


def test_a_computed_group_is_headed_as_computed_and_says_how_it_was_chosen():
    group = PeerGroupInfo(
        members=MEMBERS,
        source="Computed by the portal",
        valid_from=dt.date(2014, 4, 1),
        is_computed=True,
    )
    assert group.heading == "Computed peer group"
    assert group.explanation == (
        "Chosen by the portal, not published: the 7 forces nearest by crime profile (rates "
        "per 1,000 for each offence subgroup, standardised across forces) over the 12 months "
        "ending March 2014, valid from 1 April 2014."
    )
    assert "most similar" not in (group.heading + group.explanation).casefold()


def test_an_imported_group_has_the_official_heading_and_its_source():
    group = PeerGroupInfo(
        members=MEMBERS[:3],
        source="Home Office iQuanta, 2019",
        valid_from=dt.date(2019, 4, 1),
        is_computed=False,
    )
    assert group.heading == "Most similar group"
    assert (
        group.explanation == "As published by Home Office iQuanta, 2019, valid from 1 April 2019."
    )


def test_csv_and_json_carry_the_heading_and_the_sentence(lancashire):
    comparison = comparison_build(force=lancashire, period=Period.parse("2013-09"))
    group_line = next(csv.reader(io.StringIO(comparison_csv(comparison).splitlines()[1])))[0]
    assert group_line.startswith("Group: Computed peer group: ")
    assert "the 7 forces nearest by crime profile" in group_line
    out = io.StringIO()
    call_command(
        "compare", "--force", "Lancashire", "--period", "2013-09", "--format", "json", stdout=out
    )
    group = json.loads(out.getvalue())["group"]
    assert group["heading"] == "Computed peer group"
    assert group["explanation"] == comparison.group.explanation


def test_pages_use_the_official_words_only_for_an_imported_group(lancashire, viewer_client):
    rows = [
        "force,valid_from,source,position,similar_force",
        f"{LANCASHIRE},2013-01-01,Test iQuanta list,1,E23000004",
    ]
    peer_groups_import(files=[ImportFile("msg.csv", ("\n".join(rows) + "\n").encode())])
    try:
        page = text_of(
            viewer_client.get(
                reverse("performance:dashboard"), {"force": LANCASHIRE, "month": 9, "year": 2013}
            )
        )
        member = Force.objects.get(code="E23000004").name
        assert f"Most similar group: {member}." in page
        assert "As published by Test iQuanta list, valid from 1 January 2013." in page
        assert "Computed peer group" not in page
    finally:
        PeerGroup.objects.filter(is_computed=False).delete()

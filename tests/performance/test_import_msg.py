"""Importing most similar groups, and which group a comparison uses."""

import datetime as dt

import pytest

from performance.importers import ImportFile, ImportRejected
from performance.importers.peer_groups import peer_groups_import
from performance.models import Force, PeerGroup, PeerGroupMember
from performance.selectors.reference import peer_group_for

from .raw import lines

HEADER = "force,valid_from,source,position,similar_force"


@pytest.fixture
def forces(db):
    from performance.importers.reference import forces_load

    forces_load()


def _import(content: bytes):
    return peer_groups_import(files=[ImportFile("msg.csv", content)])


def _members(force: str) -> list[str]:
    group = PeerGroup.objects.get(force__code=force, is_computed=False)
    return [m.force.name for m in group.members.select_related("force")]


def test_a_group_is_stored_in_order_with_its_source_and_date(forces):
    _import(
        lines(
            HEADER,
            "Lancashire,2013-04-01,Home Office iQuanta,2,Greater Manchester",
            "Lancashire,2013-04-01,Home Office iQuanta,1,Merseyside",
        )
    )
    group = PeerGroup.objects.get()
    assert (group.valid_from, group.source, group.is_computed) == (
        dt.date(2013, 4, 1),
        "Home Office iQuanta",
        False,
    )
    assert _members("E23000003") == ["Merseyside", "Greater Manchester"]


def test_bad_rows_are_listed_and_nothing_is_imported(forces):
    with pytest.raises(ImportRejected) as rejected:
        _import(
            lines(
                HEADER,
                "Lancashire,2013-04-01,HO,1,Lancashire",
                "Lancashire,2013-04-01,HO,1,Nowhere",
                "Lancashire,1 April 2013,HO,2,Cumbria",
                "Lancashire,2013-04-01,,3,Cumbria",
                "Lancashire,2013-04-01,HO,0,Cumbria",
            )
        )
    assert [(p.line, p.column) for p in rejected.value.problems] == [
        (2, "similar_force"),
        (3, "similar_force"),
        (4, "valid_from"),
        (5, "source"),
        (6, "position"),
    ]
    assert PeerGroup.objects.count() == 0


def test_positions_must_run_without_gaps(forces):
    with pytest.raises(ImportRejected) as rejected:
        _import(
            lines(HEADER, "Lancashire,2013-04-01,HO,1,Cumbria", "Lancashire,2013-04-01,HO,3,Kent")
        )
    assert "without gaps" in rejected.value.problems[0].reason


def test_importing_again_changes_nothing_and_a_new_list_replaces_the_members(forces):
    content = lines(HEADER, "Lancashire,2013-04-01,HO,1,Cumbria")
    first, _ = _import(content)
    again, description = _import(content)
    assert first is not None and again is None
    assert "1 unchanged" in description
    _, description = _import(lines(HEADER, "Lancashire,2013-04-01,HO,1,Kent"))
    assert "1 replaced" in description
    assert _members("E23000003") == ["Kent"]


def test_an_official_group_is_preferred_to_a_computed_one(forces):
    lancashire = Force.objects.get(code="E23000003")
    computed = PeerGroup.objects.create(
        force=lancashire, valid_from=dt.date(2014, 1, 1), source="portal", is_computed=True
    )
    PeerGroupMember.objects.create(
        group=computed, force=Force.objects.get(code="E23000032"), position=1
    )
    assert peer_group_for(force=lancashire, on=dt.date(2015, 1, 1)).is_computed
    _import(lines(HEADER, "Lancashire,2013-04-01,Home Office iQuanta,1,Cumbria"))
    group = peer_group_for(force=lancashire, on=dt.date(2015, 1, 1))
    assert not group.is_computed
    assert [m.name for m in group.members] == ["Cumbria"]


def test_a_group_is_flagged_when_used_before_it_applies(forces):
    lancashire = Force.objects.get(code="E23000003")
    _import(lines(HEADER, "Lancashire,2016-04-01,HO,1,Cumbria"))
    group = peer_group_for(force=lancashire, on=dt.date(2013, 9, 30))
    assert group.applies_before_valid_from

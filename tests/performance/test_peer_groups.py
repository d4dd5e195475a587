"""Computed peer groups: nearest forces by crime profile, always labelled as computed."""

import datetime as dt

from performance.models import Force, PeerGroup
from performance.periods import Period
from performance.services import peer_groups_compute

from .raw import CITY_OF_LONDON


def test_every_force_has_a_computed_group_for_each_financial_year(lancashire):
    groups = PeerGroup.objects.filter(is_computed=True)
    assert groups.values("valid_from").distinct().count() == 11  # 2012/13 to 2022/23
    assert groups.filter(valid_from=dt.date(2013, 4, 1)).count() == 43


def test_a_computed_group_has_seven_forces_never_itself_nor_the_excluded(lancashire):
    for group in PeerGroup.objects.filter(is_computed=True).prefetch_related("members__force"):
        codes = [member.force.code for member in group.members.all()]
        assert len(codes) == 7
        assert group.force.code not in codes
        assert CITY_OF_LONDON not in codes


def test_a_computed_group_says_how_it_was_made(lancashire):
    group = PeerGroup.objects.get(force=lancashire, valid_from=dt.date(2014, 4, 1))
    assert "Euclidean distance" in group.method
    assert "12 months ending March 2014" in group.method
    assert "not published by the Home Office" in group.method
    assert "most similar group" not in group.method  # the official words are for official lists
    assert group.source.startswith("Computed by the portal")


def test_computing_again_changes_nothing(lancashire):
    before = {
        group.force_id: [m.force_id for m in group.members.all()]
        for group in PeerGroup.objects.filter(valid_from=dt.date(2014, 4, 1)).prefetch_related(
            "members"
        )
    }
    result = peer_groups_compute(period=Period.parse("2014-03"))
    assert (result.created, result.changed, result.unchanged) == (0, 0, 43)
    assert result.groups == before


def test_the_size_of_a_computed_group_is_a_setting(lancashire, settings):
    settings.PERFORMANCE_PEER_GROUP_SIZE = 3
    result = peer_groups_compute(period=Period.parse("2015-03"))
    assert all(len(members) == 3 for members in result.groups.values())
    assert Force.objects.count() == len(result.groups)

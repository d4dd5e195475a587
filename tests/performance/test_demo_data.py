"""The demo holds the real Home Office figures for Lancashire, and loading it twice is harmless."""

import io

from django.core.management import call_command

from performance.models import (
    CrimeCount,
    Force,
    OffenceCodeCount,
    OffenceDefinition,
    PeerGroup,
    Population,
    Release,
)
from performance.periods import Period
from performance.selectors.comparison import comparison_build


def test_the_demo_shows_real_figures_for_lancashire_and_can_run_twice(db):
    call_command("demo", stdout=io.StringIO())
    counts = (
        CrimeCount.objects.count(),
        Population.objects.count(),
        PeerGroup.objects.count(),
        OffenceCodeCount.objects.count(),
        OffenceDefinition.objects.count(),
    )
    assert counts[0] == 48203
    call_command("demo", stdout=io.StringIO())
    assert (
        CrimeCount.objects.count(),
        Population.objects.count(),
        PeerGroup.objects.count(),
        OffenceCodeCount.objects.count(),
        OffenceDefinition.objects.count(),
    ) == counts
    # The quarterly file and the Lancashire table by offence code, each imported once.
    assert Release.objects.filter(source__slug="home-office-prc").count() == 2
    lancashire = Force.objects.get(name="Lancashire")
    comparison = comparison_build(force=lancashire, period=Period.parse("2013-09"))
    assert comparison.group.is_computed
    assert comparison.row("total-recorded-crime-excluding-fraud").is_complete
    assert comparison.red_rows
    october = comparison_build(force=lancashire, period=Period.parse("2013-10"))
    assert october.nearest_complete_period == Period.parse("2013-09")

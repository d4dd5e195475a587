"""Synthetic performance data of any size, for tests that must not depend on the real files."""

from __future__ import annotations

import datetime as dt

import factory

from performance.models import (
    Category,
    CategoryAlias,
    CrimeCount,
    DataSource,
    Force,
    ForceAlias,
    OffenceCode,
    OffenceCodeCount,
    OffenceDefinition,
    PeerGroup,
    PeerGroupMember,
    PendingImport,
    Population,
    Release,
)
from performance.periods import Period, month_end, month_start


class ForceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Force

    code = factory.Sequence(lambda n: f"E9{n:07d}")
    name = factory.Sequence(lambda n: f"Test force {n}")
    country = Force.Country.ENGLAND


class DataSourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DataSource
        django_get_or_create = ["slug"]

    slug = "home-office-prc"
    name = "Home Office police recorded crime"


class ReleaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Release

    source = factory.SubFactory(DataSourceFactory)
    label = "test release"
    file_name = "test.csv"
    sha256 = "0" * 64


def national_dataset(*, forces: int, subgroups: int, period: Period, years: int = 2) -> list[Force]:
    """``forces`` forces with populations, one offence group of ``subgroups`` subgroups and a
    named combination of them, monthly figures for the ``years`` years ending with ``period``
    (it and the 12 months before it by default), and a computed group of up to seven forces
    for the first force."""
    release = ReleaseFactory()
    created = ForceFactory.create_batch(forces)
    group = Category.objects.create(kind=Category.Kind.GROUP, name="Test group", slug="test-group")
    parts = [
        Category.objects.create(
            kind=Category.Kind.SUBGROUP, name=f"Part {i}", slug=f"part-{i}", group=group
        )
        for i in range(subgroups)
    ]
    combination = Category.objects.create(
        kind=Category.Kind.COMBINATION, name="All parts", slug="all-parts"
    )
    combination.components.set(parts)
    Population.objects.bulk_create(
        Population(
            force=force,
            year=period.end_year,
            population=100_000 + 1_000 * i,
            source=release.source,
            vintage="test",
        )
        for i, force in enumerate(created)
    )
    CrimeCount.objects.bulk_create(
        CrimeCount(
            force=force,
            category=part,
            source=release.source,
            release=release,
            period_start=month_start(month),
            period_end=month_end(month),
            months=1,
            count=10 + (i * 7 + j * 3 + month) % 20,
        )
        for i, force in enumerate(created)
        for j, part in enumerate(parts)
        for month in range(period.end_index - 12 * years + 1, period.end_index + 1)
    )
    peers = PeerGroup.objects.create(
        force=created[0], valid_from=dt.date(2000, 1, 1), source="test", is_computed=True
    )
    PeerGroupMember.objects.bulk_create(
        PeerGroupMember(group=peers, force=force, position=position)
        for position, force in enumerate(created[1:8], start=1)
    )
    return created


def wipe_performance_data() -> None:
    PendingImport.objects.all().delete()
    PeerGroupMember.objects.all().delete()
    PeerGroup.objects.all().delete()
    CrimeCount.objects.all().delete()
    OffenceCodeCount.objects.all().delete()
    OffenceDefinition.objects.all().delete()
    Population.objects.all().delete()
    Release.objects.all().delete()
    OffenceCode.objects.all().delete()
    CategoryAlias.objects.all().delete()
    Category.components.through.objects.all().delete()
    Category.objects.exclude(kind=Category.Kind.GROUP).delete()
    Category.objects.all().delete()
    ForceAlias.objects.all().delete()
    Force.objects.all().delete()
    DataSource.objects.all().delete()

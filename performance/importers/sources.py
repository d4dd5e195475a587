"""The source each file format belongs to; a release of a source revises that source only."""

from __future__ import annotations

from ..models import DataSource, Release

OGL = "Open Government Licence v3.0"

SOURCES = {
    "home-office-prc": {
        "name": "Home Office police recorded crime (Police Force Area open data tables)",
        "publisher": "Home Office",
        "url": "https://www.gov.uk/government/statistics/police-recorded-crime-open-data-tables",
        "licence": OGL,
    },
    "police-uk": {
        "name": "police.uk street-level crime",
        "publisher": "police.uk",
        "url": "https://data.police.uk/data/",
        "licence": OGL,
    },
    "force-extract": {
        "name": "Force monthly extract",
        "publisher": "The force",
        "url": "",
        "licence": "",
    },
    "ons-population": {
        "name": "ONS mid-year population estimates by police force area",
        "publisher": "Office for National Statistics",
        "url": "https://www.ons.gov.uk/peoplepopulationandcommunity/populationandmigration/populationestimates",
        "licence": OGL,
    },
    "most-similar-groups": {
        "name": "Most similar groups",
        "publisher": "",
        "url": "",
        "licence": "",
    },
}

FORMAT_SOURCES = {"prc": "home-office-prc", "policeuk": "police-uk", "monthly": "force-extract"}


def data_source(slug: str) -> DataSource:
    """The source with this slug, created with its defaults the first time it is needed."""
    source, _ = DataSource.objects.get_or_create(slug=slug, defaults=SOURCES[slug])
    return source


def data_source_held(slug: str) -> DataSource:
    """The source with this slug, or an unsaved one with its defaults (reads only: for plans)."""
    return DataSource.objects.filter(slug=slug).first() or DataSource(slug=slug, **SOURCES[slug])


def release_create(
    *, source: DataSource, label: str, files, sha256: str, user, summary: dict
) -> Release:
    """Record one import of ``files`` (what it was, who, what it changed): the audit trail of
    the data. The label and the file names are cut to fit their columns."""
    field = Release._meta.get_field
    return Release.objects.create(
        source=source,
        label=label[: field("label").max_length],
        file_name=", ".join(file.name for file in files)[: field("file_name").max_length],
        sha256=sha256,
        imported_by=user if user is not None and user.is_authenticated else None,
        summary=summary,
    )

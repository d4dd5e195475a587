"""Importing police.uk street-level crime files: one row per crime, counted by force and month."""

import datetime as dt
import io
import zipfile

import pytest

from performance.importers import ImportFile, ImportRejected
from performance.importers.crime import crime_counts_import
from performance.models import CrimeCount

from .raw import lines

HEADER = (
    "Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,"
    "Crime type,Last outcome category,Context"
)


def crime(month: str, force: str, crime_type: str) -> str:
    return (
        f"abc,{month},{force},{force},-2.7,53.7,On or near X,E01000001,Preston 001A,{crime_type},,"
    )


def _import(*files: ImportFile):
    return crime_counts_import(format="policeuk", files=list(files))


def _held() -> dict[tuple[str, dt.date, str], int]:
    return {
        (code, start, name): count
        for code, start, name, count in CrimeCount.objects.values_list(
            "force__code", "period_start", "category__name", "count"
        )
    }


def test_street_level_crimes_are_counted_by_force_month_and_crime_type(reference):
    _import(
        ImportFile(
            "2013-10-lancashire-street.csv",
            lines(
                HEADER,
                crime("2013-10", "Lancashire Constabulary", "Burglary"),
                crime("2013-10", "Lancashire Constabulary", "Burglary"),
                crime("2013-10", "Lancashire Constabulary", "Shoplifting"),
            ),
        )
    )
    october = dt.date(2013, 10, 1)
    assert _held() == {
        ("E23000003", october, "Burglary"): 2,
        ("E23000003", october, "Shoplifting"): 1,
    }
    assert set(CrimeCount.objects.values_list("months", flat=True)) == {1}


def test_a_zip_of_monthly_files_is_read_and_outcome_files_are_ignored(reference):
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr(
            "2013-10/2013-10-lancashire-street.csv",
            lines(HEADER, crime("2013-10", "Lancashire Constabulary", "Drugs")),
        )
        zipped.writestr(
            "2013-11/2013-11-lancashire-street.csv",
            lines(HEADER, crime("2013-11", "Lancashire Constabulary", "Drugs")),
        )
        zipped.writestr(
            "2013-11/2013-11-lancashire-outcomes.csv",
            lines("Crime ID,Month,Reported by,Falls within,Outcome type", "abc,2013-11,x,y,z"),
        )
    result = _import(ImportFile("lancashire.zip", archive.getvalue()))
    assert result.summary["added"] == 2
    assert result.summary["ignored_files"] == ["2013-11/2013-11-lancashire-outcomes.csv"]


def test_unknown_forces_and_crime_types_are_listed_not_skipped(reference):
    with pytest.raises(ImportRejected) as rejected:
        _import(
            ImportFile(
                "btp-street.csv",
                lines(
                    HEADER,
                    crime("2013-10", "British Transport Police", "Burglary"),
                    crime("2013-10", "Lancashire Constabulary", "Spaceship theft"),
                    crime("October", "Lancashire Constabulary", "Burglary"),
                ),
            )
        )
    found = {(p.file, p.line, p.column, p.reason) for p in rejected.value.problems}
    assert found == {
        ("btp-street.csv", 2, "Falls within", "unknown force"),
        ("btp-street.csv", 3, "Crime type", "unknown police.uk crime type"),
        ("btp-street.csv", 4, "Month", "not a month written YYYY-MM, e.g. 2013-10"),
    }
    assert CrimeCount.objects.count() == 0


def test_a_crime_type_absent_from_a_newer_file_had_no_crimes(reference):
    name = "2013-10-lancashire-street.csv"
    _import(
        ImportFile(
            name,
            lines(
                HEADER,
                crime("2013-10", "Lancashire Constabulary", "Burglary"),
                crime("2013-10", "Lancashire Constabulary", "Robbery"),
            ),
        )
    )
    result = _import(
        ImportFile(name, lines(HEADER, crime("2013-10", "Lancashire Constabulary", "Burglary")))
    )
    assert result.summary["removed"] == 1
    assert set(_held()) == {("E23000003", dt.date(2013, 10, 1), "Burglary")}


def test_a_large_file_on_disk_is_read_as_a_stream_in_little_memory(reference, tmp_path):
    import tracemalloc

    from performance.importers.crime import crime_files_parse

    path = tmp_path / "2013-10-lancashire-street.csv"
    types = ["Burglary", "Drugs", "Robbery", "Shoplifting"]
    with path.open("w", encoding="utf-8", newline="") as file:
        file.write(HEADER + "\n")
        for n in range(200_000):
            identifier = f"{n:064x}"
            file.write(
                f"{identifier},2013-{n % 12 + 1:02d},Lancashire Constabulary,"
                f"Lancashire Constabulary,-2.{n % 999:06d},53.{n % 997:06d},On or near Church "
                f"Street,E0102{n % 9999:04d},Preston {n % 20:03d}A,{types[n % 4]},"
                "Investigation complete; no suspect identified,\n"
            )
    size = path.stat().st_size
    tracemalloc.start()
    parsed = crime_files_parse(format="policeuk", files=[ImportFile.from_path(path)])
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert size > 40 * 2**20
    assert parsed.rows_read == 200_000
    assert sum(parsed.counts.values()) == 200_000
    assert len(parsed.counts) == 12  # n % 12 gives the month, and with it the crime type
    assert peak < 8 * 2**20, f"peak {peak / 2**20:.1f} MiB for a {size / 2**20:.0f} MiB file"

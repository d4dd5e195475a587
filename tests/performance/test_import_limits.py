"""Compressed files are expanded in a stream, within limits: a decompression bomb, a zip of
countless entries or an endless line is refused with a problem naming the file and the limit,
before memory grows."""

from __future__ import annotations

import gzip
import io
import tracemalloc
import zipfile
import zlib

import pytest

from performance.importers import ImportFile, ImportRejected
from performance.importers.crime import crime_counts_import
from performance.models import CrimeCount

from .raw import lines

HEADER = b"force,month,category,count\n"
ROW = b"Lancashire,2013-09,Burglary,1\n"
BOMB_BYTES = 256 * 2**20  # what the bombs expand to: 256 MiB


def _rows(size: int):
    """``size`` bytes of the same CSV row after the header, in chunks of 1 MiB."""
    yield HEADER
    chunk = ROW * (2**20 // len(ROW))
    for _ in range(size // len(chunk)):
        yield chunk


@pytest.fixture(scope="module")
def gzip_bomb() -> bytes:
    compressor = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)  # gzip framing
    return b"".join(compressor.compress(chunk) for chunk in _rows(BOMB_BYTES)) + compressor.flush()


@pytest.fixture(scope="module")
def zip_bomb() -> bytes:
    archive = io.BytesIO()
    with (
        zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as zipped,
        zipped.open("2013-09/2013-09-lancashire-street.csv", "w") as entry,
    ):
        for chunk in _rows(BOMB_BYTES):
            entry.write(chunk)
    return archive.getvalue()


def _monthly(*files: ImportFile):
    return crime_counts_import(format="monthly", files=list(files), create_categories=True)


def _peak_while(function) -> tuple[int, BaseException | None]:
    """Peak of Python's allocations while ``function`` runs, and what it raised."""
    tracemalloc.start()
    raised = None
    try:
        function()
    except BaseException as error:
        raised = error
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak, raised


def test_the_bombs_are_what_they_claim_to_be(gzip_bomb, zip_bomb):
    assert len(gzip_bomb) < BOMB_BYTES // 200
    assert len(zip_bomb) < BOMB_BYTES // 200
    with zipfile.ZipFile(io.BytesIO(zip_bomb)) as archive:
        assert archive.infolist()[0].file_size > BOMB_BYTES - 2**20
        assert archive.open(archive.infolist()[0]).read(len(HEADER)) == HEADER


@pytest.mark.parametrize("name", ["extract.csv.gz", "extract.zip"])
def test_a_decompression_bomb_is_refused_before_memory_grows(reference, gzip_bomb, zip_bomb, name):
    content = gzip_bomb if name.endswith(".gz") else zip_bomb
    peak, raised = _peak_while(lambda: _monthly(ImportFile(name, content)))
    assert isinstance(raised, ImportRejected), raised
    problem = raised.problems[-1]  # the rows read before it repeat one figure: problems too
    assert problem.file == name
    assert "IMPORT_MAX_COMPRESSION_RATIO" in problem.reason
    assert "100" in problem.reason
    assert peak < 16 * 2**20, f"peak {peak / 2**20:.0f} MiB"
    assert CrimeCount.objects.count() == 0


def test_a_file_expanding_beyond_the_size_limit_is_refused(reference, settings):
    settings.IMPORT_MAX_EXPANDED_BYTES = 100_000
    rows = [f"Lancashire,{2000 + n // 12}-{n % 12 + 1:02d},Burglary,{n}" for n in range(5000)]
    content = gzip.compress(lines("force,month,category,count", *rows))
    with pytest.raises(ImportRejected) as rejected:
        _monthly(ImportFile("extract.csv.gz", content))
    [problem] = rejected.value.problems
    assert problem.file == "extract.csv.gz"
    assert "IMPORT_MAX_EXPANDED_BYTES" in problem.reason
    assert "100,000 bytes" in problem.reason
    assert CrimeCount.objects.count() == 0


def test_a_plain_file_counts_against_the_size_limit_too(reference, settings):
    settings.IMPORT_MAX_EXPANDED_BYTES = 1000
    rows = [f"Lancashire,{2000 + n // 12}-{n % 12 + 1:02d},Burglary,1" for n in range(60)]
    with pytest.raises(ImportRejected) as rejected:
        _monthly(ImportFile("extract.csv", lines("force,month,category,count", *rows)))
    assert "IMPORT_MAX_EXPANDED_BYTES" in rejected.value.problems[-1].reason


def test_a_zip_of_too_many_entries_is_refused_before_they_are_read(reference, settings):
    settings.IMPORT_MAX_ZIP_ENTRIES = 10
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as zipped:
        for n in range(11):
            zipped.writestr(f"{n}.csv", lines("force,month,category,count"))
    with pytest.raises(ImportRejected) as rejected:
        _monthly(ImportFile("many.zip", archive.getvalue()))
    [problem] = rejected.value.problems
    assert problem.file == "many.zip"
    assert "IMPORT_MAX_ZIP_ENTRIES" in problem.reason
    assert "11 entries" in problem.reason


def test_a_zip_whose_directory_is_huge_is_refused_before_it_is_parsed(reference):
    # 100,000 empty entries: an 8 MB file whose directory makes 40 MB of Python objects.
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as zipped:
        for n in range(100_000):
            zipped.writestr(zipfile.ZipInfo(f"{n}"), b"")
    content = archive.getvalue()
    peak, raised = _peak_while(lambda: _monthly(ImportFile("directory.zip", content)))
    assert isinstance(raised, ImportRejected), raised
    assert "IMPORT_MAX_ZIP_ENTRIES" in raised.problems[0].reason
    assert peak < 16 * 2**20, f"peak {peak / 2**20:.0f} MiB"


def test_a_zip_entry_compressed_other_than_by_deflate_is_refused(reference):
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_LZMA) as zipped:
        zipped.writestr("extract.csv", lines("force,month,category,count"))
    with pytest.raises(ImportRejected) as rejected:
        _monthly(ImportFile("extract.zip", archive.getvalue()))
    [problem] = rejected.value.problems
    assert problem.file == "extract.zip"
    assert "extract.csv" in problem.reason and "deflate" in problem.reason


def test_an_endless_line_is_refused_at_the_limit(reference, settings):
    settings.IMPORT_MAX_LINE_LENGTH = 1000
    content = lines(
        "force,month,category,count", "Lancashire,2013-09,Burglary,1", "x" * 5000, "y,2,3,4"
    )
    with pytest.raises(ImportRejected) as rejected:
        _monthly(ImportFile("extract.csv", content))
    [problem] = rejected.value.problems
    assert (problem.file, problem.line) == ("extract.csv", 3)
    assert "IMPORT_MAX_LINE_LENGTH" in problem.reason
    assert "1,000 characters" in problem.reason


def test_a_line_without_end_in_a_gzip_bomb_is_refused_before_memory_grows(reference):
    compressor = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    content = compressor.compress(HEADER) + b"".join(
        compressor.compress(b"x" * 2**20) for _ in range(64)
    )
    content += compressor.flush()
    peak, raised = _peak_while(lambda: _monthly(ImportFile("line.csv.gz", content)))
    assert isinstance(raised, ImportRejected), raised
    reason = raised.problems[0].reason
    assert "IMPORT_MAX_LINE_LENGTH" in reason or "IMPORT_MAX_COMPRESSION_RATIO" in reason
    assert peak < 16 * 2**20, f"peak {peak / 2**20:.0f} MiB"


def test_files_within_the_limits_import_as_before(reference):
    rows = [f"Lancashire,2013-{month:02d},Burglary,{month}" for month in range(1, 13)]
    plain = lines("force,month,category,count", *rows)
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_DEFLATED) as zipped:
        zipped.writestr("extract.csv", plain)
    for file in (
        ImportFile("extract.csv", plain),
        ImportFile("extract.csv.gz", gzip.compress(plain)),
        ImportFile("extract.zip", archive.getvalue()),
    ):
        CrimeCount.objects.all().delete()
        result = _monthly(file)
        assert result.summary["added"] == 12, file.name


def test_a_truncated_gzip_file_is_refused_with_its_name(reference):
    rows = [f"Lancashire,2013-{month:02d},Burglary,{month}" for month in range(1, 13)]
    content = gzip.compress(lines("force,month,category,count", *rows))
    with pytest.raises(ImportRejected) as rejected:
        _monthly(ImportFile("extract.csv.gz", content[:-12]))
    problem = rejected.value.problems[-1]
    assert problem.file == "extract.csv.gz"
    assert "gzip" in problem.reason
    assert CrimeCount.objects.count() == 0


def test_the_limits_have_sensible_defaults(settings):
    assert settings.IMPORT_MAX_EXPANDED_BYTES == 4 * 2**30
    assert settings.IMPORT_MAX_COMPRESSION_RATIO == 100
    assert settings.IMPORT_MAX_ZIP_ENTRIES == 10_000
    assert settings.IMPORT_MAX_LINE_LENGTH == 10_000


# What a file holds, not only its size, is bounded: figures held while reading, new categories.


def test_a_file_of_more_figures_than_an_import_holds_is_refused(reference, settings):
    settings.IMPORT_MAX_FIGURES = 100
    rows = [f"Lancashire,{2000 + n // 12}-{n % 12 + 1:02d},Burglary,{n}" for n in range(101)]
    with pytest.raises(ImportRejected) as rejected:
        _monthly(ImportFile("extract.csv", lines("force,month,category,count", *rows)))
    problem = rejected.value.problems[-1]
    assert (problem.file, problem.line) == ("extract.csv", 102)
    assert "IMPORT_MAX_FIGURES" in problem.reason and "100 figures" in problem.reason
    _monthly(ImportFile("extract.csv", lines("force,month,category,count", *rows[:100])))
    assert CrimeCount.objects.count() == 100


@pytest.mark.parametrize("format", ["prc", "policeuk"])
def test_every_crime_format_holds_at_most_the_figures_allowed(reference, settings, format):
    settings.IMPORT_MAX_FIGURES = 50
    if format == "prc":
        header = (
            "financial_year,financial_quarter,pfa_code,offence_group,offence_subgroup,"
            "number_of_offences"
        )
        rows = [
            f"{2000 + n // 4}/{(n // 4 + 1) % 100:02d},{n % 4 + 1},E23000003,Theft offences,"
            "Shoplifting,1"
            for n in range(51)
        ]
    else:
        header = "Month,Falls within,Crime type"
        rows = [
            f"{2000 + n // 12}-{n % 12 + 1:02d},Lancashire Constabulary,Drugs" for n in range(51)
        ]
    with pytest.raises(ImportRejected) as rejected:
        crime_counts_import(format=format, files=[ImportFile("file.csv", lines(header, *rows))])
    assert "IMPORT_MAX_FIGURES" in rejected.value.problems[-1].reason


def test_a_police_uk_file_naming_millions_of_bad_values_stays_small(reference):
    rows = (f"{n:07d},Lancashire Constabulary,Drugs" for n in range(300_000))
    content = ("Month,Falls within,Crime type\n" + "\n".join(rows) + "\n").encode()
    peak, raised = _peak_while(
        lambda: crime_counts_import(format="policeuk", files=[ImportFile("street.csv", content)])
    )
    assert isinstance(raised, ImportRejected), raised
    assert raised.count == 300_000
    assert len(raised.problems) == 1000
    assert peak < 48 * 2**20, f"peak {peak / 2**20:.0f} MiB"


def test_new_categories_are_bounded_and_found_whatever_their_case(reference):
    rows = [f"Lancashire,2013-10,New category {n},1" for n in range(1001)]
    rows += ["Lancashire,2013-11,new CATEGORY 0,2"]
    with pytest.raises(ImportRejected) as rejected:
        _monthly(ImportFile("extract.csv", lines("force,month,category,count", *rows)))
    [problem] = rejected.value.problems
    assert (problem.line, problem.column) == (1002, "category")
    assert "more than 1,000 new categories" in problem.reason
    result = _monthly(ImportFile("extract.csv", lines("force,month,category,count", *rows[:3])))
    assert result.summary["new_categories"] == [
        "New category 0",
        "New category 1",
        "New category 2",
    ]

"""Property-based: whatever file is uploaded, plain or compressed, an import never fails with a
server error and never imports part of a file; compressed, a file reads as it does plain."""

import gzip
import io
import zipfile
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.urls import reverse
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from performance import services
from performance.importers.base import ImportRejected
from performance.models import CrimeCount, PeerGroup, Population

pytestmark = pytest.mark.django_db

RUN = settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
HOSTILE = st.one_of(
    st.text(max_size=40),
    st.sampled_from(
        [
            "=cmd|' /C calc'!A0",
            "+SUM(A1)",
            "@x",
            "-00",
            " 12",
            "-5",
            "9" * 40,
            "1e9",
            "NaN",
            "",
            "Lancashire",
            "E23000003",
            "lancashire",
            "2013-09",
            "2013-13",
            "0000-00",
            "99999-01",
            "2013/14",
            "Q5",
            "Other sexual offences",
            "other-sexual-offences",
            "1,234",
            "37.200000000000003",
            "\x00",
            "é",
            "😀",
        ]
    ),
)
COLUMNS = {
    "monthly": ["force", "month", "category", "count"],
    "prc": [
        "Financial Year",
        "Financial Quarter",
        "Force Name",
        "Offence Description",
        "Offence Group",
        "Offence Subgroup",
        "Offence Code",
        "Number of Offences",
    ],
    "population": ["pfa_code", "pfa_name", "year", "population"],
    "msg": ["force", "valid_from", "source", "position", "similar_force"],
    "policeuk": ["Crime ID", "Month", "Reported by", "Falls within", "Crime type"],
}


def _csv_cell(value: str) -> str:
    return '"' + value.replace('"', '""') + '"' if any(c in value for c in ',"\n') else value


@st.composite
def uploads(draw, kind: str) -> bytes:
    known = COLUMNS[kind]
    header = draw(st.lists(st.sampled_from([*known, "junk", ""]), min_size=0, max_size=9))
    if draw(st.booleans()):
        header = list(known)  # a right header, hostile rows
    rows = draw(st.lists(st.lists(HOSTILE, min_size=0, max_size=len(header) + 2), max_size=8))
    text = "\n".join(",".join(_csv_cell(cell) for cell in row) for row in [header, *rows])
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "latin-1", "utf-16", "raw"]))
    if encoding == "raw":
        return draw(st.binary(max_size=300))
    return text.encode(encoding, errors="replace")


def _zipped(entries: list[tuple[str, bytes]], method: int = zipfile.ZIP_DEFLATED) -> bytes:
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w", compression=method) as zipped:
        for name, content in entries:
            zipped.writestr(name, content)
    return archive.getvalue()


@st.composite
def compressed(draw, kind: str) -> bytes:
    """An upload compressed, then perhaps damaged: truncated, its bytes flipped, or random
    bytes behind a compressed file's magic number."""
    content = draw(uploads(kind))
    way = draw(st.sampled_from(["gzip", "zip", "zip of several", "random gzip", "random zip"]))
    if way == "gzip":
        packed = gzip.compress(content)
    elif way == "zip":
        packed = _zipped([(f"{kind}.csv", content)])
    elif way == "zip of several":
        packed = _zipped(
            [(f"{n}.csv", content) for n in range(draw(st.integers(0, 3)))]
            + [("readme.txt", b"not read"), ("folder/", b"")],
            method=draw(st.sampled_from([zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED])),
        )
    else:
        magic = b"\x1f\x8b" if way == "random gzip" else b"PK\x03\x04"
        return magic + draw(st.binary(max_size=300))
    damage = draw(st.sampled_from(["none", "truncate", "flip"]))
    if damage == "truncate" and packed:
        packed = packed[: draw(st.integers(0, len(packed) - 1))]
    elif damage == "flip" and packed:
        at = draw(st.integers(0, len(packed) - 1))
        packed = packed[:at] + bytes([packed[at] ^ draw(st.integers(1, 255))]) + packed[at + 1 :]
    return packed


@st.composite
def bombs(draw) -> bytes:
    """A small bomb: one row repeated until it expands hundreds of times its size."""
    row = draw(st.sampled_from([b"Lancashire,2013-09,Burglary,1\n", b"\n", b"x", b",,,,\n"]))
    size = draw(st.integers(2**20 + 1, 4 * 2**20))
    compressor = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    body = compressor.compress(b"force,month,category,count\n" + row * (size // len(row)))
    body += compressor.flush()
    if draw(st.booleans()):
        return _zipped([("extract.csv", gzip.decompress(body))])
    return body


def _counts():
    return CrimeCount.objects.count(), Population.objects.count(), PeerGroup.objects.count()


def _import(user, kind: str, content: bytes) -> None:
    """Upload then apply; a rejection must leave the data exactly as they were."""
    before = _counts()
    options = {"release_label": "test", "vintage": "test", "create_categories": True}
    try:
        pending = services.pending_import_create(
            user=user,
            kind=kind,
            upload=ContentFile(content, name=f"upload.{kind}.csv"),
            options=options,
        )
    except (ImportRejected, ValidationError):
        assert _counts() == before
        return
    try:
        services.pending_import_apply(user=user, pending=pending)
    except ImportRejected:
        assert _counts() == before


@pytest.mark.parametrize("files", [uploads, compressed], ids=["plain", "compressed"])
@pytest.mark.parametrize("kind", list(COLUMNS))
def test_random_files_never_fail_or_half_import(reference, importer, kind, files):
    @RUN
    @given(content=files(kind))
    def check(content):
        _import(importer, kind, content)

    check()


def _outcome(kind: str, name: str, content: bytes):
    """What reading a file finds: its problems (where and why), or what it holds."""
    from performance.importers import ImportFile, import_read

    options = {"release_label": "", "vintage": "test", "create_categories": True}
    try:
        read = import_read(kind=kind, files=[ImportFile(name, content)], options=options)
    except ImportRejected as rejected:
        return "rejected", sorted((p.line or 0, p.column, p.reason) for p in rejected.problems)
    content = read.content
    return "read", getattr(content, "counts", content)


@pytest.mark.parametrize("kind", list(COLUMNS))
def test_a_gzipped_or_zipped_file_reads_exactly_as_it_does_plain(reference, kind):
    @RUN
    @given(content=uploads(kind))
    def check(content):
        assume(not content.startswith((b"\x1f\x8b", b"PK")))  # plain, not itself compressed
        plain = _outcome(kind, "upload.csv", content)
        assert _outcome(kind, "upload.csv.gz", gzip.compress(content)) == plain
        assert _outcome(kind, "upload.zip", _zipped([("upload.csv", content)])) == plain

    check()


@RUN
@given(content=bombs())
def test_a_bomb_is_refused_at_a_limit_and_imports_nothing(reference, importer, content):
    with pytest.raises(ImportRejected) as rejected:
        services.pending_import_create(
            user=importer,
            kind="monthly",
            upload=ContentFile(content, name="bomb.csv.gz"),
            options={"create_categories": True},
        )
    reason = rejected.value.problems[-1].reason
    assert "IMPORT_MAX_COMPRESSION_RATIO" in reason or "IMPORT_MAX_LINE_LENGTH" in reason
    assert not CrimeCount.objects.exists()


@RUN
@given(content=uploads("monthly"))
def test_the_upload_page_answers_every_file(reference, importer_client, content):
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = importer_client.post(
        reverse("performance:import-upload"),
        {
            "kind": "monthly",
            "release_label": "test",
            "create_categories": "on",
            "file": SimpleUploadedFile("extract.csv", content, "text/csv"),
        },
    )
    assert response.status_code in (200, 302)


def test_a_file_over_the_limit_is_refused(reference, importer, settings):
    settings.PERFORMANCE_UPLOAD_MAX_BYTES = 100
    content = ("force,month,category,count\n" + "Lancashire,2013-09,Burglary,1\n" * 10).encode()
    with pytest.raises(ValidationError, match="larger than"):
        services.pending_import_create(
            user=importer, kind="monthly", upload=ContentFile(content, name="big.csv"), options={}
        )

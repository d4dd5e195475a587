"""Property-based: whatever file is uploaded, an import never fails with a server error and
never imports part of a file."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
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


def _counts():
    return CrimeCount.objects.count(), Population.objects.count(), PeerGroup.objects.count()


def _import(user, kind: str, content: bytes) -> None:
    """Upload then apply; a rejection must leave the data exactly as they were."""
    before = _counts()
    options = {"release_label": "test", "vintage": "test", "create_categories": True}
    try:
        pending = services.pending_import_create(
            user=user, kind=kind, file_name=f"upload.{kind}.csv", content=content, options=options
        )
    except (ImportRejected, ValidationError):
        assert _counts() == before
        return
    try:
        services.pending_import_apply(user=user, pending=pending)
    except ImportRejected:
        assert _counts() == before


@pytest.mark.parametrize("kind", list(COLUMNS))
def test_random_files_never_fail_or_half_import(reference, importer, kind):
    @RUN
    @given(content=uploads(kind))
    def check(content):
        _import(importer, kind, content)

    check()


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
            user=importer, kind="monthly", file_name="big.csv", content=content, options={}
        )

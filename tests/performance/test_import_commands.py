"""The import commands list every problem and exit non-zero; they are thin shells."""

import pytest
from django.core.management import CommandError, call_command

from performance.models import CrimeCount, PeerGroup, Population

from .raw import lines


@pytest.fixture
def write(tmp_path):
    def write(name: str, content: bytes) -> str:
        path = tmp_path / name
        path.write_bytes(content)
        return str(path)

    return write


def test_import_crime_imports_and_reports(reference, write, capsys):
    path = write("extract.csv", lines("force,month,category,count", "Lancashire,2013-10,Arson,41"))
    call_command("import_crime", "--format", "monthly", path)
    assert "Imported: 1 figures for 1 force(s)" in capsys.readouterr().out
    call_command("import_crime", "--format", "monthly", path)
    assert capsys.readouterr().out.startswith("Nothing changed")
    assert CrimeCount.objects.count() == 1


def test_import_crime_lists_every_problem_and_fails(reference, write, capsys):
    path = write(
        "extract.csv",
        lines(
            "force,month,category,count", "Nowhere,2013-10,Arson,1", "Lancashire,2013-10,Arson,x"
        ),
    )
    with pytest.raises(CommandError, match="2 problem"):
        call_command("import_crime", "--format", "monthly", path)
    err = capsys.readouterr().err
    assert "extract.csv, line 2, column 'force': unknown force (read 'Nowhere')" in err
    assert "line 3, column 'count': not a whole number" in err
    assert CrimeCount.objects.count() == 0


def test_import_crime_refuses_a_missing_file(reference):
    with pytest.raises(CommandError, match="No such file"):
        call_command("import_crime", "--format", "prc", "/nonexistent.csv")


def test_import_population_and_msg_commands(reference, write, capsys):
    call_command(
        "import_population",
        write("pop.csv", lines("pfa_code,year,population", "E23000003,2030,1600000")),
        "--vintage",
        "projection",
    )
    assert Population.objects.get(year=2030).vintage == "projection"
    call_command(
        "import_msg",
        write(
            "msg.csv",
            lines(
                "force,valid_from,source,position,similar_force",
                "Lancashire,2019-04-01,HMICFRS,1,Merseyside",
            ),
        ),
    )
    assert PeerGroup.objects.get(is_computed=False).source == "HMICFRS"


def test_dry_run_changes_nothing(reference, write, capsys):
    path = write("extract.csv", lines("force,month,category,count", "Lancashire,2013-10,Arson,4"))
    call_command("import_crime", "--format", "monthly", "--dry-run", path)
    assert capsys.readouterr().out.startswith("Would import: 1 figures")
    assert CrimeCount.objects.count() == 0

"""Bad input refused cleanly on the command line: one paragraph naming the culprit, a documented exit
code, no traceback, nothing written. (The first rows of the table of bad inputs; more join them.)"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from libertera_kg.cli import main

COMMAND = str(Path(sys.executable).parent / "libertera-kg")


def one_paragraph(err: str) -> str:
    assert "Traceback" not in err
    assert "internal error" not in err
    assert len(err.strip().splitlines()) == 1, err
    return err


@pytest.mark.parametrize("command", [["validate", "--alone"], ["check", "--alone"], ["build"]])
def test_an_empty_rdf_file_is_named_as_empty(
    tmp_path: Path, command: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    empty = tmp_path / "empty.ttl"
    empty.write_bytes(b"")
    out = tmp_path / "dist"
    assert main([*command, str(empty), *(["-o", str(out)] if command == ["build"] else [])]) == 2
    err = one_paragraph(capsys.readouterr().err)
    assert f"{empty}: the file is empty" in err
    assert not out.exists()


def test_an_empty_query_file_is_named_as_empty(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    empty = tmp_path / "empty.rq"
    empty.write_text("  \n# only a comment\n", encoding="utf-8")
    assert main(["sparql", str(empty)]) == 2
    err = one_paragraph(capsys.readouterr().err)
    assert f"{empty}: the query file holds no query" in err
    assert "update" not in err


def test_a_parameter_given_twice_is_an_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["query", "cases-by-country", "-p", "country=BR", "-p", "country=MZ"]) == 2
    err = one_paragraph(capsys.readouterr().err)
    assert "The parameter 'country' is given twice" in err


@pytest.mark.parametrize("command", [["queries"], ["query", "source-quotes", "--format", "csv"]])
def test_a_closed_pipe_ends_the_command_quietly(command: list[str]) -> None:
    """As Unix tools do (``libertera-kg queries | head -1``): the reader is gone before the command
    writes, and the command ends without a word, with the status of a command ended by SIGPIPE."""
    reader = subprocess.Popen([COMMAND, *command], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert reader.stdout is not None
    assert reader.stderr is not None
    reader.stdout.close()  # long before the command has loaded anything to write
    err = reader.stderr.read()
    reader.stderr.close()
    reader.wait(timeout=120)
    assert err == b""
    assert reader.returncode == 141, "128 + SIGPIPE"

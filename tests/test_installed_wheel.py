"""The built wheel, installed in a fresh virtual environment, finds its files with importlib.resources."""

from __future__ import annotations

import os
import subprocess
import sys
import venv
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


def _run(*args: str | Path, cwd: Path, check: bool = True) -> subprocess.CompletedProcess[str]:
    # Run outside the repository, with no PYTHONPATH, so nothing can leak in from the checkout.
    env = {key: value for key, value in os.environ.items() if key not in ("PYTHONPATH", "VIRTUAL_ENV")}
    result = subprocess.run(
        [str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True, check=False
    )
    if check and result.returncode != 0:
        pytest.fail(f"{args} failed with {result.returncode}:\n{result.stdout}\n{result.stderr}")
    return result


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A fresh virtual environment with the wheel built from this checkout; returns (python, work dir)."""
    root = tmp_path_factory.mktemp("wheel")
    wheels, env_dir, work = root / "wheels", root / "env", root / "work"
    work.mkdir()
    _run(sys.executable, "-m", "build", "--wheel", "--outdir", wheels, REPO, cwd=work)
    (wheel,) = wheels.glob("libertera_kg-*.whl")
    venv.EnvBuilder(with_pip=True).create(env_dir)
    python = env_dir / "bin" / "python"
    _run(python, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", wheel, cwd=work)
    return python, work


def test_installed_package_loads_its_ontology_from_site_packages(installed: tuple[Path, Path]) -> None:
    python, work = installed
    script = (
        "import libertera_kg, libertera_kg.resources as r\n"
        "kg = libertera_kg.load()\n"
        "print(r.ontology_files()[0])\n"
        "print(kg.summary().classes)\n"
    )
    lines = _run(python, "-c", script, cwd=work).stdout.splitlines()
    ontology_file = Path(lines[0])
    assert "site-packages" in ontology_file.parts
    assert ontology_file.is_relative_to(python.parents[1])
    assert int(lines[1]) > 20


def test_installed_wheel_ships_ontology_data_and_queries(installed: tuple[Path, Path]) -> None:
    python, work = installed
    script = (
        "import libertera_kg.resources as r\n"
        "print(len(r.ontology_files()), len(r.source_text_files()), len(r.query_files()))\n"
    )
    counts = [int(n) for n in _run(python, "-c", script, cwd=work).stdout.split()]
    shipped = [
        len(list((REPO / "ontology").glob("*.ttl")))
        + len(list((REPO / "ontology" / "schemes").glob("*.ttl"))),
        len(list((REPO / "data" / "source").glob("*.txt"))),
        len(list((REPO / "queries").glob("*.rq"))),
    ]
    assert counts == shipped
    source = _run(
        python, "-c", "import libertera_kg.resources as r; print(r.source_text_files()[0])", cwd=work
    )
    installed_text = Path(source.stdout.strip()).read_bytes()
    assert installed_text == (REPO / "data" / "source" / "news-article-libertera-3.txt").read_bytes()


def test_installed_cli_builds(installed: tuple[Path, Path]) -> None:
    python, work = installed
    result = _run(python.parent / "libertera-kg", "build", cwd=work)
    assert "OWL 2 RL consistency pass" in result.stdout
    assert (work / "dist" / "queries" / "operation-overview.csv").is_file()


def test_installed_cli_runs_a_canned_query_without_extras(installed: tuple[Path, Path]) -> None:
    python, work = installed
    result = _run(python.parent / "libertera-kg", "query", "timeline", "--format", "csv", cwd=work)
    assert result.stdout.splitlines()[1].startswith("2021-07-05,start,Liberterra,")


def test_installed_version_is_the_ontology_version(installed: tuple[Path, Path]) -> None:
    python, work = installed
    result = _run(python.parent / "libertera-kg", "--version", cwd=work)
    ontology = (REPO / "ontology" / "libertera.ttl").read_text(encoding="utf-8")
    version = result.stdout.split()[-1]
    assert f'owl:versionInfo "{version}"' in ontology


def test_damaged_installation_gives_a_clear_error(installed: tuple[Path, Path]) -> None:
    """Runs last in this module: it breaks the installed copy (only this test's own environment)."""
    python, work = installed
    locate_data = (
        "import libertera_kg.resources as r; "
        "print(next(f for f in r.data_files() if f.name == 'news-article-libertera-3.trig'))"
    )
    article = Path(_run(python, "-c", locate_data, cwd=work).stdout.strip())
    original = article.read_text(encoding="utf-8")
    article.write_text(original.replace("lt:statedValue 3744", "lt:statedValue 3600"), encoding="utf-8")
    result = _run(python.parent / "libertera-kg", "build", "-o", "refused", cwd=work, check=False)
    assert result.returncode == 1
    assert "ltsh:ExactFigureAgreesWithBounds" in result.stderr
    assert "Nothing was published" in result.stderr
    assert not (work / "refused").exists()
    article.write_text(original, encoding="utf-8")

    locate = "import libertera_kg.resources as r; print(r.ontology_files()[-1])"
    scheme = Path(_run(python, "-c", locate, cwd=work).stdout.strip())
    scheme.write_text("@prefix ex: <http://example.org/> .\nex:a ex:b\n", encoding="utf-8")
    result = _run(python.parent / "libertera-kg", "build", cwd=work, check=False)
    assert result.returncode == 2
    assert result.stderr.startswith(f"libertera-kg: error: {scheme}, line 2, column 10: not valid Turtle")
    assert "Traceback" not in result.stderr

    scheme.unlink()
    ontology_dir = scheme.parents[1]
    (ontology_dir / "alignments.ttl").unlink()
    result = _run(python.parent / "libertera-kg", "build", cwd=work, check=False)
    assert result.returncode == 2
    assert "The ontology part 'alignments.ttl' is missing" in result.stderr

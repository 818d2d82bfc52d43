"""A contributor's path: a new report validated and checked with our published graph, every published dump
read back, authored files told from plain TriG by what they hold, and the README's worked example run
step by step, on the command line and in Python alike."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import libertera_kg
from libertera_kg import KnowledgeGraph, load, run_all_checks, validate
from libertera_kg.cli import main
from libertera_kg.synth import synthesize

EXAMPLE = Path(__file__).parent.parent / "examples" / "adding-a-report"
REPORT = "operation-harbour-light.trig"


@pytest.fixture
def report(tmp_path: Path) -> Path:
    """The worked example copied to a folder of its own: the report and its source text beside it."""
    shutil.copytree(EXAMPLE, tmp_path / "contribution")
    return tmp_path / "contribution" / REPORT


#: The steps the fresh build reported, in order.
BUILD_STEPS: list[str] = []


@pytest.fixture(scope="module")
def dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh build of the shipped graph, its steps noted in :data:`BUILD_STEPS`."""
    out = tmp_path_factory.mktemp("build") / "dist"
    BUILD_STEPS.clear()
    assert libertera_kg.build(output=out, progress=BUILD_STEPS.append).published
    return out


def test_the_build_reports_each_step_as_it_starts(dist: Path) -> None:
    from libertera_kg.views import list_views

    views = [item.name for item in list_views()]
    assert BUILD_STEPS[:4] == [
        "loading the ontology and data",
        "running the quality checks",
        "validating against the SHACL shapes",
        "running the canned queries",
    ]
    assert BUILD_STEPS[4:] == [
        *(f"building the view {name}" for name in views),
        *(f"drawing the view {name}" for name in views),
        "writing the dumps",
    ]


def test_a_report_naming_our_entities_conforms_with_our_graph(
    report: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["validate", str(report)]) == 0, "country:BR and INTERPOL are described by our graph"
    assert capsys.readouterr().out.startswith("The data conforms: 0 violation(s), 8 warning(s), 2 note(s).")
    assert main(["validate", "--alone", str(report)]) == 1, "alone, BR and INTERPOL are undescribed"
    assert "ltsh:Operation-coordinatedBy" in capsys.readouterr().out


def test_python_validates_exactly_as_the_command_line(report: Path) -> None:
    together = validate(load(report))
    alone = validate(load(report, with_shipped_data=False))
    assert together.conforms
    assert not alone.conforms
    assert {r.rule for r in alone.violations} == {
        "ltsh:Case-occurredIn",
        "ltsh:Operation-coordinatedBy",
        "ltsh:Operation-participatingCountry",
    }, "Brazil and INTERPOL are not described without our data"


def test_check_of_a_report_runs_with_our_graph(report: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", str(report)]) == 0
    assert "checks: every term declared" in capsys.readouterr().out
    assert libertera_kg.check(report).passed


def test_run_all_checks_checks_the_terms_of_our_queries_and_shapes_by_default() -> None:
    kg = load()
    assert run_all_checks(kg) == []
    broken_query = ("a query", "SELECT * WHERE { ?s <https://w3id.org/libertera/ontology#nowhere> ?o }")
    problems = run_all_checks(kg, queries=[broken_query])
    assert [p.subject for p in problems] == ["https://w3id.org/libertera/ontology#nowhere"]


@pytest.mark.parametrize("suffix", ["trig", "nq", "nt", "ttl", "jsonld"])
def test_every_published_dump_validates_and_checks(
    dist: Path, suffix: str, capsys: pytest.CaptureFixture[str]
) -> None:
    dump = dist / f"libertera.{suffix}"
    assert main(["validate", str(dump)]) == 0, capsys.readouterr()
    assert capsys.readouterr().out.startswith("The data conforms: 0 violation(s), 8 warning(s), 2 note(s).")


def test_a_dump_alone_holds_the_whole_graph(dist: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", "--alone", str(dist / "libertera.trig")]) == 0
    assert capsys.readouterr().out.startswith("The data conforms: 0 violation(s), 8 warning(s), 2 note(s).")


def test_a_published_trig_is_read_as_plain_trig_whatever_its_name(dist: Path, tmp_path: Path) -> None:
    renamed = tmp_path / "report.trig"
    shutil.copy(dist / "libertera.trig", renamed)
    kg = load(renamed, with_shipped_data=False)
    names = {str(g.identifier) for g in kg.data_graphs() if len(g)}
    assert "https://w3id.org/libertera/graph/news-article-libertera-3" in names, "its graphs keep their names"
    assert "https://w3id.org/libertera/graph/report" not in names, (
        "nothing is compiled into a graph of its own"
    )


def test_a_missing_source_text_names_the_exact_path(report: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = report.parent / "source" / "operation-harbour-light.txt"
    text.unlink()
    assert main(["validate", str(report)]) == 2
    err = capsys.readouterr().err
    assert f"looked for {text}" in err
    assert "Traceback" not in err
    assert len(err.strip().splitlines()) == 1


def test_a_remote_json_ld_context_is_refused_not_fetched(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    remote = tmp_path / "remote.jsonld"
    remote.write_text('{"@context": "http://127.0.0.1:9/context.jsonld", "@id": "urn:a"}', encoding="utf-8")
    assert main(["validate", str(remote)]) == 2
    assert "names a document elsewhere, which is never fetched" in capsys.readouterr().err


def test_the_readme_walkthrough(report: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The steps of README's "Adding a report", in order."""
    readme = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    for command in (
        f"libertera-kg validate examples/adding-a-report/{REPORT}",
        f"libertera-kg build examples/adding-a-report/{REPORT} -o dist-with-report",
        f"libertera-kg query cases-by-country -p country=BR --data examples/adding-a-report/{REPORT}",
    ):
        assert command in readme, f"the README shows: {command}"
    # 1. It conforms with our graph.
    assert main(["validate", str(report)]) == 0
    capsys.readouterr()
    # 2. A deliberate mistake: the headline's "more than 40" written as "more than 50", above the exact 47.
    text = report.read_text(encoding="utf-8")
    report.write_text(text.replace("lt:statedValue 40 ;", "lt:statedValue 50 ;"), encoding="utf-8")
    assert main(["validate", str(report)]) == 1
    out = capsys.readouterr().out
    assert out.startswith("The data does not conform: 1 violation(s)")
    assert "Violation: ltsh:ExactFigureAgreesWithBounds (1)" in out
    assert "47 <https://w3id.org/libertera/id/figure/harbour-light-arrests> lt:statedValue = 47" in out
    assert "This exact figure (47) contradicts another figure of the same source for the same count" in out
    report.write_text(text, encoding="utf-8")
    # 3. Built with our graph, it is published.
    out_dir = tmp_path / "dist-with-report"
    assert main(["build", str(report), "-o", str(out_dir)]) == 0
    assert "graph/operation-harbour-light" in (out_dir / "libertera.nq").read_text(encoding="utf-8")
    capsys.readouterr()
    # 4. Queried with our graph.
    assert (
        main(["query", "cases-by-country", "-p", "country=BR", "--data", str(report), "--format", "csv"]) == 0
    )
    assert "Workers held in forced labour at a factory in Brazil" in capsys.readouterr().out


def test_synth_output_of_the_default_seed_conforms_with_our_graph() -> None:
    """Seed 0 once gave an exact 5,000 arrests beside "more than 5,000" (operation 13 of 30)."""
    report = validate(_with_synthetic(30, 0))
    assert report.conforms, str(report)


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(min_value=0, max_value=10**6), operations=st.integers(min_value=1, max_value=8))
def test_synth_output_conforms_for_any_seed_and_size(seed: int, operations: int) -> None:
    report = validate(_with_synthetic(operations, seed))
    assert report.conforms, f"seed {seed}, {operations} operations:\n{report}"
    assert [r for r in report.results if "synthetic" in r.focus] == []


def _with_synthetic(operations: int, seed: int) -> KnowledgeGraph:
    """The shipped graph with ``operations`` synthetic operations of ``seed``, a named graph each."""
    kg = load()
    kg.add_graphs(synthesize(operations, seed, kg))
    return kg

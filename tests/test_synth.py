"""Synthetic data: deterministic for a seed, in our ontology, conforming to the shapes and the quality
checks beside the shipped graph, with quotes that cut exactly their words out of each report."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from rdflib import Dataset

from libertera_kg import KnowledgeGraph, connect, list_queries, load, run_all_checks, validate
from libertera_kg.cli import main
from libertera_kg.stores import MemoryStore
from libertera_kg.synth import synthesize, write_synthetic

if TYPE_CHECKING:
    from conftest import Launcher


@pytest.fixture(scope="module")
def combined() -> KnowledgeGraph:
    """The shipped graph with five synthetic operations added, one named graph per report."""
    return _with_synthetic(5, 11)


def test_the_same_seed_gives_the_same_bytes_and_another_seed_other_data(tmp_path: Path) -> None:
    first, again, other = tmp_path / "a.nq", tmp_path / "b.nq", tmp_path / "c.nq"
    quads = write_synthetic(3, 42, first)
    write_synthetic(3, 42, again)
    write_synthetic(3, 43, other)
    assert first.read_bytes() == again.read_bytes()
    assert first.read_bytes() != other.read_bytes()
    assert quads == len(first.read_text().splitlines()) > 1500
    assert "_:" not in first.read_text()  # no blank nodes, so no random labels


def test_synthetic_data_conforms_to_the_shapes_and_passes_the_checks(combined: KnowledgeGraph) -> None:
    report = validate(combined)
    assert report.conforms
    assert [r for r in report.results if "synthetic" in r.focus] == []
    assert run_all_checks(combined) == []


def test_each_operation_has_figures_of_every_bound_kind_and_cases(combined: KnowledgeGraph) -> None:
    store = MemoryStore(combined.dataset)
    answer = store.sparql(
        """PREFIX lt: <https://w3id.org/libertera/ontology#>
        PREFIX sem: <http://semanticweb.cs.vu.nl/2009/11/sem/>
        SELECT ?op (COUNT(DISTINCT ?case) AS ?cases) (COUNT(DISTINCT ?kind) AS ?kinds)
        WHERE {
          ?op a lt:Operation . FILTER (STRSTARTS(STR(?op), "https://w3id.org/libertera/id/operation/synthetic-"))
          ?case sem:subEventOf ?op ; a lt:Case .
          ?figure lt:figureOf/(sem:subEventOf?) ?op ; lt:boundKind ?kind .
        }
        GROUP BY ?op ORDER BY ?op"""
    ).to_dicts()
    assert len(answer) == 5
    for row in answer:
        assert row["cases"] >= 2
        assert row["kinds"] == 2  # exact and more-than


def test_quotes_cut_their_words_out_of_the_report(combined: KnowledgeGraph) -> None:
    store = MemoryStore(combined.dataset)
    rows = store.sparql(
        """PREFIX oa: <http://www.w3.org/ns/oa#>
        SELECT ?exact ?start ?end ?text WHERE {
          ?quote oa:hasSource ?source ; oa:hasSelector ?q , ?p .
          ?q oa:exact ?exact . ?p oa:start ?start ; oa:end ?end .
          ?source <https://schema.org/text> ?text .
          FILTER (STRSTARTS(STR(?source), "https://w3id.org/libertera/id/source/synthetic-"))
        }"""
    ).to_dicts()
    assert len(rows) > 50
    for row in rows:
        assert str(row["text"])[int(row["start"]) : int(row["end"])] == row["exact"]


def test_synth_on_the_command_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "synthetic.nq"
    assert main(["synth", "--operations", "2", "--seed", "5", "-o", str(path)]) == 0
    assert "2 synthetic operations" in capsys.readouterr().out
    assert len(Dataset().parse(path, format="nquads")) > 1000
    assert main(["synth", "--operations", "2", "-o", str(tmp_path / "synthetic.ttl")]) == 2
    assert "N-Quads" in capsys.readouterr().err
    assert not (tmp_path / "synthetic.ttl").exists()


@pytest.fixture(scope="module")
def at_scale(tmp_path_factory: pytest.TempPathFactory) -> tuple[KnowledgeGraph, Path]:
    """The shipped graph with 120 synthetic operations (about 100,000 more triples), and its N-Quads."""
    folder = tmp_path_factory.mktemp("synthetic")
    write_synthetic(120, 2025, folder / "synthetic.nq")
    kg = load()
    kg.dataset.parse(folder / "synthetic.nq", format="nquads")
    dump = folder / "everything.nq"
    dump.write_bytes(kg.dataset.serialize(format="nquads", encoding="utf-8"))
    return kg, dump


def test_every_store_gives_the_same_answers_at_100k_triples(
    at_scale: tuple[KnowledgeGraph, Path], launch: Launcher, tmp_path: Path
) -> None:
    kg, dump = at_scale
    assert len(kg.dataset) > 100_000
    base, process = launch.oxigraph(tmp_path, dump, "--union-default-graph")
    try:
        stores = {
            "memory": connect(graph=kg),
            "oxigraph": connect("oxigraph", graph=kg),
            "endpoint": connect(endpoint=base + "query"),
        }
        # Brazil is named by many reports: its label and type are one triple each to every store.
        brazil = (
            "SELECT * WHERE { <https://w3id.org/libertera/id/country/BR> a ?type ; skos:prefLabel ?label }"
        )
        brazil = "PREFIX skos: <http://www.w3.org/2004/02/skos/core#> " + brazil
        assert len(stores["oxigraph"].sparql(brazil)) == len(stores["memory"].sparql(brazil)) == 1
        for canned in list_queries():
            answers = {kind: store.query(canned.name) for kind, store in stores.items()}
            for kind, answer in answers.items():
                rows, reference = answer.rows, answers["memory"].rows
                if canned.name == "graph-statistics":
                    # Oxigraph stores every type derived from xsd:integer as xsd:integer, so "5" as an
                    # oa:start and "5" as a count are one object term there and two in RDF (and rdflib).
                    rows = tuple(row for row in rows if str(row[0]) != "objects")
                    reference = tuple(row for row in reference if str(row[0]) != "objects")
                assert rows == reference, f"{canned.name} differs on {kind}"
    finally:
        launch.stop(process)


def _with_synthetic(operations: int, seed: int) -> KnowledgeGraph:
    """The shipped graph with ``operations`` synthetic operations of ``seed``, a named graph each."""
    kg = load()
    kg.add_graphs(synthesize(operations, seed, kg))
    return kg

"""The compiled graph in the wheel: the same graph as compiling the sources, prefixes and published dumps
included, and never used for sources it was not made from."""

from __future__ import annotations

import sys

import pytest

from libertera_kg import KnowledgeGraph, load, resources
from libertera_kg import compiled as compiled_module
from libertera_kg.compiled import read_compiled
from libertera_kg.publish import serialize_dumps


@pytest.fixture(scope="module")
def from_sources() -> KnowledgeGraph:
    return KnowledgeGraph.from_files(
        ontology=resources.ontology_files(),
        data=resources.data_files(),
        texts=resources.source_text_files(),
    )


def _same_graphs(one: KnowledgeGraph, other: KnowledgeGraph) -> None:
    """Both hold the same named graphs, each the same triples up to blank node labels."""
    from rdflib.compare import isomorphic

    def graphs(kg: KnowledgeGraph) -> dict[str, object]:
        return {str(g.identifier): g for g in kg.dataset.graphs() if len(g)}

    mine, theirs = graphs(one), graphs(other)
    assert sorted(mine) == sorted(theirs)
    for name, graph in mine.items():
        assert isomorphic(graph, theirs[name]), name  # type: ignore[arg-type]


def test_the_wheel_ships_the_compiled_graph_and_load_reads_it(monkeypatch: pytest.MonkeyPatch) -> None:
    compiled = read_compiled()
    assert compiled is not None, "the installed package has no compiled graph matching its sources"
    read = []
    monkeypatch.setattr(compiled_module, "_parse_nquads", lambda *a: read.append(a) or None)
    load()
    assert read, "load() compiled the sources instead of reading the compiled graph"


def test_the_compiled_graph_equals_the_compilation_of_the_sources(from_sources: KnowledgeGraph) -> None:
    compiled = read_compiled()
    assert compiled is not None
    _same_graphs(compiled, from_sources)
    assert compiled.prefixes == from_sources.prefixes
    assert serialize_dumps(compiled.dataset) == serialize_dumps(from_sources.dataset)


def test_without_pyoxigraph_rdflib_reads_the_compiled_graph_alike(
    from_sources: KnowledgeGraph, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "pyoxigraph", None)  # as in an installation without the extra
    compiled = read_compiled()
    assert compiled is not None
    _same_graphs(compiled, from_sources)


def test_a_compiled_graph_of_other_sources_is_not_used(monkeypatch: pytest.MonkeyPatch) -> None:
    """Sources changed after the wheel was built (an edited installation): they are compiled afresh."""
    monkeypatch.setattr(compiled_module, "sources_digest", lambda root=None: "0" * 64)
    assert read_compiled() is None
    assert len(load().dataset) > 5000

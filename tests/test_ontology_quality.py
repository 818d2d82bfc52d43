"""The ontology's quality checks pass on what we ship, and each one fails on a small broken example."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from rdflib import RDF, Graph, URIRef

from libertera_kg import LT, KnowledgeGraph, resources
from libertera_kg.checks import (
    Problem,
    ontology_header_problems,
    owl_dl_typing_problems,
    owl_rl_inconsistencies,
    terms_in_graph,
    terms_in_query,
    undeclared_terms,
)
from libertera_kg.graph import standalone_copy

TEST_ID = "https://w3id.org/libertera/id/test/"


def shipped_queries() -> list[tuple[str, str]]:
    return [(str(path), path.read_text(encoding="utf-8")) for path in resources.sparql_files()]


def with_fixture(kg: KnowledgeGraph, fixture: Path, *, data: bool = True) -> Graph:
    """The shipped ontology (and data, unless ``data`` is false) plus one fixture file, as one graph."""
    graph = standalone_copy(kg.merged() if data else kg.ontology)
    graph.parse(fixture)
    return graph


# ---- what we ship passes every check ----------------------------------------------------------------


def test_every_term_used_in_ontology_data_and_queries_is_declared(kg: KnowledgeGraph) -> None:
    used = terms_in_graph(kg.merged())
    for name, text in shipped_queries():
        used |= terms_in_query(text, source=name)
    assert len(used) > 100, "the scan found too few of our terms to be looking in the right place"
    assert undeclared_terms(kg.ontology, used) == []


def test_every_declared_term_has_one_english_label_and_a_definition(kg: KnowledgeGraph) -> None:
    declared = terms_in_graph(kg.ontology)
    assert undeclared_terms(kg.ontology, declared) == []


def test_ontology_header_is_complete(kg: KnowledgeGraph) -> None:
    assert ontology_header_problems(kg.ontology) == []


def test_ontology_and_data_are_typed_as_owl_2_dl_requires(kg: KnowledgeGraph) -> None:
    assert owl_dl_typing_problems(kg.merged()) == []


def test_owl_rl_closure_of_ontology_and_data_is_consistent(kg: KnowledgeGraph) -> None:
    assert owl_rl_inconsistencies(kg.merged()) == []


def test_a_sample_that_uses_most_terms_correctly_passes_the_owl_checks(
    kg: KnowledgeGraph, fixtures: Path
) -> None:
    valid = fixtures / "valid"
    sample = KnowledgeGraph.from_files(
        ontology=resources.ontology_files(),
        data=[valid / "sample.trig"],
        texts=[valid / "source" / "sample.txt"],
    )
    graph = standalone_copy(kg.merged(), sample.merged())
    assert len(set(graph.subjects(RDF.type, None))) > len(set(kg.merged().subjects(RDF.type, None))) + 30
    assert owl_dl_typing_problems(graph) == []
    assert owl_rl_inconsistencies(graph) == []
    assert undeclared_terms(kg.ontology, terms_in_graph(graph)) == []


def test_closed_namespace_matches_the_terms_the_ontology_declares(kg: KnowledgeGraph) -> None:
    declared = {str(term) for term in terms_in_graph(kg.ontology) if str(term).startswith(str(LT))}
    in_python = {str(LT) + name for name in LT.__annotations__}
    assert in_python == declared
    with pytest.raises(AttributeError):
        _ = LT.Opperation


def test_disjointness_is_declared_so_the_consistency_check_means_something(kg: KnowledgeGraph) -> None:
    disjoint = kg.ontology.query(
        """PREFIX owl: <http://www.w3.org/2002/07/owl#>
        PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
        PREFIX lt: <https://w3id.org/libertera/ontology#>
        ASK { ?axiom a owl:AllDisjointClasses ; owl:members ?list .
              ?list rdf:rest*/rdf:first lt:Person . ?list rdf:rest*/rdf:first lt:Place . }"""
    )
    assert disjoint.askAnswer is True


# ---- each check fails on its broken example ---------------------------------------------------------


def _declared_terms_on(kg: KnowledgeGraph, graph: Graph) -> list[Problem]:
    ontology = standalone_copy(kg.ontology, graph)
    return undeclared_terms(ontology, terms_in_graph(graph))


BROKEN_DATA: list[tuple[str, Callable[[KnowledgeGraph, Graph], list[Problem]], str, str]] = [
    (
        "undeclared-term.ttl",
        _declared_terms_on,
        str(LT) + "Opperation",
        "is used but never declared",
    ),
    (
        "term-without-definition.ttl",
        _declared_terms_on,
        str(LT) + "Raid",
        "has no English definition",
    ),
    (
        "term-with-two-labels.ttl",
        _declared_terms_on,
        str(LT) + "Operation",
        "needs exactly one English label",
    ),
    (
        "person-is-a-place.ttl",
        lambda kg, g: owl_rl_inconsistencies(g),
        "owlrl",
        "Disjoint classes",
    ),
    (
        "place-via-range-is-a-person.ttl",
        lambda kg, g: owl_rl_inconsistencies(g),
        "owlrl",
        "Disjoint classes",
    ),
    (
        "member-of-nothing.ttl",
        lambda kg, g: owl_rl_inconsistencies(g),
        TEST_ID + "ghost",
        "owl:Nothing",
    ),
    (
        "two-iso-codes.ttl",
        lambda kg, g: owl_rl_inconsistencies(g),
        "BX / BZ",
        "a functional property has two values",
    ),
    (
        "figure-of-two-events.ttl",
        lambda kg, g: owl_rl_inconsistencies(g),
        f"{TEST_ID}operation-a / {TEST_ID}operation-b",
        "a functional property has two values",
    ),
    (
        "datatype-property-with-resource.ttl",
        lambda kg, g: owl_dl_typing_problems(g),
        str(LT) + "nickname",
        "is a datatype property but points at a resource",
    ),
    (
        "object-property-with-literal.ttl",
        lambda kg, g: owl_dl_typing_problems(g),
        str(LT) + "occurredIn",
        "is an object property but has a literal value",
    ),
    (
        "undeclared-external-property.ttl",
        lambda kg, g: owl_dl_typing_problems(g),
        "http://dbpedia.org/ontology/capital",
        "not declared as an OWL property",
    ),
    (
        "undeclared-external-class.ttl",
        lambda kg, g: owl_dl_typing_problems(g),
        "http://dbpedia.org/ontology/Country",
        "is used as a class but not declared as owl:Class",
    ),
    (
        "property-of-two-kinds.ttl",
        lambda kg, g: owl_dl_typing_problems(g),
        str(LT) + "nickname",
        "is declared as both owl:DatatypeProperty and owl:ObjectProperty",
    ),
]


@pytest.mark.parametrize(
    ("fixture", "check", "subject", "message"), BROKEN_DATA, ids=[case[0] for case in BROKEN_DATA]
)
def test_check_catches_broken_fixture(
    kg: KnowledgeGraph,
    fixtures: Path,
    fixture: str,
    check: Callable[[KnowledgeGraph, Graph], list[Problem]],
    subject: str,
    message: str,
) -> None:
    path = fixtures / "broken" / fixture
    # Each fixture breaks the ontology's rules on its own; the shipped data is not needed to catch it.
    graph = Graph().parse(path) if check is _declared_terms_on else with_fixture(kg, path, data=False)
    problems = check(kg, graph)
    matching = [p for p in problems if p.subject == subject and message in p.message]
    assert matching, f"{fixture}: expected a problem about {subject} saying {message!r}, got {problems}"


def test_declared_terms_check_reads_queries(kg: KnowledgeGraph, fixtures: Path) -> None:
    path = fixtures / "broken" / "undeclared-term-query.rq"
    used = terms_in_query(path.read_text(encoding="utf-8"), source=str(path))
    assert used == {URIRef(str(LT) + "Opperation")}
    problems = undeclared_terms(kg.ontology, used)
    assert [p.subject for p in problems] == [str(LT) + "Opperation"]


def test_header_check_names_each_missing_field(fixtures: Path) -> None:
    graph = Graph().parse(fixtures / "broken" / "header-without-license.ttl")
    messages = {p.message for p in ontology_header_problems(graph)}
    assert "has no license (dcterms:license)" in messages
    assert "has no creator (dcterms:creator)" in messages
    assert "has no version IRI (owl:versionIRI)" in messages
    assert not any("title" in m for m in messages), "the fixture has a title; it must not be reported"


def test_header_check_catches_version_iri_that_disagrees_with_version(fixtures: Path) -> None:
    graph = Graph().parse(fixtures / "broken" / "header-version-mismatch.ttl")
    problems = ontology_header_problems(graph)
    assert [p.message for p in problems] == [
        "its version IRI <https://w3id.org/libertera/ontology/0.1.0> does not end with its version number "
        "0.2.0"
    ]


def test_every_broken_fixture_is_used_by_a_test(fixtures: Path) -> None:
    used = {case[0] for case in BROKEN_DATA} | {
        "undeclared-term-query.rq",
        "header-without-license.ttl",
        "header-version-mismatch.ttl",
        "unparsable.ttl",  # tests/test_cli.py
    }
    on_disk = {path.name for path in (fixtures / "broken").iterdir()}
    assert on_disk == used


def test_parameter_prefixes_are_the_data_files_own() -> None:
    """``country:BR`` in a query parameter means what it means in the data files."""
    from libertera_kg.namespaces import DATA_PREFIXES
    from libertera_kg.resources import data_files

    declared = {}
    for path in data_files():
        for prefix, iri in re.findall(
            r"^@prefix (\w+): <([^>]+)> \.$", path.read_text(encoding="utf-8"), re.M
        ):
            if iri.startswith(("https://w3id.org/libertera/id/", "https://w3id.org/libertera/concept/")):
                declared[prefix] = iri
    declared.pop("quote", None)  # quotes belong to one source; no parameter needs them
    assert declared == DATA_PREFIXES

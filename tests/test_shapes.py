"""SHACL shapes: the published data conforms, and every shape catches its broken example, and only it.

Each file of ``fixtures/invalid/`` changes one thing in the valid sample (``fixtures/valid/sample.trig``):
its default graph holds triples to add, its ``<urn:libertera:test:remove>`` graph triples to remove (the
object ``any:value`` removes every value). Its ``# expect:`` lines give every result the validation must
produce, as ``severity rule focus path``, and nothing else may fire.
"""

from __future__ import annotations

import json
from pathlib import Path

import pyshacl
import pytest
from rdflib import RDF, Dataset, Graph, Literal, Namespace, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.term import Node

from libertera_kg import LT, KnowledgeGraph, ToolError, resources, validate
from libertera_kg.graph import standalone_copy
from libertera_kg.validation import ValidationReport, ValidationResult, shapes_graph
from libertera_kg.validation import _results as report_results

SH = Namespace("http://www.w3.org/ns/shacl#")
LTSH = Namespace("https://w3id.org/libertera/shapes#")
INVALID = Path(__file__).parent / "fixtures" / "invalid"
VALID = Path(__file__).parent / "fixtures" / "valid"
REMOVE = URIRef("urn:libertera:test:remove")
ANY_VALUE = URIRef("urn:libertera:test:value")
FIXTURES = sorted(INVALID.glob("*.trig"))

Row = tuple[str, str, str, str]


@pytest.fixture(scope="module")
def shapes() -> Graph:
    return shapes_graph()


@pytest.fixture(scope="module")
def sample() -> Graph:
    """The ontology plus the compiled valid sample."""
    kg = KnowledgeGraph.from_files(
        ontology=resources.ontology_files(),
        data=[VALID / "sample.trig"],
        texts=[VALID / "source" / "sample.txt"],
    )
    return kg.merged()


def short(iri: str) -> str:
    for base in ("https://w3id.org/libertera/id/", "https://w3id.org/libertera/"):
        if iri.startswith(base):
            return iri[len(base) :]
    return iri


def rows(report: ValidationReport) -> set[Row]:
    return {(r.severity, r.rule, short(r.focus), r.path or "-") for r in report.results}


def expected_rows(fixture: Path) -> set[Row]:
    found = set()
    for line in fixture.read_text(encoding="utf-8").splitlines():
        if line.startswith("# expect:"):
            severity, rule, focus, path = line.removeprefix("# expect:").split()
            found.add((severity, rule, focus, path))
    return found


def patched(sample: Graph, fixture: Path) -> Graph:
    patch = Dataset()
    prefixes = (INVALID / "_prefixes.ttl").read_text(encoding="utf-8")
    patch.parse(data=prefixes + fixture.read_text(encoding="utf-8"), format="trig")
    graph = standalone_copy(sample)
    for subject, predicate, obj in patch.graph(REMOVE):
        pattern = (subject, predicate, None if obj == ANY_VALUE else obj)
        removed = list(graph.triples(pattern))
        assert removed, f"{fixture.name} removes {pattern}, which the sample does not have"
        for fact in removed:
            graph.remove(fact)
            _remove_claims_of(graph, fact)
    for triple in patch.graph(DATASET_DEFAULT_GRAPH_ID):
        graph.add(triple)
    return graph


def _remove_claims_of(graph: Graph, fact: tuple[Node, Node, Node]) -> None:
    """Remove the claims of a fact together with it, as the compiler would not have made them."""
    subject, predicate, obj = fact
    for claim in list(graph.subjects(LT.claimSubject, subject)):
        value = graph.value(claim, LT.claimObject) or graph.value(claim, LT.claimValue)
        if graph.value(claim, LT.claimProperty) == predicate and value == obj:
            graph.remove((claim, None, None))


def test_the_sample_conforms_without_any_result(sample: Graph, shapes: Graph) -> None:
    report = validate(sample, shapes=shapes)
    assert report.conforms
    assert report.results == ()


def test_published_data_conforms_and_warns_only_where_sources_disagree(kg: KnowledgeGraph) -> None:
    report = validate(kg)
    assert report.conforms, str(report)
    assert report.violations == ()
    # Sources may disagree, and the data must not hide that they do: each warning is one such place.
    assert {(r.rule, short(r.focus), r.path) for r in report.warnings} == {
        (
            "ltsh:ExactFigureAgreesWithOtherSources",
            "figure/liberterra-iii-victims-interpol",
            "lt:statedValue",
        ),
        (
            "ltsh:ExactFigureAgreesWithOtherSources",
            "figure/liberterra-iii-victims-radionicaragua",
            "lt:statedValue",
        ),
        ("ltsh:ExactFigureAgreesWithOtherSources", "figure/liberterra-ii-days-afp", "lt:statedValue"),
        (
            "ltsh:ExactFigureAgreesWithOtherSources",
            "figure/liberterra-ii-days-the-national",
            "lt:statedValue",
        ),
        ("ltsh:SourcesGiveDifferentValues", "operation/liberterra-iii", "schema:endDate"),
        ("ltsh:SourcesGiveDifferentValues", "person/el-salvador-buyer", "lt:minAge"),
        ("ltsh:SourcesGiveDifferentValues", "person/el-salvador-buyer", "lt:maxAge"),
    }
    # The notes are explained in the README: the sources name no offence for these two cases.
    assert sorted((r.rule, short(r.focus)) for r in report.infos) == [
        ("ltsh:Case-namesAnOffence", "case/belize-glass-factory"),
        ("ltsh:Case-namesAnOffence", "case/myanmar-scam-compound-raid"),
    ]


@pytest.mark.parametrize("fixture", FIXTURES, ids=[f.stem for f in FIXTURES])
def test_broken_fixture_is_caught_by_its_shape_only(sample: Graph, shapes: Graph, fixture: Path) -> None:
    expected = expected_rows(fixture)
    assert expected, f"{fixture.name} has no '# expect:' line"
    report = validate(patched(sample, fixture), shapes=shapes)
    assert rows(report) == expected
    assert report.conforms == all(severity != "Violation" for severity, *_ in expected)


def reference_results(graph: Graph, shapes: Graph) -> set[ValidationResult]:
    """pySHACL alone, called as a user would: the reference implementation ours must agree with."""
    _, report, _ = pyshacl.validate(
        graph, shacl_graph=shapes, inference="none", allow_warnings=True, allow_infos=True
    )
    return set(report_results(report, graph))


def _sparql_constraint_names() -> set[str]:
    shapes = shapes_graph()
    return {"ltsh:" + str(c).removeprefix(str(LTSH)) for c in shapes.objects(None, SH.sparql)}


#: The fixtures a SHACL-SPARQL constraint catches: the core constraints go to pySHACL unchanged.
SPARQL_FIXTURES = [
    f for f in FIXTURES if {rule for _, rule, _, _ in expected_rows(f)} & _sparql_constraint_names()
]


@pytest.mark.parametrize("fixture", SPARQL_FIXTURES, ids=[f.stem for f in SPARQL_FIXTURES])
def test_results_are_those_of_pyshacl_alone(sample: Graph, shapes: Graph, fixture: Path) -> None:
    graph = patched(sample, fixture)
    assert set(validate(graph, shapes=shapes).results) == reference_results(graph, shapes)


def test_results_on_the_published_data_are_those_of_pyshacl_alone(kg: KnowledgeGraph, shapes: Graph) -> None:
    graph = kg.merged()
    assert set(validate(graph, shapes=shapes).results) == reference_results(graph, shapes)


def _with_extra_shape(shapes: Graph, select: str) -> Graph:
    """Our shapes plus one node shape on operations whose SPARQL constraint is ``select``."""
    extra = Graph().parse(
        data=f"""
        @prefix sh: <http://www.w3.org/ns/shacl#> .
        @prefix lt: <https://w3id.org/libertera/ontology#> .
        @prefix skos: <http://www.w3.org/2004/02/skos/core#> .
        @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
        <urn:test:shape> a sh:NodeShape ; sh:targetClass lt:Operation ; sh:sparql [
            sh:message "{{$this}} has the label {{?value}}" ;
            sh:prefixes skos: ;
            sh:select \"\"\"{select}\"\"\" ] .
        skos: sh:declare [
            sh:prefix "skos" ; sh:namespace "http://www.w3.org/2004/02/skos/core#"^^xsd:anyURI ] .
        """,
        format="turtle",
    )
    combined = Graph()
    for triple in (*shapes, *extra):
        combined.add(triple)
    return combined


def _assert_only_the_operation_is_reported(sample: Graph, combined: Graph) -> None:
    """The extra shape reports the sample's one operation, exactly as pySHACL alone does."""
    ours = validate(sample, shapes=combined).results
    assert [r.message for r in ours if r.source_shape == "<urn:test:shape>"] == [
        "https://w3id.org/libertera/id/test/operation has the label Operation Example"
    ]
    assert set(ours) == reference_results(sample, combined)


def test_a_query_that_binds_this_only_in_a_filter_runs_per_focus_node(sample: Graph, shapes: Graph) -> None:
    """Run unbound, such a query would see every node as ``$this``; it must still run once per focus node."""
    combined = _with_extra_shape(
        shapes, "SELECT $this ?value WHERE { ?s skos:prefLabel ?value . FILTER (?s = $this) }"
    )
    _assert_only_the_operation_is_reported(sample, combined)


def test_current_shape_is_bound_to_the_shape_as_pyshacl_binds_it(sample: Graph, shapes: Graph) -> None:
    combined = _with_extra_shape(
        shapes,
        "SELECT $this ?value WHERE { $this skos:prefLabel ?value . "
        'FILTER (STR($currentShape) = "urn:test:shape") }',
    )
    _assert_only_the_operation_is_reported(sample, combined)


def test_shapes_graph_is_refused_as_pyshacl_refuses_it(sample: Graph, shapes: Graph) -> None:
    combined = _with_extra_shape(
        shapes, "SELECT $this ?value WHERE { $this skos:prefLabel ?value . FILTER (BOUND($shapesGraph)) }"
    )
    with pytest.raises(NotImplementedError):
        reference_results(sample, combined)
    with pytest.raises(ToolError, match=r"uses \$shapesGraph, which pySHACL does not support"):
        validate(sample, shapes=combined)


def _shape_names(shapes: Graph) -> set[str]:
    """Every shape with an IRI that can produce a result, and every SPARQL constraint."""
    names = set()
    for kind in (SH.NodeShape, SH.PropertyShape, SH.SPARQLConstraint):
        for shape in shapes.subjects(RDF.type, kind):
            if not isinstance(shape, URIRef):
                continue
            targets = [t for p in (SH.targetClass, SH.targetSubjectsOf) for t in shapes.objects(shape, p)]
            is_value_set = kind == SH.NodeShape and not targets
            if not is_value_set:
                names.add("ltsh:" + str(shape).removeprefix(str(LTSH)))
    return names


def test_every_shape_and_sparql_constraint_has_a_broken_fixture(shapes: Graph) -> None:
    caught = {rule for fixture in FIXTURES for _, rule, _, _ in expected_rows(fixture)}
    # Node shapes are covered by a fixture of any of their property shapes or SPARQL constraints.
    for node_shape in shapes.subjects(RDF.type, SH.NodeShape):
        parts = [*shapes.objects(node_shape, SH.property), *shapes.objects(node_shape, SH.sparql)]
        if any("ltsh:" + str(part).removeprefix(str(LTSH)) in caught for part in parts):
            caught.add("ltsh:" + str(node_shape).removeprefix(str(LTSH)))
    missing = sorted(_shape_names(shapes) - caught)
    assert missing == [], f"shapes without a broken fixture: {missing}"


def test_every_constraint_explains_itself_in_english(shapes: Graph) -> None:
    needs_message = set(shapes.subjects(RDF.type, SH.PropertyShape)) | set(
        shapes.subjects(RDF.type, SH.SPARQLConstraint)
    )
    needs_message |= set(shapes.subjects(SH["or"], None)) | set(shapes.subjects(SH.xone, None))
    for shape in needs_message:
        if not isinstance(shape, URIRef):
            continue
        messages = [
            m for m in shapes.objects(shape, SH.message) if isinstance(m, Literal) and m.language == "en"
        ]
        assert messages, f"{shape} has no English sh:message"


def test_only_doubtful_data_is_a_warning_and_notes_are_info(shapes: Graph) -> None:
    severities = {
        "ltsh:" + str(s).removeprefix(str(LTSH)): str(o).rsplit("#", 1)[-1]
        for s, o in shapes.subject_objects(SH.severity)
    }
    assert severities == {
        "ltsh:Country-wikidata": "Warning",
        "ltsh:CountryIriShape": "Warning",
        "ltsh:ApproximateFigureShape": "Warning",
        "ltsh:FigureAcrossSourcesShape": "Warning",
        "ltsh:ValuesAcrossSourcesShape": "Warning",
        "ltsh:Case-namesAnOffence": "Info",
    }


def test_shapes_pass_shacl_shacl(shapes: Graph) -> None:
    from pyshacl.entrypoints import meta_validate

    conforms, _, text = meta_validate(shapes, inference="none")
    assert conforms, text


def test_report_prints_grouped_by_shape_with_labels(sample: Graph, shapes: Graph) -> None:
    report = validate(patched(sample, INVALID / "operation-without-coordinator.trig"), shapes=shapes)
    text = str(report)
    assert text.startswith("The data does not conform: 1 violation(s), 0 warning(s), 0 note(s).")
    assert "Violation: ltsh:Operation-coordinatedBy (1)" in text
    assert "Operation Example <https://w3id.org/libertera/id/test/operation> lt:coordinatedBy" in text


def test_report_converts_to_json_and_to_the_shacl_report_graph(sample: Graph, shapes: Graph) -> None:
    report = validate(patched(sample, INVALID / "figure-without-bound.trig"), shapes=shapes)
    as_json = json.loads(report.to_json())
    assert as_json["conforms"] is False
    (result,) = as_json["results"]
    assert result["focus"] == "https://w3id.org/libertera/id/test/arrests-more-than"
    assert result["path"] == "lt:boundKind"
    assert result["severity"] == "Violation"
    assert result["source_shape"] == "ltsh:Figure-boundKind"
    assert "bound kind" in result["message"]
    graph = Graph().parse(data=report.to_turtle(), format="turtle")
    (node,) = graph.subjects(RDF.type, SH.ValidationResult)
    assert graph.value(node, SH.sourceShape) == LTSH["Figure-boundKind"]
    assert graph.value(node, SH.resultSeverity) == SH.Violation

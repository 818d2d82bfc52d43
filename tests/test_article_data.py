"""The article as RDF: the source kept verbatim, every quote pinned exactly, every fact attributed."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import RDF, Dataset, Graph, Literal, URIRef
from rdflib.namespace import FOAF, RDFS, SKOS

from libertera_kg import GRAPH, ID, LT, DataFileError, KnowledgeGraph, resources
from libertera_kg.namespaces import OA, SCHEMA
from libertera_kg.publish import serialize_dumps
from libertera_kg.sources import locate_quote

ARTICLE = ID["source/news-article-libertera-3"]
ARTICLE_GRAPH = GRAPH["news-article-libertera-3"]
REFERENCE_GRAPH = GRAPH["reference"]
# The SHA-256 of the article as it was handed to the project: the copy must never drift from it.
ARTICLE_SHA256 = "f08bf6bc69860b5598c8f2f0f86426e6c41e481ce0428a76654e37151c0c21d0"


@pytest.fixture(scope="module")
def article_text() -> str:
    (path,) = resources.source_text_files()
    return path.read_bytes().decode("ascii")


@pytest.fixture(scope="module")
def data(kg: KnowledgeGraph) -> Graph:
    """The ontology and every data graph as one graph."""
    return kg.merged()


def test_source_text_is_the_article_byte_for_byte() -> None:
    (path,) = resources.source_text_files()
    assert hashlib.sha256(path.read_bytes()).hexdigest() == ARTICLE_SHA256
    assert len(path.read_bytes()) == 4010


def test_graph_carries_the_full_text_of_the_article(data: Graph, article_text: str) -> None:
    assert (ARTICLE, RDF.type, LT.NewsArticle) in data
    assert data.value(ARTICLE, SCHEMA.text) == Literal(article_text)
    assert str(data.value(ARTICLE, SCHEMA.headline)) == article_text.splitlines()[0]


def selectors(data: Graph) -> list[tuple[URIRef, str, int, int, str, str, URIRef]]:
    """(quote, exact, start, end, prefix, suffix, source) for every quote in the graph."""
    rows = []
    for quote in sorted(data.subjects(RDF.type, OA.SpecificResource)):
        assert isinstance(quote, URIRef)
        by_type = {data.value(s, RDF.type): s for s in data.objects(quote, OA.hasSelector)}
        text_quote, position = by_type[OA.TextQuoteSelector], by_type[OA.TextPositionSelector]
        source = data.value(quote, OA.hasSource)
        assert isinstance(source, URIRef)
        rows.append(
            (
                quote,
                str(data.value(text_quote, OA.exact)),
                int(data.value(position, OA.start)),  # type: ignore[arg-type]
                int(data.value(position, OA.end)),  # type: ignore[arg-type]
                str(data.value(text_quote, OA.prefix)),
                str(data.value(text_quote, OA.suffix)),
                source,
            )
        )
    return rows


def test_every_position_selector_cuts_exactly_its_quote(data: Graph, article_text: str) -> None:
    rows = selectors(data)
    assert len(rows) >= 40
    for quote, exact, start, end, prefix, suffix, source in rows:
        assert source == ARTICLE
        assert article_text[start:end] == exact, quote
        assert article_text[:start].endswith(prefix), f"{quote}: prefix does not precede the quote"
        assert article_text[end:].startswith(suffix), f"{quote}: suffix does not follow the quote"
        assert str(data.value(source, SCHEMA.text))[start:end] == exact, "the in-graph text agrees"


def test_prefix_and_suffix_pick_out_one_place_each(data: Graph, article_text: str) -> None:
    for quote, exact, start, _, prefix, suffix, _ in selectors(data):
        spans = locate_quote(article_text, exact, prefix_hint=prefix, suffix_hint=suffix)
        assert [s.start for s in spans] == [start], quote


def test_a_phrase_that_occurs_twice_is_pinned_to_the_right_occurrence(data: Graph, article_text: str) -> None:
    assert article_text.count("Operation Libertera 3") == 2
    headline = ID["quote/news-article-libertera-3/headline-name"]
    (row,) = [r for r in selectors(data) if r[0] == headline]
    assert row[2:4] == (0, len("Operation Libertera 3"))
    assert row[5].startswith(": Interpol arrests 3,700")


def test_every_claim_names_its_source_and_every_article_claim_its_quote(data: Graph) -> None:
    claims = set(data.subjects(RDF.type, LT.Claim))
    assert len(claims) > 200
    for claim in claims:
        source = data.value(claim, LT.statedIn)
        assert source is not None, claim
        assert data.value(claim, LT.claimSubject) is not None
        assert data.value(claim, LT.claimProperty) is not None
        has_object = data.value(claim, LT.claimObject) is not None
        has_value = data.value(claim, LT.claimValue) is not None
        assert has_object != has_value, f"{claim} needs exactly one of claimObject and claimValue"
        if source == ARTICLE:
            assert data.value(claim, LT.evidence) is not None, f"{claim} has no quote"


def test_every_article_fact_is_traceable_to_a_quote(kg: KnowledgeGraph) -> None:
    """Each fact about the world in the article's graph is a claim with a quote, or part of a statement
    that has one; only the source, quotes, selectors and claims themselves are bookkeeping."""
    graph = kg.dataset.graph(ARTICLE_GRAPH)
    claimed = {
        (graph.value(c, LT.claimSubject), graph.value(c, LT.claimProperty))
        for c in graph.subjects(RDF.type, LT.Claim)
        if graph.value(c, LT.evidence) is not None
    }
    bookkeeping = set(graph.subjects(RDF.type, LT.Claim)) | {ARTICLE}
    for quote in graph.subjects(RDF.type, OA.SpecificResource):
        bookkeeping.add(quote)
        bookkeeping.update(graph.objects(quote, OA.hasSelector))
    with_evidence = set(graph.subjects(LT.evidence, None))
    for subject, predicate, _ in graph:
        if subject in bookkeeping or subject in with_evidence:
            continue
        assert (subject, predicate) in claimed, f"{subject} {predicate} has no claim with a quote"


def test_reference_data_names_its_sources(kg: KnowledgeGraph) -> None:
    graph = kg.dataset.graph(REFERENCE_GRAPH)
    sources = {graph.value(c, LT.statedIn) for c in graph.subjects(RDF.type, LT.Claim)}
    assert sources == {
        ID["source/wikidata"],
        ID["source/geonames"],
        ID["source/iso-3166-1"],
        ID["source/interpol"],
        ID["source/un-m49"],
    }
    for source in sources:
        assert (source, RDF.type, LT.ReferenceSource) in graph
        assert graph.value(source, SCHEMA.url) is not None


def test_victims_carry_no_name_or_identifier(data: Graph) -> None:
    naming = (
        SKOS.prefLabel,
        SKOS.altLabel,
        RDFS.label,
        FOAF.name,
        SCHEMA.name,
        LT.nickname,
        SCHEMA.identifier,
    )
    groups = set(data.subjects(RDF.type, LT.VictimGroup))
    assert len(groups) == 4
    for group in groups:
        for prop in naming:
            assert data.value(group, prop) is None, f"{group} has a {prop}"
        assert not any(isinstance(o, URIRef) and "wikidata" in str(o) for o in data.objects(group, None))


def test_vague_ages_stay_vague(kg: KnowledgeGraph) -> None:
    """The article's "in his seventies" stays a decade, beside the one report that gives 73."""
    buyer = ID["person/el-salvador-buyer"]
    article = kg.dataset.graph(ARTICLE_GRAPH)
    assert (article.value(buyer, LT.minAge), article.value(buyer, LT.maxAge)) == (Literal(70), Literal(79))
    report = kg.dataset.graph(GRAPH["radionicaragua-liberterra-iii"])
    assert (report.value(buyer, LT.minAge), report.value(buyer, LT.maxAge)) == (Literal(73), Literal(73))
    girl = ID["victims/el-salvador-girl"]
    assert kg.merged().value(girl, LT.minAge) is None, "a young girl has no stated age"


def test_outputs_are_byte_identical_across_processes(tmp_path: Path) -> None:
    outputs = []
    for seed in ("1", "2"):
        out = tmp_path / f"run-{seed}"
        env = {**os.environ, "PYTHONHASHSEED": seed}
        subprocess.run(
            [sys.executable, "-m", "libertera_kg.cli", "build", "-o", str(out)],
            env=env,
            check=True,
            capture_output=True,
        )
        outputs.append(
            {str(p.relative_to(out)): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}
        )
    dumps = {name for name in outputs[0] if "/" not in name}
    assert dumps == {"libertera.trig", "libertera.nq", "libertera.ttl", "libertera.nt", "libertera.jsonld"}
    assert any(name.startswith("queries/") for name in outputs[0]), "the canned query results are written too"
    assert outputs[0] == outputs[1]


def test_dumps_round_trip_to_the_same_dataset(kg: KnowledgeGraph) -> None:
    dumps = serialize_dumps(kg.dataset)
    nt_lines = dumps["libertera.nt"].splitlines()
    assert nt_lines == sorted(nt_lines), "N-Triples are sorted"
    assert not any(line.startswith("_:n") for line in nt_lines), "no random blank-node labels"
    expected_triples = len(kg.merged())
    for name, fmt in (("libertera.ttl", "turtle"), ("libertera.nt", "nt")):
        assert len(Graph().parse(data=dumps[name], format=fmt)) == expected_triples, name
    for name, fmt in (
        ("libertera.trig", "trig"),
        ("libertera.nq", "nquads"),
        ("libertera.jsonld", "json-ld"),
    ):
        dataset = Dataset()
        dataset.parse(data=dumps[name], format=fmt)
        graphs = {str(g.identifier): len(g) for g in dataset.graphs() if len(g)}
        assert graphs == {
            str(g.identifier): len(g)
            for g in kg.dataset.graphs()
            if len(g) and str(g.identifier).startswith(GRAPH)
        }, name
        assert {str(GRAPH.ontology), str(ARTICLE_GRAPH), str(REFERENCE_GRAPH)} <= graphs.keys()


# ---- the compiler refuses what it cannot pin down ---------------------------------------------------


AUTHORED_HEAD = """
@prefix lt: <https://w3id.org/libertera/ontology#> .
@prefix oa: <http://www.w3.org/ns/oa#> .
@prefix source: <https://w3id.org/libertera/id/source/> .
@prefix q: <https://w3id.org/libertera/id/quote/t/> .
source:t a lt:NewsArticle .
"""


def compile_text(tmp_path: Path, body: str, text: str) -> KnowledgeGraph:
    (tmp_path / "t.trig").write_text(AUTHORED_HEAD + body, encoding="utf-8")
    (tmp_path / "t.txt").write_text(text, encoding="utf-8")
    return KnowledgeGraph.from_files(
        ontology=resources.ontology_files(), data=[tmp_path / "t.trig"], texts=[tmp_path / "t.txt"]
    )


def test_a_quote_that_is_not_in_the_text_is_refused(tmp_path: Path) -> None:
    body = 'q:x oa:exact "not there" .\nq:x { source:t lt:about source:t . }\n'
    with pytest.raises(DataFileError, match=r"the quote .*x> \('not there'\) is not in the text"):
        compile_text(tmp_path, body, "something else")


def test_an_ambiguous_quote_must_say_which_occurrence(tmp_path: Path) -> None:
    body = 'q:x oa:exact "twice" .\nq:x { source:t lt:about source:t . }\n'
    with pytest.raises(DataFileError, match=r"occurs 2 times.*add an oa:prefix or oa:suffix"):
        compile_text(tmp_path, body, "twice and twice")
    pinned = 'q:x oa:exact "twice" ; oa:prefix "and " .\nq:x { source:t lt:about source:t . }\n'
    kg = compile_text(tmp_path, pinned, "twice and twice")
    assert Literal(10, datatype=URIRef("http://www.w3.org/2001/XMLSchema#nonNegativeInteger")) in set(
        kg.merged().objects(None, OA.start)
    )


def test_a_graph_that_is_neither_quote_nor_source_is_refused(tmp_path: Path) -> None:
    body = "q:x { source:t lt:about source:t . }\n"
    with pytest.raises(DataFileError, match="is neither a quote"):
        compile_text(tmp_path, body, "text")


def test_blank_nodes_are_refused(tmp_path: Path) -> None:
    body = 'q:x oa:exact "text" .\nq:x { [] lt:about source:t . }\n'
    with pytest.raises(DataFileError, match="blank node"):
        compile_text(tmp_path, body, "text")

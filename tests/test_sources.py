"""The sources beside the article: INTERPOL's releases on the Liberterra series and the reports relaying
them, each fact in the graph of the source that states it, figures as each source words them."""

from __future__ import annotations

import pytest
from rdflib import RDF, Graph, Literal, URIRef
from rdflib.namespace import PROV, SKOS

from libertera_kg import GRAPH, ID, LT, KnowledgeGraph
from libertera_kg.namespaces import OA, SCHEMA

RELEASES = {
    "interpol-release-liberterra-iii": "liberterra-iii",
    "interpol-release-liberterra-ii": "liberterra-ii",
    "interpol-release-liberterra-i": "liberterra-i",
}
REPORTS = {  # each secondary report, and the release it relays
    "news-article-libertera-3": "interpol-release-liberterra-iii",
    "migrantaffairs-liberterra-iii": "interpol-release-liberterra-iii",
    "stern-liberterra-iii": "interpol-release-liberterra-iii",
    "clubofmozambique-liberterra-iii": "interpol-release-liberterra-iii",
    "radionicaragua-liberterra-iii": "interpol-release-liberterra-iii",
    "ap-liberterra-iii": "interpol-release-liberterra-iii",
    "the-national-liberterra-ii": "interpol-release-liberterra-ii",
    "afp-liberterra-ii": "interpol-release-liberterra-ii",
    "gulf-today-liberterra-i": "interpol-release-liberterra-i",
    "rt-liberterra-i": "interpol-release-liberterra-i",
    "khaleej-times-liberterra-i": "interpol-release-liberterra-i",
}
PRELIMINARY = URIRef("https://w3id.org/libertera/concept/report-status/preliminary")
CITED = [name for name in [*RELEASES, *REPORTS] if name != "news-article-libertera-3"]

# (figure, source, quantity kind, stated value, bound kind, the source's words, preliminary?)
FIGURES = [
    (
        "liberterra-iii-participating-countries-interpol",
        "interpol-release-liberterra-iii",
        "participating-countries",
        119,
        "exact",
        "119",
        False,
    ),
    (
        "liberterra-iii-victims-interpol",
        "interpol-release-liberterra-iii",
        "victims-protected-or-rescued",
        4414,
        "exact",
        "4,414",
        False,
    ),
    (
        "liberterra-iii-victims-headline-interpol",
        "interpol-release-liberterra-iii",
        "victims-protected-or-rescued",
        4400,
        "about",
        "4,400",
        False,
    ),
    (
        "liberterra-iii-irregular-migrants-interpol",
        "interpol-release-liberterra-iii",
        "irregular-migrants-detected",
        12992,
        "exact",
        "12,992",
        False,
    ),
    (
        "liberterra-iii-arrests-interpol",
        "interpol-release-liberterra-iii",
        "suspects-arrested",
        3744,
        "exact",
        "3,744",
        True,
    ),
    (
        "liberterra-iii-arrests-linked-interpol",
        "interpol-release-liberterra-iii",
        "arrests-linked-to-trafficking-or-smuggling",
        1800,
        "more-than",
        "more than 1,800",
        True,
    ),
    (
        "liberterra-iii-personnel-interpol",
        "interpol-release-liberterra-iii",
        "law-enforcement-personnel",
        14000,
        "more-than",
        "more than 14,000",
        False,
    ),
    (
        "liberterra-iii-investigations-interpol",
        "interpol-release-liberterra-iii",
        "investigations-opened",
        720,
        "more-than",
        "more than 720",
        False,
    ),
    (
        "myanmar-scam-compound-workers-migrantaffairs",
        "migrantaffairs-liberterra-iii",
        "workers-found",
        450,
        "about",
        "about 450",
        False,
    ),
    (
        "liberterra-iii-victims-radionicaragua",
        "radionicaragua-liberterra-iii",
        "victims-protected-or-rescued",
        4419,
        "exact",
        "4,419",
        False,
    ),
    (
        "brazil-network-assets-frozen-radionicaragua",
        "radionicaragua-liberterra-iii",
        "assets-frozen-usd",
        1100000,
        "about",
        "USD 1.1 million",
        False,
    ),
    ("interpol-member-countries-ap", "ap-liberterra-iii", "member-countries", 196, "exact", "196", False),
    (
        "liberterra-ii-participating-countries-interpol",
        "interpol-release-liberterra-ii",
        "participating-countries",
        116,
        "exact",
        "116 countries and territories",
        True,
    ),
    (
        "liberterra-ii-victims-interpol",
        "interpol-release-liberterra-ii",
        "victims-protected-or-rescued",
        3222,
        "exact",
        "3,222",
        True,
    ),
    (
        "liberterra-ii-irregular-migrants-interpol",
        "interpol-release-liberterra-ii",
        "irregular-migrants-detected",
        17793,
        "exact",
        "17,793",
        True,
    ),
    (
        "liberterra-ii-arrests-interpol",
        "interpol-release-liberterra-ii",
        "suspects-arrested",
        2517,
        "exact",
        "2,517",
        True,
    ),
    (
        "liberterra-ii-arrests-linked-interpol",
        "interpol-release-liberterra-ii",
        "arrests-linked-to-trafficking-or-smuggling",
        850,
        "exact",
        "850",
        True,
    ),
    (
        "liberterra-ii-flights-interpol",
        "interpol-release-liberterra-ii",
        "flights-monitored",
        24000,
        "about",
        "nearly 24,000",
        True,
    ),
    (
        "liberterra-ii-database-checks-interpol",
        "interpol-release-liberterra-ii",
        "database-checks",
        8000000,
        "about",
        "nearly 8 million",
        True,
    ),
    (
        "liberterra-ii-supporting-units-interpol",
        "interpol-release-liberterra-ii",
        "supporting-specialized-units",
        15,
        "exact",
        "15",
        True,
    ),
    (
        "liberterra-ii-days-the-national",
        "the-national-liberterra-ii",
        "operation-days",
        5,
        "exact",
        "five-day",
        False,
    ),
    ("liberterra-ii-days-afp", "afp-liberterra-ii", "operation-days", 6, "exact", "six-day", False),
    (
        "liberterra-i-participating-countries-interpol",
        "interpol-release-liberterra-i",
        "participating-countries",
        47,
        "exact",
        "47",
        False,
    ),
    (
        "liberterra-i-arrests-interpol",
        "interpol-release-liberterra-i",
        "suspects-arrested",
        286,
        "exact",
        "286",
        False,
    ),
    (
        "liberterra-i-victims-interpol",
        "interpol-release-liberterra-i",
        "victims-protected-or-rescued",
        430,
        "about",
        "about 430",
        False,
    ),
    (
        "liberterra-i-irregular-migrants-interpol",
        "interpol-release-liberterra-i",
        "irregular-migrants-detected",
        4000,
        "exact",
        "4,000",
        False,
    ),
    (
        "liberterra-i-migrants-countries-of-origin-interpol",
        "interpol-release-liberterra-i",
        "migrants-countries-of-origin",
        74,
        "exact",
        "74",
        False,
    ),
    (
        "liberterra-i-investigations-interpol",
        "interpol-release-liberterra-i",
        "investigations-opened",
        60,
        "exact",
        "60",
        False,
    ),
    (
        "liberterra-i-criminal-groups-interpol",
        "interpol-release-liberterra-i",
        "criminal-groups-dismantled",
        22,
        "exact",
        "22",
        False,
    ),
    (
        "liberterra-i-inspections-rt",
        "rt-liberterra-i",
        "inspections",
        500000,
        "about",
        "about 500,000",
        False,
    ),
    (
        "liberterra-i-inspections-khaleej-times",
        "khaleej-times-liberterra-i",
        "inspections",
        500000,
        "about",
        "about 500,000",
        False,
    ),
]


@pytest.fixture(scope="module")
def data(kg: KnowledgeGraph) -> Graph:
    return kg.merged()


def source(name: str) -> URIRef:
    return ID[f"source/{name}"]


@pytest.mark.parametrize("name", CITED)
def test_a_cited_source_states_its_facts_in_its_own_graph_without_quotes(
    kg: KnowledgeGraph, name: str
) -> None:
    graph = kg.dataset.graph(GRAPH[name])
    statements = set(graph.subjects(LT.statedIn, None))
    assert statements, f"{name} states nothing"
    assert {graph.value(s, LT.statedIn) for s in statements} == {source(name)}
    assert not list(graph.triples((None, LT.evidence, None))), "we hold no text of it, so no quote"
    assert graph.value(source(name), SCHEMA.text) is None
    assert not list(graph.triples((None, RDF.type, OA.SpecificResource)))


def test_no_source_s_claim_stands_in_another_source_s_graph(kg: KnowledgeGraph) -> None:
    for name in [*RELEASES, *REPORTS]:
        graph = kg.dataset.graph(GRAPH[name])
        assert set(graph.objects(None, LT.statedIn)) == {source(name)}, name


def test_releases_are_primary_and_every_report_names_the_release_it_relays(data: Graph) -> None:
    for name in RELEASES:
        assert (source(name), RDF.type, LT.PressRelease) in data
        assert data.value(source(name), SCHEMA.publisher) == ID["organization/interpol"]
    for name, release in REPORTS.items():
        assert (source(name), RDF.type, LT.NewsArticle) in data, name
        assert data.value(source(name), PROV.hadPrimarySource) == source(release), name
    copy = data.value(source("interpol-release-liberterra-ii"), SCHEMA.archivedAt)
    assert str(copy).startswith("https://publicnow.com/view/"), "Liberterra II was read in a copy"


@pytest.mark.parametrize(("figure", "stated_in", "kind", "value", "bound", "words", "preliminary"), FIGURES)
def test_every_figure_keeps_its_source_s_bound_words_and_status(
    data: Graph, figure: str, stated_in: str, kind: str, value: int, bound: str, words: str, preliminary: bool
) -> None:
    node = ID[f"figure/{figure}"]
    assert data.value(node, LT.statedIn) == source(stated_in)
    assert data.value(node, LT.quantityKind) == URIRef(
        f"https://w3id.org/libertera/concept/quantity-kind/{kind}"
    )
    assert data.value(node, LT.statedValue) == Literal(value)
    assert data.value(node, LT.boundKind) == URIRef(f"https://w3id.org/libertera/concept/bound-kind/{bound}")
    assert data.value(node, LT.statedAs) == Literal(words)
    status = data.value(node, LT.reportStatus)
    assert status == (
        URIRef("https://w3id.org/libertera/concept/report-status/preliminary") if preliminary else None
    )


def test_the_three_operations_form_one_series_in_order(data: Graph) -> None:
    series = ID["series/liberterra"]
    found = {}
    for operation in data.subjects(LT.inSeries, series):
        found[int(data.value(operation, LT.seriesNumber))] = (  # type: ignore[arg-type]
            str(data.value(operation, SKOS.prefLabel)),
            str(data.value(operation, SCHEMA.startDate)),
        )
    assert found == {
        1: ("Liberterra", "2021-07-05"),
        2: ("Liberterra II", "2024-09-29"),
        3: ("Liberterra III", "2025-11-10"),
    }


def test_where_sources_name_someone_differently_both_names_stay(kg: KnowledgeGraph) -> None:
    official = ID["person/david-caunter"]
    article = kg.dataset.graph(GRAPH["news-article-libertera-3"])
    stern = kg.dataset.graph(GRAPH["stern-liberterra-iii"])
    assert article.value(official, SKOS.altLabel) == Literal("David Conter", lang="en")
    assert stern.value(official, SKOS.prefLabel) == Literal("David Caunter", lang="en")


def test_quotations_of_cited_sources_hold_no_words(data: Graph) -> None:
    """We copy no sentence of a source we do not hold: a quotation says who spoke and what about."""
    for quotation in data.subjects(RDF.type, LT.Quotation):
        stated_in = data.value(quotation, LT.statedIn)
        if data.value(stated_in, SCHEMA.text) is None:
            assert data.value(quotation, SCHEMA.text) is None, quotation
            assert data.value(quotation, LT.spokenBy) is not None

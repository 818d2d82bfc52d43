"""What the server says about itself and its data: the VoID and DCAT description, the SPARQL Service
Description, and what an entity's linked-data page shows.

The statistics come from SPARQL over the served data (``queries/server/void.rq``), computed once, since
the data is read-only; the addresses (endpoint, dumps) come from the URL the client used.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from rdflib import DCAT, DCTERMS, RDF, RDFS, VOID, Graph, Literal, Namespace, URIRef
from rdflib.namespace import SKOS
from rdflib.term import Node

from ..catalogue import CannedQuery
from ..namespaces import BASE, GRAPH, ID, PREFIXES

SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
FORMATS = Namespace("http://www.w3.org/ns/formats/")

#: The dataset the server describes: every graph it serves.
DATASET = URIRef(BASE + "dataset")
LICENSE = URIRef("https://creativecommons.org/licenses/by/4.0/")

#: Media types of the dumps, by file suffix.
DUMP_TYPES = {
    ".trig": "application/trig",
    ".nq": "application/n-quads",
    ".ttl": "text/turtle",
    ".nt": "application/n-triples",
    ".jsonld": "application/ld+json",
}

#: The result and RDF formats the endpoint writes, as W3C format IRIs for the service description.
_FORMAT_IRIS = (
    FORMATS.SPARQL_Results_JSON,
    FORMATS.SPARQL_Results_XML,
    FORMATS.SPARQL_Results_CSV,
    FORMATS.SPARQL_Results_TSV,
    FORMATS.Turtle,
    FORMATS["N-Triples"],
    FORMATS["JSON-LD"],
    FORMATS.RDF_XML,
)


def _graph() -> Graph:
    graph = Graph()
    for prefix, namespace in {**PREFIXES, "void": str(VOID), "dcat": str(DCAT), "sd": str(SD)}.items():
        graph.bind(prefix, namespace)
    return graph


def void_description(
    statistics: Sequence[Sequence[Node | None]], base_url: str, dumps: Sequence[str], graphs: Sequence[str]
) -> Graph:
    """The VoID and DCAT description of the served dataset: ``statistics`` are the triples of
    ``void.rq``; ``base_url`` is where the server answers; ``dumps`` the dump file names it serves."""
    graph = _graph()
    for triple in statistics:
        graph.add(tuple(triple))  # type: ignore[arg-type]
    endpoint = URIRef(f"{base_url}sparql")
    graph.add((DATASET, RDF.type, VOID.Dataset))
    graph.add((DATASET, RDF.type, DCAT.Dataset))
    graph.add((DATASET, DCTERMS.title, Literal("Libertera knowledge graph", lang="en")))
    graph.add(
        (
            DATASET,
            DCTERMS.description,
            Literal(
                "INTERPOL's 2025 operation against human trafficking (Liberterra III) as reported by a news "
                "article, every fact traceable to its exact quote, with reference links to Wikidata and "
                "GeoNames.",
                lang="en",
            ),
        )
    )
    graph.add((DATASET, DCTERMS.license, LICENSE))
    graph.add((DATASET, VOID.uriSpace, Literal(str(ID))))
    graph.add((DATASET, VOID.sparqlEndpoint, endpoint))
    graph.add((DATASET, VOID.rootResource, URIRef(str(ID) + "operation/liberterra-iii")))
    for namespace in ("ontology#", "concept/"):
        graph.add((DATASET, VOID.vocabulary, URIRef(BASE + namespace)))
    for name in graphs:
        if name.startswith(str(GRAPH)):
            graph.add((DATASET, VOID.subset, URIRef(name)))
    for name in dumps:
        url = URIRef(f"{base_url}dumps/{name}")
        distribution = URIRef(f"{DATASET}/distribution/{name}")
        graph.add((DATASET, VOID.dataDump, url))
        graph.add((DATASET, DCAT.distribution, distribution))
        graph.add((distribution, RDF.type, DCAT.Distribution))
        graph.add((distribution, DCAT.downloadURL, url))
        graph.add((distribution, DCAT.mediaType, Literal(DUMP_TYPES["." + name.rsplit(".", 1)[-1]])))
        graph.add((distribution, DCTERMS.license, LICENSE))
    service = URIRef(f"{base_url}sparql#service")
    graph.add((service, RDF.type, DCAT.DataService))
    graph.add((service, DCAT.endpointURL, endpoint))
    graph.add((service, DCAT.servesDataset, DATASET))
    graph.add((service, DCTERMS.conformsTo, URIRef("https://www.w3.org/TR/sparql11-protocol/")))
    return graph


def service_description(base_url: str, graphs: Sequence[str]) -> Graph:
    """The SPARQL 1.1 Service Description of the endpoint at ``base_url``sparql."""
    graph = _graph()
    endpoint = URIRef(f"{base_url}sparql")
    service = URIRef(f"{base_url}sparql#service")
    dataset = URIRef(f"{base_url}sparql#dataset")
    default = URIRef(f"{base_url}sparql#default-graph")
    graph.add((service, RDF.type, SD.Service))
    graph.add((service, SD.endpoint, endpoint))
    graph.add((service, SD.supportedLanguage, SD.SPARQL11Query))
    graph.add((service, SD.feature, SD.UnionDefaultGraph))
    graph.add((service, SD.feature, SD.BasicFederatedQuery))
    for fmt in _FORMAT_IRIS:
        graph.add((service, SD.resultFormat, fmt))
    graph.add((service, SD.defaultDataset, dataset))
    graph.add((dataset, RDF.type, SD.Dataset))
    graph.add((dataset, DCTERMS.source, DATASET))
    graph.add((dataset, SD.defaultGraph, default))
    graph.add((default, RDF.type, SD.Graph))
    graph.add((default, RDF.type, VOID.Dataset))
    graph.add((default, DCTERMS.description, Literal("The union of the named graphs.", lang="en")))
    for index, name in enumerate(sorted(graphs), start=1):
        named = URIRef(f"{base_url}sparql#named-graph-{index}")
        graph.add((dataset, SD.namedGraph, named))
        graph.add((named, RDF.type, SD.NamedGraph))
        graph.add((named, SD.name, URIRef(name)))
    graph.add((service, URIRef(str(VOID) + "inDataset"), DATASET))
    return graph


@dataclass(frozen=True)
class Link:
    """One line of an entity page: a property, the value or linking entity, and how each reads."""

    property: str
    property_label: str
    value: str
    value_label: str
    #: Whether the value is an IRI (a link) rather than a literal.
    is_iri: bool
    language: str | None = None


@dataclass(frozen=True)
class Quote:
    """Words of a source that support a claim about the entity, with where they are in the source."""

    property: str
    value: str
    source: str
    words: str
    start: int | None
    end: int | None


#: A row of a query's answer, read by column name.
Record = Mapping[str, Node | None]


@dataclass(frozen=True)
class SourceColumn:
    """A source in the side-by-side table of an entity page: its IRI, a short name and its standing."""

    iri: str
    name: str
    standing: str


@dataclass(frozen=True)
class SourcesRow:
    """One aspect of an entity, with what each source gives for it (in the columns' order) and whether
    two sources give it differently."""

    aspect: str
    values: tuple[tuple[str, ...], ...]
    differs: bool


#: Aspects whose values are our names for each source's own statement, which differ by nature.
_OWN_STATEMENTS = {"finding", "trend", "quotation", "type"}
_STANDING_ORDER = {"primary": 0, "secondary": 1, "reference": 2}


def sources_side_by_side(rows: Sequence[Record]) -> tuple[list[SourceColumn], list[SourcesRow]]:
    """The rows of the canned query ``what-sources-say`` as a table: one column per source (primary first),
    one row per aspect, a row marked where sources that both give the aspect give different values."""
    standing = {str(row["source"]): str(row["standing"]) for row in rows}
    columns = [
        SourceColumn(iri, _local(iri), kind)
        for iri, kind in sorted(standing.items(), key=lambda item: (_STANDING_ORDER.get(item[1], 3), item[0]))
    ]
    said: dict[str, dict[str, list[str]]] = {}
    for row in rows:
        values = said.setdefault(str(row["aspect"]), {}).setdefault(str(row["source"]), [])
        if str(row["value"]) not in values:
            values.append(str(row["value"]))
    table = []
    for aspect in sorted(said, key=lambda a: (a in _OWN_STATEMENTS, a)):
        by_source = said[aspect]
        given = {tuple(sorted(values)) for values in by_source.values()}
        differs = aspect not in _OWN_STATEMENTS and len(given) > 1
        table.append(SourcesRow(aspect, tuple(tuple(by_source.get(c.iri, ())) for c in columns), differs))
    return columns, table


def entity_page(
    iri: str,
    links: Sequence[Record],
    quotes: Sequence[Record],
    property_labels: Mapping[str, str],
    statements: Sequence[Record] = (),
) -> dict[str, Any]:
    """What the entity page shows: label, types, links out and in, what each source says side by side,
    and the quotes behind its claims.

    ``links`` are the rows of ``queries/server/entity-links.rq``, ``quotes`` those of the canned query
    ``provenance`` and ``statements`` those of ``what-sources-say``, for ``iri``; ``property_labels`` name
    the properties as the served graph does.
    """
    out: list[Link] = []
    incoming: list[Link] = []
    types: list[Link] = []
    labels: list[str] = []
    for row in links:
        prop, value = row["property"], row["value"]
        outgoing = row["direction"] == Literal("out")
        if outgoing and prop in (SKOS.prefLabel, RDFS.label) and isinstance(value, Literal):
            labels.append(str(value))
        link = _link(str(prop), value, row["valueLabel"], property_labels)
        if outgoing and prop == RDF.type:
            types.append(link)
        else:
            (out if outgoing else incoming).append(link)
    quote_rows = [
        Quote(
            property=property_labels.get(str(row["property"]), _local(str(row["property"])))
            if row["property"] is not None
            else "",
            value=str(row["value"]) if row["value"] is not None else "",
            source=str(row["source"]),
            words=str(row["quote"]),
            start=int(row["start"]) if row["start"] is not None else None,  # type: ignore[call-overload]
            end=int(row["end"]) if row["end"] is not None else None,  # type: ignore[call-overload]
        )
        for row in quotes
        if row["quote"] is not None
    ]
    columns, said = sources_side_by_side(statements)
    return {
        "iri": iri,
        "label": labels[0] if labels else _local(iri),
        "types": types,
        "out": out,
        "incoming": incoming,
        "quotes": quote_rows,
        "sources": columns,
        "said": said,
    }


def _link(
    prop: str, value: Node | None, value_label: Node | None, property_labels: Mapping[str, str]
) -> Link:
    is_iri = isinstance(value, URIRef)
    return Link(
        property=prop,
        property_label=property_labels.get(prop, _local(prop)),
        value=str(value),
        value_label=str(value_label)
        if value_label is not None
        else (_local(str(value)) if is_iri else str(value)),
        is_iri=is_iri,
        language=value.language if isinstance(value, Literal) else None,
    )


def _local(iri: str) -> str:
    return iri.rstrip("/").rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def query_listing(canned: CannedQuery, base: str) -> dict[str, Any]:
    """A canned query as the /queries listing shows it."""
    return {
        "name": canned.name,
        "summary": canned.summary,
        "description": canned.description,
        "tags": list(canned.tags),
        "url": f"{base}queries/{canned.name}",
        "parameters": [
            {
                "name": p.name,
                "kind": p.kind,
                "required": p.required,
                "default": p.default,
                "description": p.description,
            }
            for p in canned.parameters
        ],
    }

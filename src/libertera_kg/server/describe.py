"""What the server says about itself and its data: the VoID and DCAT description, the SPARQL Service
Description, and the canned queries as its listings show them.

The statistics come from SPARQL over the served data (``queries/server/void.rq``), computed once, since
the data is read-only; the addresses (endpoint, dumps) come from the URL the client used.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rdflib import DCAT, DCTERMS, RDF, VOID, Graph, Literal, Namespace, URIRef
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
                "INTERPOL's operations against human trafficking and migrant smuggling (Liberterra I-III), "
                "as INTERPOL's releases and the reports relaying them state them, every fact attributed to "
                "its source (with its exact words where we hold the source's text), with reference links "
                "to Wikidata and GeoNames.",
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

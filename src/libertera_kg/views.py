"""Graph views for analysts: the knowledge graph as networkx graphs, and as files that graph tools open.

A view is a SPARQL SELECT in ``queries/views/`` whose rows are edges, ``?subject ?predicate ?object`` (a
row without predicate adds a node alone), so it runs on every store (:mod:`libertera_kg.stores`). Two more
queries, bound to the view's nodes with ``VALUES``, fetch their literals, types and Wikidata links, which
become node attributes (literals never become nodes), and the sources whose claims state each edge.

Each view also has a function of its name (:func:`entities`, :func:`participation` …), the same as
``view(name)``.

>>> graph = network()
>>> sorted(graph.nodes[n]["isoAlpha2"] for _, n, key in graph.edges(keys=True) if key == "lt:linksCountry")
['AF', 'MX', 'PK', 'US']
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

import networkx as nx
from rdflib import OWL, RDF, RDFS, Dataset, Literal, URIRef
from rdflib.namespace import PROV, SKOS
from rdflib.term import Node

from . import resources
from .catalogue import CannedQuery, find_named, parse_query_file
from .errors import UsageError
from .namespaces import PREFIXES

if TYPE_CHECKING:
    from .stores import Store

#: A row of a query's answer, read by column name.
Record = dict[str, Node | None]

#: What a view can be written as, with the file suffix each format uses.
EXPORT_FORMATS = {"graphml": ".graphml", "gexf": ".gexf", "json": ".json", "cyjs": ".cyjs", "csv": ".csv"}

_WIKIDATA = "http://www.wikidata.org/entity/"
_GEONAMES = "https://sws.geonames.org/"

_NODES_PER_QUERY = 2000


@dataclass(frozen=True)
class View:
    """A graph view: its name (the file's stem), what it shows, and the SPARQL that selects its edges."""

    name: str
    summary: str
    description: str
    query: CannedQuery


@cache
def list_views() -> tuple[View, ...]:
    """Every view of ``queries/views/``, sorted by name."""
    found = []
    for path in resources.view_files():
        query = parse_query_file(path.read_text(encoding="utf-8"), path=str(path))
        found.append(View(query.name, query.summary, query.description, query))
    return tuple(found)


def get_view(name: str) -> View:
    """The view called ``name``; an unknown name raises :class:`UnknownNameError` listing the known ones."""
    return find_named(list_views(), name, "view")


def view(name: str, store: Store | None = None, *, provenance: bool = False) -> nx.MultiDiGraph:
    """The view ``name`` as a networkx MultiDiGraph, from ``store`` (default: the shipped graph in memory).

    Nodes are IRIs with ``label``, ``type`` and one attribute per literal property (``isoAlpha2``,
    ``victimCount`` …), plus ``wikidata`` and ``geonames`` ids; edges are keyed by the predicate's prefixed
    name and carry ``predicate`` (its IRI), ``label`` (its English label) and ``stated_in`` (the sources
    that state it, joined by '; '). ``provenance=True`` adds the ``provenance`` view: claims, statements,
    sources, quotes and their selectors, linked to the entities they are about.
    """
    from .catalogue import with_value_rows
    from .stores import connect

    store = store or connect()
    node_attributes = resources.shipped_query("lookups/node-attributes.rq")
    link_sources = resources.shipped_query("lookups/link-sources.rq")
    edges = store.sparql(get_view(name).query.text).records()
    if provenance and name != "provenance":
        edges += store.sparql(get_view("provenance").query.text).records()
    ends = {term for row in edges for term in (row["subject"], row["object"]) if isinstance(term, URIRef)}
    nodes = sorted(ends)
    attributes: list[Record] = []
    sources: list[Record] = []
    for start in range(0, len(nodes), _NODES_PER_QUERY):
        batch = [(node,) for node in nodes[start : start + _NODES_PER_QUERY]]
        attributes += store.sparql(with_value_rows(node_attributes, ("node",), batch)).records()
        sources += store.sparql(with_value_rows(link_sources, ("node",), batch)).records()
    return _build(edges, attributes, sources, store.property_labels())


def entities(store: Store | None = None, *, provenance: bool = False) -> nx.MultiDiGraph:
    """Every link between the entities and concepts, literals and types folded into node attributes."""
    return view("entities", store, provenance=provenance)


def participation(store: Store | None = None) -> nx.MultiDiGraph:
    """The operation, its coordinator, the participating countries, and its cases with their countries."""
    return view("participation", store)


def cases(store: Store | None = None) -> nx.MultiDiGraph:
    """The cases with their countries, offences, victim groups, people, settings and outcomes."""
    return view("cases", store)


def network(store: Store | None = None) -> nx.MultiDiGraph:
    """The transnational network dismantled in Brazil and the countries it links."""
    return view("network", store)


def flows(store: Store | None = None) -> nx.MultiDiGraph:
    """Trafficking flows from origin to exploitation regions, with the trends they belong to."""
    return view("flows", store)


def organisation(store: Store | None = None) -> nx.MultiDiGraph:
    """INTERPOL, its unit, the post, the person who holds it and what he said."""
    return view("organisation", store)


def offences(store: Store | None = None) -> nx.MultiDiGraph:
    """The offence scheme as a tree (narrower to broader) with ICCS codes, and the cases using each."""
    return view("offences", store)


def provenance(store: Store | None = None) -> nx.MultiDiGraph:
    """Claims and statements with their sources and quotes, and the entities they are about."""
    return view("provenance", store)


def sources(store: Store | None = None) -> nx.MultiDiGraph:
    """The reports and releases, the release each relays, their publishers and what each speaks of."""
    return view("sources", store)


def series(store: Store | None = None) -> nx.MultiDiGraph:
    """The Liberterra operations, their activities and every figure of each, with its bound and source."""
    return view("series", store)


def _build(
    edge_rows: list[Record], attribute_rows: list[Record], source_rows: list[Record], labels: dict[str, str]
) -> nx.MultiDiGraph:
    """The networkx graph of a view from the rows of its query (``subject``, ``predicate``, ``object``),
    of ``lookups/node-attributes.rq`` and of ``lookups/link-sources.rq``, read by column name."""
    stated_in: dict[tuple[str, str, str], set[str]] = defaultdict(set)
    for row in source_rows:
        stated_in[(str(row["node"]), str(row["predicate"]), str(row["object"]))].add(str(row["source"]))
    edges: dict[tuple[str, str, str], set[str]] = {}
    lone_nodes = set()
    for row in edge_rows:
        if row["predicate"] is None or row["object"] is None:  # a row that only names a node (a leaf concept)
            lone_nodes.add(str(row["subject"]))
            continue
        edge = (str(row["subject"]), str(row["predicate"]), str(row["object"]))
        edges[edge] = stated_in.get(edge, set())
    nodes = sorted({node for s, _, o in edges for node in (s, o)} | lone_nodes)
    values: dict[str, dict[str, set[object]]] = defaultdict(lambda: defaultdict(set))
    for row in attribute_rows:
        name, item = _attribute(row["predicate"], row["value"])
        if name:
            values[str(row["node"])][name].add(item)
    graph = nx.MultiDiGraph()
    for node in nodes:
        attributes = {name: _one_value(items) for name, items in sorted(values[node].items())}
        attributes.setdefault("label", str(attributes.get("statedAs", _local_name(node))))
        attributes.setdefault("type", "")
        graph.add_node(node, **attributes)
    for (subject, predicate, obj), sources in sorted(edges.items()):
        graph.add_edge(
            subject,
            obj,
            key=_prefixed(predicate),
            predicate=predicate,
            label=labels.get(predicate, _local_name(predicate)),
            stated_in="; ".join(sorted(sources)),
        )
    return graph


def _attribute(predicate: object, value: object) -> tuple[str | None, object]:
    """The node attribute a (predicate, value) pair becomes, or ``None`` when it is not one."""
    if predicate == RDF.type:
        return "type", _prefixed(str(value))
    if predicate == OWL.sameAs:
        text = str(value)
        if text.startswith(_WIKIDATA):
            return "wikidata", text.removeprefix(_WIKIDATA)
        if text.startswith(_GEONAMES):
            return "geonames", text.removeprefix(_GEONAMES).strip("/")
        return None, None
    if not isinstance(value, Literal):
        return None, None
    if value.language not in (None, "en"):
        return None, None
    if predicate in (SKOS.prefLabel, RDFS.label):
        return "label", str(value)
    return _local_name(str(predicate)), _plain(value)


def _plain(value: Literal) -> object:
    """A literal as a value GraphML and GEXF can hold: str, int, float or bool."""
    python = value.toPython()
    if isinstance(python, bool | int | float):
        return python
    if isinstance(python, Decimal):
        return float(python)
    if isinstance(python, date | datetime):
        return python.isoformat()
    return str(value)


def _one_value(items: set[object]) -> object:
    """One attribute value: the value itself, or several joined with '; ' in a stable order."""
    if len(items) == 1:
        return next(iter(items))
    return "; ".join(sorted(str(item) for item in items))


def _local_name(iri: str) -> str:
    return iri.rstrip("/").rsplit("#", 1)[-1].rsplit("/", 1)[-1]


#: Prefixes for edge keys and node types (``lt:occurredIn``, ``skos:Concept``).
_PREFIXES = {
    **PREFIXES,
    "skos": str(SKOS),
    "rdf": str(RDF),
    "owl": str(OWL),
    "prov": str(PROV),
    "time": "http://www.w3.org/2006/time#",
}


@cache
def _prefixed(iri: str) -> str:
    for prefix, namespace in _PREFIXES.items():
        if iri.startswith(namespace):
            return f"{prefix}:{iri.removeprefix(namespace)}"
    return iri


def _expanded(name: str) -> URIRef:
    prefix, _, local = name.partition(":")
    return URIRef(_PREFIXES[prefix] + local if prefix in _PREFIXES else name)


def write_view(graph: nx.MultiDiGraph, fmt: str | None, path: Path) -> Path:
    """Write ``graph`` as ``fmt`` (see :data:`EXPORT_FORMATS`; ``None``: the one ``path`` ends with) to
    ``path``, whole or not at all."""
    from .publish import write_atomically

    write_atomically(path, serialise_view(graph, export_format(fmt, path)))
    return path


def export_format(fmt: str | None, path: Path) -> str:
    """The export format for ``path``: ``fmt`` if given (refused when the file's extension names another
    format), else the format its extension names."""
    by_suffix = {suffix: name for name, suffix in EXPORT_FORMATS.items()}
    named = by_suffix.get(path.suffix.lower())
    known = ", ".join(EXPORT_FORMATS)
    if fmt is None:
        if named is None:
            raise UsageError(
                f"Cannot tell the format of {path} from its extension; end the file name with one of "
                f"{', '.join(by_suffix)}, or give --format ({known})."
            )
        return named
    if fmt not in EXPORT_FORMATS:
        raise UsageError(f"Unknown export format '{fmt}'; choose one of: {known}.")
    if named is not None and named != fmt:
        raise UsageError(
            f"--format {fmt} contradicts the file name {path}, which ends as a {named} file does; "
            f"write {fmt} to a file ending in {EXPORT_FORMATS[fmt]}, or leave --format out."
        )
    return fmt


def gexf_typed(graph: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """``graph`` with each node attribute of one type, as GEXF declares it once: an attribute that some
    node holds as text (two sources' values joined, "70; 73") is text on every node."""
    kinds: dict[str, set[type]] = {}
    for _, data in graph.nodes(data=True):
        for key, value in data.items():
            kinds.setdefault(key, set()).add(type(value))
    textual = {key for key, found in kinds.items() if str in found and len(found) > 1}
    if not textual:
        return graph
    typed = graph.copy()
    for _, data in typed.nodes(data=True):
        for key in textual & data.keys():
            data[key] = str(data[key])
    return typed


def serialise_view(graph: nx.MultiDiGraph, fmt: str) -> str:
    """The text of ``graph`` in ``fmt``: GraphML, GEXF, node-link JSON (D3), Cytoscape.js JSON or CSV."""
    if fmt == "graphml":
        return "\n".join(nx.generate_graphml(graph)) + "\n"
    if fmt == "gexf":
        # networkx stamps the file with today's date; the same graph must give the same bytes.
        text = "\n".join(nx.generate_gexf(gexf_typed(graph))) + "\n"
        return re.sub(r' lastmodifieddate="[^"]*"', "", text, count=1)
    if fmt == "json":
        return json.dumps(nx.node_link_data(graph, edges="edges"), indent=2, ensure_ascii=False) + "\n"
    if fmt == "cyjs":
        return json.dumps(nx.cytoscape_data(graph), indent=2, ensure_ascii=False) + "\n"
    if fmt == "csv":
        return _edge_list(graph)
    known = ", ".join(EXPORT_FORMATS)
    raise UsageError(f"Unknown export format '{fmt}'; choose one of: {known}.")


def _edge_list(graph: nx.MultiDiGraph) -> str:
    """One row per edge with both ends' labels, for spreadsheets and pandas."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(
        ["source", "target", "key", "predicate", "label", "stated_in", "source_label", "target_label"]
    )
    for subject, obj, key, data in graph.edges(keys=True, data=True):
        writer.writerow(
            [
                subject,
                obj,
                key,
                data["predicate"],
                data["label"],
                data["stated_in"],
                graph.nodes[subject]["label"],
                graph.nodes[obj]["label"],
            ]
        )
    return out.getvalue()


def view_to_rdf(
    graph: nx.MultiDiGraph, graph_name: str, vocabulary: str, *, store: Store | None = None
) -> Dataset:
    """A view (perhaps with attributes an analyst computed) as RDF, in the named graph ``graph_name``.

    Edges become triples with their ``predicate``. Node attributes become literal triples: those a view
    gives (``label``, ``type``, ``wikidata``, ``isoAlpha2`` …) with the properties they came from, and any
    other (``centrality``) with a property ``<vocabulary><attribute>``, which the publisher defines. The
    properties are those ``store`` labels (default: the shipped graph in memory).

    >>> data = view_to_rdf(view("network"), "https://example.org/graph/mine", "https://example.org/def#")
    >>> len(data.graph(URIRef("https://example.org/graph/mine"))) > 40
    True
    """
    from .stores import connect

    dataset = Dataset()
    target = dataset.graph(URIRef(graph_name))
    known = {_local_name(iri): URIRef(iri) for iri in (store or connect()).property_labels()}
    for node, data in graph.nodes(data=True):
        subject = URIRef(node)
        for name, value in data.items():
            if value is None or value == "":
                continue
            if name == "type":
                for kind in str(value).split("; "):
                    target.add((subject, RDF.type, _expanded(kind)))
            elif name == "label":
                target.add((subject, SKOS.prefLabel, Literal(value, lang="en")))
            elif name == "wikidata":
                target.add((subject, OWL.sameAs, URIRef(_WIKIDATA + str(value))))
            elif name == "geonames":
                target.add((subject, OWL.sameAs, URIRef(f"{_GEONAMES}{value}/")))
            else:
                predicate = known.get(name, URIRef(vocabulary + name))
                target.add((subject, predicate, Literal(value)))
    for subject, obj, data in graph.edges(data=True):
        target.add((URIRef(subject), URIRef(data["predicate"]), URIRef(obj)))
    return dataset

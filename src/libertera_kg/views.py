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

import contextlib
import functools
import gc
import re
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from functools import cache
from typing import TYPE_CHECKING

import networkx as nx
from rdflib import OWL, RDF, RDFS, XSD, Literal, URIRef
from rdflib.namespace import PROV, SKOS

from . import resources
from .catalogue import CannedQuery, find_named, parse_query_file
from .namespaces import PREFIXES
from .results import JsonBinding, normalise_term

if TYPE_CHECKING:
    from .stores import Store

_WIKIDATA = "http://www.wikidata.org/entity/"
_GEONAMES = "https://sws.geonames.org/"

_NODES_PER_QUERY = 2000
_INTEGER, _DATE = str(XSD.integer), str(XSD.date)
_PLAIN_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_PLAIN_INTEGER = re.compile(r"-?[0-9]+")


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
    from .stores import connect

    store = store or connect()
    with _cyclic_gc_paused():
        return _view(name, store, provenance=provenance)


@contextlib.contextmanager
def _cyclic_gc_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while a view is built, restoring it after. The rows are
    hundreds of thousands of small dicts, tuples and strings, none in a cycle, and the collector scanned
    them again and again as they were made: a third of the entities view's time at a million quads."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _view(name: str, store: Store, *, provenance: bool) -> nx.MultiDiGraph:
    """:func:`view`, on ``store``."""
    from concurrent.futures import ThreadPoolExecutor

    node_attributes = resources.shipped_query("lookups/node-attributes.rq")
    link_sources = resources.shipped_query("lookups/link-sources.rq")
    edges = store.bindings(get_view(name).query.text)
    if provenance and name != "provenance":
        edges += store.bindings(get_view("provenance").query.text)
    nodes = sorted(
        {row[end]["value"] for row in edges for end in ("subject", "object") if _is_iri(row.get(end))}
    )
    batches = [nodes[start : start + _NODES_PER_QUERY] for start in range(0, len(nodes), _NODES_PER_QUERY)]
    if len(batches) > 1:  # on a million quads, every claim at once took 0.9 s; in 13 batches 1.2 s
        sources = functools.partial(store.bindings, link_sources)
    else:
        sources = functools.partial(_bound_rows, store, link_sources, batches)
    if not store.concurrent_queries:
        attributes = _bound_rows(store, node_attributes, batches)
        return _build(edges, attributes, sources(), store.property_labels())
    # Oxigraph lets go of the interpreter while it evaluates, so the two lookups run side by side.
    with ThreadPoolExecutor(max_workers=1) as pool:
        claims = pool.submit(sources)
        attributes = _bound_rows(store, node_attributes, batches)
        return _build(edges, attributes, claims.result(), store.property_labels())


def _bound_rows(store: Store, text: str, batches: list[list[str]]) -> list[JsonBinding]:
    """The rows of ``text`` with its ``?node`` bound to each batch of node IRIs in turn."""
    from .catalogue import with_value_rows

    rows: list[JsonBinding] = []
    for batch in batches:
        rows += store.bindings(with_value_rows(text, ("node",), [(URIRef(node),) for node in batch]))
    return rows


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
    edge_rows: list[JsonBinding],
    attribute_rows: list[JsonBinding],
    source_rows: list[JsonBinding],
    labels: dict[str, str],
) -> nx.MultiDiGraph:
    """The networkx graph of a view from the rows of its query (``subject``, ``predicate``, ``object``),
    of ``lookups/node-attributes.rq`` and of ``lookups/link-sources.rq``, read by column name as SPARQL
    JSON bindings: strings throughout, from the store to the graph."""
    stated_in: dict[tuple[str, str, str], set[str]] = defaultdict(set)
    for row in source_rows:
        if _is_iri(row.get("object")):
            link = (row["node"]["value"], row["predicate"]["value"], row["object"]["value"])
            stated_in[link].add(row["source"]["value"])
    sources = {link: "; ".join(sorted(found)) for link, found in stated_in.items()}
    edges: set[tuple[str, str, str]] = set()
    lone_nodes = set()
    for row in edge_rows:
        if "predicate" not in row or "object" not in row:  # a row that only names a node (a leaf concept)
            lone_nodes.add(row["subject"]["value"])
            continue
        edges.add((row["subject"]["value"], row["predicate"]["value"], row["object"]["value"]))
    nodes = sorted({node for s, _, o in edges for node in (s, o)} | lone_nodes)
    values: dict[str, dict[str, set[object]]] = defaultdict(lambda: defaultdict(set))
    for row in attribute_rows:
        name, item = _attribute(row["predicate"]["value"], row["value"])
        if name:
            values[row["node"]["value"]][name].add(item)
    # Each predicate's key and label once, not once per edge.
    keys = {p: (_prefixed(p), labels[p] if p in labels else _local_name(p)) for p in {p for _, p, _ in edges}}
    graph = nx.MultiDiGraph()
    graph.add_nodes_from((node, _node_attributes(node, values.get(node, {}))) for node in nodes)
    graph.add_edges_from(
        (
            subject,
            obj,
            keys[predicate][0],
            {"predicate": predicate, "label": keys[predicate][1], "stated_in": sources.get(edge, "")},
        )
        for edge in sorted(edges)
        for subject, predicate, obj in (edge,)
    )
    return graph


def _node_attributes(node: str, values: dict[str, set[object]]) -> dict[str, object]:
    """A node's attributes: one value per attribute (see :func:`_one_value`), with a label and a type."""
    attributes = {name: _one_value(items) for name, items in sorted(values.items())}
    attributes.setdefault("label", str(attributes.get("statedAs", _local_name(node))))
    attributes.setdefault("type", "")
    return attributes


def _is_iri(term: dict[str, str] | None) -> bool:
    return term is not None and term["type"] == "uri"


_RDF_TYPE, _SAME_AS = str(RDF.type), str(OWL.sameAs)
_LABELS = (str(SKOS.prefLabel), str(RDFS.label))
_TEXT_TYPES = (None, str(XSD.string))


def _attribute(predicate: str, value: dict[str, str]) -> tuple[str | None, object]:
    """The node attribute a (predicate, value) pair becomes, or ``None`` when it is not one."""
    if predicate == _RDF_TYPE:
        return "type", _prefixed(value["value"])
    if predicate == _SAME_AS:
        text = value["value"]
        if text.startswith(_WIKIDATA):
            return "wikidata", text.removeprefix(_WIKIDATA)
        if text.startswith(_GEONAMES):
            return "geonames", text.removeprefix(_GEONAMES).strip("/")
        return None, None
    if value["type"] != "literal":
        return None, None
    language = value.get("xml:lang")
    if language is not None and language.lower() != "en":
        return None, None
    if predicate in _LABELS:
        return "label", value["value"]
    return _local_name(predicate), _plain(value)


def _plain(value: dict[str, str]) -> object:
    """A literal as a value GraphML and GEXF can hold: str, int, float or bool (as rdflib reads it)."""
    datatype = value.get("datatype")
    text = value["value"]
    if "xml:lang" in value or datatype in _TEXT_TYPES:
        return text
    # The common cases without an rdflib term (making one parses a date through isodate: 40 µs).
    if datatype == _INTEGER and _PLAIN_INTEGER.fullmatch(text):
        return int(text)
    if datatype == _DATE and _PLAIN_DATE.fullmatch(text):
        with contextlib.suppress(ValueError):  # no such day: rdflib keeps the text, as below
            return date.fromisoformat(text).isoformat()
    term = normalise_term(Literal(text, datatype=URIRef(datatype) if datatype else None))
    assert isinstance(term, Literal)
    python = term.toPython()
    if isinstance(python, bool | int | float):
        return python
    if isinstance(python, Decimal):
        return float(python)
    if isinstance(python, date | datetime):
        return python.isoformat()
    return str(term)


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

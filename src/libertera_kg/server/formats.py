"""The answers the server writes, and which one a client gets: content negotiation over SPARQL formats.

SELECT and ASK answers come as SPARQL Results JSON, XML, CSV or TSV; CONSTRUCT and DESCRIBE answers, and
the linked-data resources, as Turtle, N-Triples, JSON-LD or RDF/XML. A client chooses with ``Accept``, or
with a format parameter (``format``, ``output`` or ``results``, as clients name it) naming a short name or
a media type.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Sequence
from typing import Any

from rdflib import Graph, Literal

from ..errors import NotAcceptableError, QueryError
from ..namespaces import PREFIXES
from ..results import QueryResult

#: Media types of SELECT and ASK answers, in the order the server prefers them.
RESULT_TYPES = (
    "application/sparql-results+json",
    "application/sparql-results+xml",
    "text/csv",
    "text/tab-separated-values",
)
#: Media types of RDF graphs, in the order the server prefers them, with rdflib's format names.
GRAPH_TYPES = {
    "text/turtle": "turtle",
    "application/n-triples": "nt",
    "application/ld+json": "json-ld",
    "application/rdf+xml": "xml",
    # A graph's triples in no named graph: its N-Triples are N-Quads, its Turtle is TriG.
    "application/n-quads": "nt",
    "application/trig": "turtle",
}
#: Other names clients use for the media types of results (first) and of graphs (second), as Oxigraph
#: takes them: a client asking a graph for ``application/json`` gets JSON-LD.
_RESULT_ALIASES = {
    "application/json": "application/sparql-results+json",
    "application/xml": "application/sparql-results+xml",
    "text/xml": "application/sparql-results+xml",
    "text/plain": "text/tab-separated-values",
}
_GRAPH_ALIASES = {
    "application/json": "application/ld+json",
    "application/json+ld": "application/ld+json",
    "application/x-json+ld": "application/ld+json",
    "application/xml": "application/rdf+xml",
    "text/xml": "application/rdf+xml",
    "application/x-turtle": "text/turtle",
    "text/n3": "text/turtle",
    "text/plain": "application/n-triples",
}
#: The short names the format parameters (``format``, ``output``, ``results``) take, beside media types.
FORMAT_NAMES = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
    "turtle": "text/turtle",
    "ttl": "text/turtle",
    "n3": "text/turtle",
    "ntriples": "application/n-triples",
    "nt": "application/n-triples",
    "jsonld": "application/ld+json",
    "json-ld": "application/ld+json",
    "rdfxml": "application/rdf+xml",
    "rdf+xml": "application/rdf+xml",
}
#: For a graph, the result format a name means: ``format=json`` is JSON-LD, ``format=xml`` RDF/XML.
_GRAPH_FORMAT_FOR_RESULTS = {
    "application/sparql-results+json": "application/ld+json",
    "application/sparql-results+xml": "application/rdf+xml",
}


def is_format_value(value: str) -> bool:
    """Whether ``value`` names an answer format: a short name, or media types (a list, as ``Accept`` is
    written: SPARQLWrapper sends ``format=application/ld+json,application/x-json+ld``) of which one is
    written for some form."""
    media = value.strip().lower()
    if "/" not in media:
        return media in FORMAT_NAMES
    known = {*RESULT_TYPES, *GRAPH_TYPES, *_RESULT_ALIASES, *_GRAPH_ALIASES}
    return any(part.partition(";")[0].strip() in known for part in media.split(","))


def offered_types(form: str) -> tuple[str, ...]:
    """The media types an answer of query form ``form`` can be written in, preferred first."""
    return tuple(GRAPH_TYPES) if form in ("CONSTRUCT", "DESCRIBE") else RESULT_TYPES


def negotiate(accept: str | None, offered: Sequence[str]) -> str | None:
    """The offered media type the ``Accept`` header ranks highest (the first offered when there is no
    header), or ``None`` when it accepts none of them. The most specific range decides each type's rank."""
    if not accept or not accept.strip():
        return offered[0]
    ranges = []
    for part in accept.split(","):
        media, _, parameters = part.strip().partition(";")
        quality = 1.0
        for parameter in parameters.split(";"):
            key, _, value = parameter.strip().partition("=")
            if key.strip().lower() == "q":
                try:
                    quality = max(0.0, min(1.0, float(value)))
                except ValueError:
                    quality = 0.0
        media = media.strip().lower()
        ranges.append((_aliases(offered).get(media, media), quality))
    best, best_quality = None, 0.0
    for candidate in offered:
        quality = _quality(candidate, ranges)
        if quality > best_quality:
            best, best_quality = candidate, quality
    return best


def _quality(candidate: str, ranges: Sequence[tuple[str, float]]) -> float:
    kind = candidate.partition("/")[0]
    specificity, quality = -1, 0.0
    for media, value in ranges:
        if media == candidate:
            rank = 2
        elif media == f"{kind}/*":
            rank = 1
        elif media == "*/*":
            rank = 0
        else:
            continue
        if rank > specificity:
            specificity, quality = rank, value
    return quality


def _aliases(offered: Sequence[str]) -> dict[str, str]:
    return _GRAPH_ALIASES if offered and offered[0] in GRAPH_TYPES else _RESULT_ALIASES


def media_type_for_format(name: str, form: str) -> str | None:
    """The media type a format parameter's value (a short name or a media type) names for an answer of
    ``form``, or ``None`` if it fits not."""
    value = name.strip().lower()
    offered = offered_types(form)
    if "/" in value:  # media types, as an Accept header lists them
        return negotiate(value, offered) if value.strip("*/, ") else None
    media = FORMAT_NAMES.get(value, value)
    if form in ("CONSTRUCT", "DESCRIBE"):
        media = _GRAPH_FORMAT_FOR_RESULTS.get(media, media)  # format=json on a graph means JSON-LD
    return media if media in offered else None


def answer_type(form: str, accept: str | None, format_names: Sequence[str] = ()) -> str:
    """The media type to write an answer of ``form`` in: the one the format parameters name (SPARQLWrapper
    sends ``format``, ``output`` and ``results``, each the same; an empty value says nothing), else the
    one ``Accept`` ranks highest."""
    offered = offered_types(form)
    named = {value: media_type_for_format(value, form) for value in format_names if value.strip()}
    if named:
        unfit = [value for value, media in named.items() if media is None]
        if unfit:
            raise NotAcceptableError(
                f"A {form} answer cannot be written as format={unfit[0]}; it comes as: {', '.join(offered)}."
            )
        if len(set(named.values())) > 1:
            raise QueryError(f"The format parameters name different formats ({', '.join(named)}); name one.")
        return next(iter(named.values()))  # type: ignore[return-value]
    media = negotiate(accept, offered)
    if media is None:
        raise NotAcceptableError(
            f"None of the types in the Accept header ({accept}) fits a {form} answer, "
            f"which comes as: {', '.join(offered)}."
        )
    return media


def write_answer(form: str, result: QueryResult, media_type: str) -> bytes:
    """The answer to a query of ``form`` in ``media_type`` (one of :func:`offered_types`)."""
    if form in ("CONSTRUCT", "DESCRIBE"):
        return write_graph(result.rows, media_type)
    if form == "ASK":
        return _write_boolean(bool(result.rows and result.rows[0][0] == Literal(True)), media_type)
    writers: dict[str, Callable[[], str]] = {
        "application/sparql-results+json": functools.partial(result.to_json, indent=None),
        "application/sparql-results+xml": result.to_xml,
        "text/csv": result.to_csv,
        "text/tab-separated-values": result.to_tsv,
    }
    return writers[media_type]().encode("utf-8")


def write_graph(triples: Sequence[Sequence[object]], media_type: str) -> bytes:
    """``triples`` as an RDF document in ``media_type`` (one of :data:`GRAPH_TYPES`), our prefixes bound."""
    fmt = GRAPH_TYPES[media_type]
    # rdflib writes N-Triples, JSON-LD and RDF/XML in the order of its store's sets, which differs from
    # one process to the next: the same answer from two workers differed. RDF/XML is written from a store
    # that keeps the (sorted) order triples were added in; the others are put in one order afterwards
    # (no order means anything in RDF).
    graph = Graph(store="SimpleMemory" if fmt == "xml" else "default")
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace)
    for triple in triples:
        graph.add(tuple(triple))  # type: ignore[arg-type]
    text = graph.serialize(format=fmt)
    if fmt == "nt":
        text = "".join(sorted(text.splitlines(keepends=True)))
    elif fmt == "json-ld":
        text = json.dumps(_ordered_json_ld(json.loads(text)), indent=2, sort_keys=True, ensure_ascii=False)
    return text.encode("utf-8")


def _ordered_json_ld(value: Any) -> Any:
    """A JSON-LD document (as rdflib writes a graph: arrays of node objects and values, which JSON-LD
    leaves unordered) with every array sorted, except an ``@list``, whose order is its meaning."""
    if isinstance(value, dict):
        return {
            key: [_ordered_json_ld(i) for i in item] if key == "@list" else _ordered_json_ld(item)
            for key, item in value.items()
        }
    if isinstance(value, list):
        return sorted(
            (_ordered_json_ld(item) for item in value), key=lambda item: json.dumps(item, sort_keys=True)
        )
    return value


def _write_boolean(answer: bool, media_type: str) -> bytes:
    word = "true" if answer else "false"
    if media_type == "application/sparql-results+json":
        return (json.dumps({"head": {}, "boolean": answer}) + "\n").encode("utf-8")
    if media_type == "application/sparql-results+xml":
        return (
            '<?xml version="1.0" encoding="utf-8"?>\n'
            '<sparql xmlns="http://www.w3.org/2005/sparql-results#">\n'
            f"  <head/>\n  <boolean>{word}</boolean>\n</sparql>\n"
        ).encode()
    if media_type == "text/csv":
        return f"_askResult\r\n{word}\r\n".encode()
    return f"?_askResult\n{word}\n".encode()


def prefers_html(accept: str | None) -> bool:
    """Whether ``Accept`` ranks a page (``text/html``) above every answer format, as a browser's does;
    ``*/*`` alone, as curl sends, prefers the data."""
    return negotiate(accept, (*RESULT_TYPES, *GRAPH_TYPES, "text/html")) == "text/html"

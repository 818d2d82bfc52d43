"""How RDF terms, answers and descriptions read on the server's HTML pages: one place for every table a
browser shows (a query's answer, a canned query's page, VoID and the service description).

IRIs read as the prefixed names a query takes (``country:BR``) and link to their page on this server;
literals read as their text, their language kept as the cell's ``lang`` attribute rather than a stray
``@en``; numbers and dates are marked so that the page never breaks them across lines.

>>> from rdflib import Literal, URIRef
>>> cell = term_cell(URIRef("https://w3id.org/libertera/id/country/BR"))
>>> cell.text, cell.href
('country:BR', '/id/country/BR')
>>> term_cell(Literal("Brasil", lang="pt")).text
'Brasil'
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from rdflib import XSD, BNode, Graph, Literal, URIRef
from rdflib.term import Node

from ..namespaces import BASE, prefixed_name
from ..results import QueryResult

#: Datatypes whose values are never broken across lines: numbers, dates and booleans.
_UNBROKEN_TYPES = frozenset(
    XSD[name]
    for name in (
        "integer",
        "decimal",
        "double",
        "float",
        "nonNegativeInteger",
        "positiveInteger",
        "int",
        "long",
        "date",
        "dateTime",
        "gYear",
        "gYearMonth",
        "time",
        "boolean",
    )
)
#: Characters beyond which a literal is text that needs a wide column rather than a narrow one.
_LONG_TEXT = 30
_NUMBER_TYPES = frozenset(XSD[name] for name in ("integer", "decimal", "double", "float", "int", "long"))

#: Identifier services whose IRIs read best as the service's name and the identifier.
_SERVICES = (
    (re.compile(r"^https?://www\.wikidata\.org/entity/(Q\d+)$"), "Wikidata {}"),
    (re.compile(r"^https?://sws\.geonames\.org/(\d+)/?$"), "GeoNames {}"),
    (re.compile(r"^https?://creativecommons\.org/licenses/([a-z-]+)/([\d.]+)/?$"), "CC {} {}"),
)


@dataclass(frozen=True)
class Cell:
    """A term as a table cell shows it: the text, what it is, where it links and the full form on hover."""

    text: str
    #: ``iri``, ``bnode``, ``literal``, ``text`` (a literal long enough to need a wide column), ``number``
    #: (right-aligned), ``unbroken`` (a date) or ``empty``.
    kind: str
    href: str | None = None
    title: str | None = None
    lang: str | None = None


def local_href(iri: str) -> str:
    """Where a browser on this server goes for ``iri``: a path here for our IRIs, the IRI itself otherwise."""
    return "/" + iri.removeprefix(BASE) if iri.startswith(BASE) else iri


def readable_iri(iri: str) -> str:
    """An IRI as a person reads it: ``Wikidata Q155``, ``GeoNames 3469034``, ``CC BY 4.0`` for the
    identifier services and licences the data links to, else its prefixed name."""
    for pattern, template in _SERVICES:
        match = pattern.match(iri)
        if match:
            parts = [part.upper() if template.startswith("CC") else part for part in match.groups()]
            return template.format(*parts)
    return prefixed_name(iri)


def term_cell(term: Node | None, *, readable: bool = False) -> Cell:
    """How ``term`` reads in a table; ``readable`` names identifier services and licences in words
    (``Wikidata Q155``) where a result table keeps the prefixed name (``wd:Q155``) a query would use."""
    if term is None:
        return Cell("", "empty")
    if isinstance(term, URIRef):
        iri = str(term)
        return Cell(readable_iri(iri) if readable else prefixed_name(iri), "iri", local_href(iri), iri)
    if isinstance(term, BNode):
        return Cell(f"_:{term}", "bnode")
    assert isinstance(term, Literal)
    if term.datatype in _NUMBER_TYPES:
        return Cell(str(term), "number", title=prefixed_name(str(term.datatype)))
    if term.datatype in _UNBROKEN_TYPES:
        return Cell(str(term), "unbroken", title=prefixed_name(str(term.datatype)))
    title = prefixed_name(str(term.datatype)) if term.datatype else None
    kind = "text" if len(term) > _LONG_TEXT else "literal"
    return Cell(str(term), kind, title=title, lang=term.language)


@dataclass(frozen=True)
class AnswerTable:
    """A query's answer as a page shows it: a table of cells (a CONSTRUCT's triples as subject, predicate,
    object), or an ASK's boolean."""

    form: str
    columns: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]
    boolean: bool | None = None
    #: Whether the server cut the answer at its row limit.
    truncated: bool = False

    @property
    def size(self) -> str:
        """The answer's size in words: ``6 rows``, ``12 triples``, ``true``."""
        if self.boolean is not None:
            return "true" if self.boolean else "false"
        noun = "triple" if self.form in ("CONSTRUCT", "DESCRIBE") else "row"
        return f"{len(self.rows):,} {noun}{'' if len(self.rows) == 1 else 's'}"

    @property
    def downloads(self) -> tuple[tuple[str, str], ...]:
        """The formats the answer downloads in: (label, the name ``format=`` takes) pairs."""
        return downloads(self.form)


def answer_table(form: str, result: QueryResult) -> AnswerTable:
    """The answer ``result`` to a query of ``form`` as a table; a graph's triples in a stable order."""
    if form == "ASK":
        return AnswerTable(form, (), (), bool(result.rows and result.rows[0][0] == Literal(True)))
    if form in ("CONSTRUCT", "DESCRIBE"):
        triples = sorted(result.rows, key=lambda triple: tuple(_sort_key(term) for term in triple))
        rows = tuple(tuple(term_cell(term) for term in triple) for triple in triples)
        return AnswerTable(form, ("subject", "predicate", "object"), rows, truncated=result.truncated)
    rows = tuple(tuple(term_cell(term) for term in row) for row in result.rows)
    return AnswerTable(form, result.columns, rows, truncated=result.truncated)


def _sort_key(term: Node | None) -> tuple[int, str]:
    return (0, "") if term is None else (1, term.n3())


@dataclass(frozen=True)
class DescribedResource:
    """One resource of an RDF description as a page shows it: its name and its properties' values; a value
    described nowhere else (a VoID partition, a distribution) is shown within, as a resource itself."""

    subject: Cell
    anchor: str
    properties: tuple[tuple[Cell, tuple[Cell | DescribedResource, ...]], ...]


def described_resources(graph: Graph, first: Iterable[Node] = ()) -> list[DescribedResource]:
    """The resources of ``graph`` (VoID, a service description) with their properties, those in ``first``
    first and the rest by name, so that a browser reads what an RDF client parses. A resource only one
    other refers to is shown within that one, not on its own."""
    subjects = sorted(set(graph.subjects()), key=_sort_key)
    leading = [s for s in first if s in subjects]
    referrers: dict[Node, set[Node]] = {}
    for subject, _, value in graph:
        if value in subjects and value != subject:
            referrers.setdefault(value, set()).add(subject)
    within = {s for s in subjects if s not in leading and len(referrers.get(s, ())) == 1}
    ordered = leading + [s for s in subjects if s not in leading and s not in within]
    anchors = {subject: f"r{index}" for index, subject in enumerate(ordered)}

    def describe(subject: Node) -> DescribedResource:
        by_property: dict[Node, list[Node]] = {}
        for predicate, value in graph.predicate_objects(subject):
            by_property.setdefault(predicate, []).append(value)
        properties = tuple(
            (
                term_cell(predicate),
                tuple(
                    describe(value) if value in within else _in_page(value, anchors)
                    for value in sorted(values, key=_sort_key)
                ),
            )
            for predicate, values in sorted(by_property.items(), key=lambda item: prefixed_name(str(item[0])))
        )
        return DescribedResource(_in_page(subject, {}), anchors.get(subject, ""), properties)

    return [describe(subject) for subject in ordered]


def _in_page(term: Node, anchors: dict[Node, str]) -> Cell:
    """A term's cell, linking to its own section where the page describes it."""
    cell = term_cell(term, readable=True)
    if term in anchors:
        return Cell(cell.text, cell.kind, f"#{anchors[term]}", cell.title, cell.lang)
    return cell


#: The formats a page offers an answer for download in, by label and the name ``format=`` takes.
_RESULT_DOWNLOADS = (("JSON", "json"), ("XML", "xml"), ("CSV", "csv"), ("TSV", "tsv"))
_GRAPH_DOWNLOADS = (
    ("Turtle", "turtle"),
    ("N-Triples", "ntriples"),
    ("JSON-LD", "jsonld"),
    ("RDF/XML", "rdfxml"),
)


def downloads(form: str) -> tuple[tuple[str, str], ...]:
    """The formats an answer of ``form`` downloads in: (label, the name ``format=`` takes) pairs."""
    return _GRAPH_DOWNLOADS if form in ("CONSTRUCT", "DESCRIBE") else _RESULT_DOWNLOADS

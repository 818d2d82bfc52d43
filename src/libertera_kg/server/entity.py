"""What an entity's linked-data page shows: its statements with the sources that support each, what each
source says side by side, and the words behind them, each quote once.

The page reads the rows of three queries for the entity: ``queries/server/entity-links.rq`` (its links
both ways), ``queries/server/entity-claims.rq`` (the claims behind them, with sources and quotes) and the
canned query ``what-sources-say``. Claims never show as rows of their own: each is a source under the
statement it supports.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from rdflib import RDF, RDFS, Literal, URIRef
from rdflib.namespace import SKOS
from rdflib.term import Node

from ..namespaces import in_words
from .render import Cell, local_href, term_cell

#: A row of a query's answer, read by column name.
Record = Mapping[str, Node | None]
#: A statement on the page: the property, the other end, and ``out``, ``in`` or ``self`` (the entity is
#: itself a statement, and the key names its own sources).
_Key = tuple[str, Node | None, str]

#: Properties whose own vocabulary's name reads badly split into words.
_PROPERTY_WORDS = {
    str(RDF.type): "type",
    str(SKOS.prefLabel): "preferred label",
    str(SKOS.altLabel): "alternative label",
}


def property_label(iri: str, labels: Mapping[str, str]) -> str:
    """A property's English label: the served graph's ``rdfs:label``, else its local name in words
    (``owl:sameAs`` reads "same as", ``time:inXSDDate`` "in XSD date").

    >>> property_label("http://www.w3.org/2002/07/owl#sameAs", {})
    'same as'
    """
    if iri in labels:
        return labels[iri]
    if iri in _PROPERTY_WORDS:
        return _PROPERTY_WORDS[iri]
    return in_words(iri.rstrip("/").rsplit("#", 1)[-1].rsplit("/", 1)[-1])


@dataclass(frozen=True)
class Support:
    """A source stating a statement, and the number of its quote on the page where we hold its words."""

    source: Cell
    quote: int | None


@dataclass(frozen=True)
class Statement:
    """One statement about the entity: the other end (its value, or the entity linking to it), the
    property, and the sources that support it."""

    property: Cell
    other: Cell
    supports: tuple[Support, ...]


@dataclass(frozen=True)
class Words:
    """A quote from a source, shown once, with what it supports."""

    number: int
    source: Cell
    text: str
    start: int | None
    end: int | None
    supports: tuple[str, ...]


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
    values: tuple[tuple[Cell, ...], ...]
    differs: bool


#: Aspects whose values differ by nature: our names for each source's own statements, and the identifier
#: each reference service gives the entity (``same as``), which add up rather than disagree.
_OWN_STATEMENTS = {"finding", "trend", "quotation", "type", "same as"}
_STANDING_ORDER = {"primary": 0, "secondary": 1, "reference": 2}


def sources_side_by_side(rows: Sequence[Record]) -> tuple[list[SourceColumn], list[SourcesRow]]:
    """The rows of the canned query ``what-sources-say`` as a table: one column per source (primary first),
    one row per aspect, a row marked where sources that both give the aspect give different values.
    Values read as labels; an entity without a label (a Wikidata link) as its readable IRI."""
    standing = {str(row["source"]): str(row["standing"]) for row in rows}
    columns = [
        SourceColumn(iri, _local(iri), kind)
        for iri, kind in sorted(standing.items(), key=lambda item: (_STANDING_ORDER.get(item[1], 3), item[0]))
    ]
    said: dict[str, dict[str, list[Node]]] = {}
    for row in rows:
        aspect = str(row["aspect"])
        values = said.setdefault(aspect if " " in aspect else in_words(aspect), {})
        given = values.setdefault(str(row["source"]), [])
        if row["value"] is not None and row["value"] not in given:
            given.append(row["value"])
    table = []
    for aspect in sorted(said, key=lambda a: (a in _OWN_STATEMENTS, a)):
        by_source = said[aspect]
        versions = {tuple(sorted(str(value) for value in values)) for values in by_source.values()}
        differs = aspect not in _OWN_STATEMENTS and len(versions) > 1
        cells = tuple(
            tuple(term_cell(value, readable=True) for value in by_source.get(column.iri, ()))
            for column in columns
        )
        table.append(SourcesRow(aspect, cells, differs))
    return columns, table


def entity_page(
    iri: str,
    links: Sequence[Record],
    claims: Sequence[Record],
    property_labels: Mapping[str, str],
    statements: Sequence[Record] = (),
) -> dict[str, Any]:
    """What the entity page shows: label, types, statements out and in with their sources, the entity's
    own sources where it is itself a statement, what each source says side by side, and the quotes.

    ``links``, ``claims`` and ``statements`` are the rows of the three queries named in the module's
    docstring, for ``iri``; ``property_labels`` name the properties as the served graph does.
    """
    this = URIRef(iri)
    names: dict[Node, str] = {this: ""}
    for row in links:
        if row["valueLabel"] is not None and row["value"] is not None:
            names.setdefault(row["value"], str(row["valueLabel"]))
    labels = [
        str(row["value"])
        for row in links
        if row["direction"] == Literal("out")
        and row["property"] in (SKOS.prefLabel, RDFS.label)
        and isinstance(row["value"], Literal)
    ]
    label = labels[0] if labels else _local(iri)
    names[this] = label
    quotes = _Quotes()
    supports: dict[_Key, list[Support]] = {}
    for row in claims:
        subject, prop, value = row["subject"], row["property"], row["value"]
        key: _Key
        if prop is None:
            key = ("", None, "self")
        elif subject == this:
            key = (str(prop), value, "out")
        else:
            key = (str(prop), subject, "in")
        what = _what(prop, value, subject, this, names, property_labels)
        number = quotes.number(row, what)
        source = _source_cell(row)
        listed = supports.setdefault(key, [])
        if Support(source, number) not in listed:
            listed.append(Support(source, number))
    types: list[Cell] = []
    out: list[Statement] = []
    incoming: list[Statement] = []
    seen: set[_Key] = set()
    for row in links:
        prop, value = row["property"], row["value"]
        direction = str(row["direction"])
        key = (str(prop), value, direction)
        if key in seen:
            continue
        seen.add(key)
        other = _named_cell(value, names)
        if direction == "out" and prop == RDF.type:
            types.append(other)
            continue
        statement = Statement(_property_cell(str(prop), property_labels), other, tuple(supports.get(key, ())))
        (out if direction == "out" else incoming).append(statement)
    columns, said = sources_side_by_side(statements)
    return {
        "iri": iri,
        "label": label,
        "types": types,
        "type_supports": _type_supports(supports),
        "out": out,
        "incoming": incoming,
        "own_supports": supports.get(("", None, "self"), []),
        "words": quotes.words,
        "sources": columns,
        "said": said,
    }


def _type_supports(supports: Mapping[_Key, list[Support]]) -> list[Support]:
    """The sources that state the entity's types, each once."""
    found: list[Support] = []
    for (prop, _value, direction), listed in supports.items():
        if direction == "out" and prop == str(RDF.type):
            found += [support for support in listed if support not in found]
    return found


class _Quotes:
    """The quotes of a page, numbered in the order met, each once with everything it supports."""

    def __init__(self) -> None:
        self.words: list[Words] = []
        self._numbers: dict[tuple[str, str, Any, Any], int] = {}

    def number(self, row: Record, what: str) -> int | None:
        if row["quote"] is None:
            return None
        start = int(row["start"]) if row["start"] is not None else None  # type: ignore[call-overload]
        end = int(row["end"]) if row["end"] is not None else None  # type: ignore[call-overload]
        key = (str(row["source"]), str(row["quote"]), start, end)
        if key not in self._numbers:
            self._numbers[key] = len(self.words) + 1
            self.words.append(
                Words(len(self.words) + 1, _source_cell(row), str(row["quote"]), start, end, ())
            )
        index = self._numbers[key] - 1
        quote = self.words[index]
        if what not in quote.supports:
            self.words[index] = Words(
                quote.number, quote.source, quote.text, quote.start, quote.end, (*quote.supports, what)
            )
        return quote.number


def _what(
    prop: Node | None,
    value: Node | None,
    subject: Node | None,
    this: URIRef,
    names: Mapping[Node, str],
    property_labels: Mapping[str, str],
) -> str:
    """What a claim says, in words, for the list under a quote."""
    if prop is None:
        return "this statement"
    said = property_label(str(prop), property_labels)
    if subject == this:
        return f"{said}: {_named_cell(value, names).text}"
    return f"{_named_cell(subject, names).text} {said} {names[this]}"


def _named_cell(term: Node | None, names: Mapping[Node, str]) -> Cell:
    """A term's cell, an entity named by its label where the page knows one."""
    cell = term_cell(term, readable=True)
    if term is not None and names.get(term):
        return Cell(names[term], cell.kind, cell.href, cell.title, cell.lang)
    return cell


def _property_cell(iri: str, labels: Mapping[str, str]) -> Cell:
    return Cell(property_label(iri, labels), "iri", local_href(iri), iri)


def _source_cell(row: Record) -> Cell:
    iri = str(row["source"])
    label = row.get("sourceLabel")
    return Cell(_local(iri), "iri", local_href(iri), str(label) if label is not None else iri)


def _local(iri: str) -> str:
    return iri.rstrip("/").rsplit("#", 1)[-1].rsplit("/", 1)[-1]

"""Query results, the same whichever store answered: columns in query order, rows of rdflib terms.

Every store converts its answers to rdflib terms and passes them through :func:`normalise_term`, so that
equal answers compare equal. What the engines were found to differ on, and what the API does about it:

- Oxigraph stores the types derived from xsd:integer (xsd:nonNegativeInteger, as in ``oa:start``) as
  xsd:integer; rdflib keeps them. Results give every integer type as xsd:integer, with the same value.
- ``"x"^^xsd:string`` is the plain literal ``"x"`` (the same literal in RDF 1.1); language tags are
  lower-cased, and numbers, dates and booleans take their canonical lexical form (``"01"`` is ``"1"``).
- Row order is the query's ``ORDER BY``; every catalogue query orders its rows completely, because
  engines break ties differently.

>>> from rdflib import Literal, URIRef
>>> result = QueryResult(("city", "count"), ((URIRef("https://example.org/lyon"), Literal(2)),))
>>> result.to_dicts()
[{'city': 'https://example.org/lyon', 'count': 2}]
>>> result.to_csv().splitlines()
['city,count', 'https://example.org/lyon,2']
"""

from __future__ import annotations

import csv
import io
import json
import shutil
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from rdflib import XSD, BNode, Literal, URIRef
from rdflib.term import Node

from .errors import MissingDependencyError
from .namespaces import prefixed_name

if TYPE_CHECKING:
    import pandas

Row = tuple[Node | None, ...]
#: A row as SPARQL 1.1 Query Results JSON gives it: each bound column's term as a dict of strings.
JsonBinding = dict[str, dict[str, str]]

_INTEGER_TYPES = frozenset(
    XSD[name]
    for name in (
        "nonNegativeInteger",
        "positiveInteger",
        "nonPositiveInteger",
        "negativeInteger",
        "long",
        "int",
        "short",
        "byte",
        "unsignedLong",
        "unsignedInt",
        "unsignedShort",
        "unsignedByte",
    )
)


def normalise_term(term: Node | None) -> Node | None:
    """The canonical form of a result term, so that equal answers from different engines compare equal."""
    if isinstance(term, Literal):
        if term.language:
            return Literal(str(term), lang=term.language.lower())
        if term.datatype in (None, XSD.string):
            return Literal(str(term))
        if term.datatype in _INTEGER_TYPES:
            return Literal(str(term), datatype=XSD.integer, normalize=True)
        return Literal(str(term), datatype=term.datatype, normalize=True)
    return term


def python_value(term: Node | None) -> object:
    """The Python value of a term: int, Decimal, date, bool or str for literals; the IRI as a str."""
    if term is None:
        return None
    if isinstance(term, Literal):
        value = term.toPython()
        return str(term) if isinstance(value, Literal) else value
    if isinstance(term, BNode):
        return f"_:{term}"
    return str(term)


@dataclass(frozen=True)
class QueryResult:
    """The answer to a SELECT query (or an ASK, as one ``ask`` column; or a CONSTRUCT, as triples)."""

    columns: tuple[str, ...]
    rows: tuple[Row, ...]
    #: Whether the store had more rows than the ``max_rows`` asked for (only the first are here).
    truncated: bool = False

    def __len__(self) -> int:
        return len(self.rows)

    def __iter__(self) -> Iterator[Row]:
        return iter(self.rows)

    def records(self) -> list[dict[str, Node | None]]:
        """One dict per row, column name to RDF term (``None`` where a variable is unbound): rows read by
        column name, whatever order the columns come in."""
        return [dict(zip(self.columns, row, strict=True)) for row in self.rows]

    def to_dicts(self) -> list[dict[str, object]]:
        """One dict per row, column name to Python value (``None`` where a variable is unbound)."""
        return [{c: python_value(t) for c, t in zip(self.columns, row, strict=True)} for row in self.rows]

    def bindings(self) -> list[JsonBinding]:
        """The rows as SPARQL 1.1 Query Results JSON's ``bindings``: per row, each bound column's term as
        ``{"type": ..., "value": ...}`` with its ``xml:lang`` or ``datatype``."""
        return [
            {c: _json_term(t) for c, t in zip(self.columns, row, strict=True) if t is not None}
            for row in self.rows
        ]

    def to_csv(self) -> str:
        """SPARQL 1.1 Query Results CSV: values without types or language tags, CRLF line ends."""
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(self.columns)
        for row in self.rows:
            writer.writerow(
                ["" if t is None else (f"_:{t}" if isinstance(t, BNode) else str(t)) for t in row]
            )
        return out.getvalue()

    def to_tsv(self) -> str:
        """SPARQL 1.1 Query Results TSV: every term in its Turtle form, so types and languages survive."""
        lines = ["\t".join(f"?{c}" for c in self.columns)]
        lines += ["\t".join("" if t is None else _tsv_term(t) for t in row) for row in self.rows]
        return "\n".join(lines) + "\n"

    def to_json(self, *, indent: int | None = 2) -> str:
        """SPARQL 1.1 Query Results JSON (``application/sparql-results+json``), indented for people, or
        compact with ``indent=None`` (Python's fast C encoder only writes compact JSON)."""
        document = {"head": {"vars": list(self.columns)}, "results": {"bindings": self.bindings()}}
        return json.dumps(document, indent=indent, ensure_ascii=False) + "\n"

    def to_xml(self) -> str:
        """SPARQL Query Results XML (``application/sparql-results+xml``)."""
        from xml.sax.saxutils import quoteattr  # imports urllib.request: 10 ms no other format needs

        lines = ['<?xml version="1.0" encoding="utf-8"?>', f'<sparql xmlns="{_RESULTS_XML}">', "  <head>"]
        lines += [f"    <variable name={quoteattr(c)}/>" for c in self.columns]
        lines += ["  </head>", "  <results>"]
        for row in self.rows:
            lines.append("    <result>")
            for column, term in zip(self.columns, row, strict=True):
                if term is not None:
                    lines.append(f"      <binding name={quoteattr(column)}>{_xml_term(term)}</binding>")
            lines.append("    </result>")
        lines += ["  </results>", "</sparql>"]
        return "\n".join(lines) + "\n"

    def to_dataframe(self) -> pandas.DataFrame:
        """A pandas DataFrame with one column per variable and Python values (needs the pandas extra)."""
        try:
            import pandas
        except ImportError:
            raise MissingDependencyError("pandas", "pandas", "Converting results to a DataFrame") from None
        return pandas.DataFrame(self.to_dicts(), columns=list(self.columns))

    def to_table(self, width: int | None = None) -> str:
        """A plain-text table that fits ``width`` columns (default: the terminal's), long values shortened."""
        width = width or shutil.get_terminal_size((120, 24)).columns
        cells = [list(self.columns)] + [["" if t is None else _short(t) for t in row] for row in self.rows]
        widths = [max(len(r[i]) for r in cells) for i in range(len(self.columns))]
        _fit(widths, width - 2 * (len(widths) - 1))
        lines = []
        for number, row in enumerate(cells):
            lines.append(
                "  ".join(_cut(text, w).ljust(w) for text, w in zip(row, widths, strict=True)).rstrip()
            )
            if number == 0:
                lines.append("  ".join("-" * w for w in widths))
        lines.append(f"({len(self.rows)} row{'s' if len(self.rows) != 1 else ''})")
        return "\n".join(lines)

    def format(self, fmt: str) -> str:
        """The result as ``table``, ``csv``, ``tsv`` or ``json``."""
        writers = {"table": self.to_table, "csv": self.to_csv, "tsv": self.to_tsv, "json": self.to_json}
        return writers[fmt]()


#: The output formats :meth:`QueryResult.format` knows.
FORMATS = ("table", "csv", "tsv", "json")


def _tsv_term(term: Node) -> str:
    text = term.n3()
    return text.replace("\t", "\\t").replace("\n", "\\n") if isinstance(term, Literal) else text


_RESULTS_XML = "http://www.w3.org/2005/sparql-results#"


def _xml_term(term: Node) -> str:
    from xml.sax.saxutils import escape, quoteattr

    if isinstance(term, URIRef):
        return f"<uri>{escape(str(term))}</uri>"
    if isinstance(term, BNode):
        return f"<bnode>{escape(str(term))}</bnode>"
    assert isinstance(term, Literal)
    if term.language:
        return f"<literal xml:lang={quoteattr(term.language)}>{escape(str(term))}</literal>"
    if term.datatype:
        return f"<literal datatype={quoteattr(str(term.datatype))}>{escape(str(term))}</literal>"
    return f"<literal>{escape(str(term))}</literal>"


def _json_term(term: Node) -> dict[str, str]:
    if isinstance(term, URIRef):
        return {"type": "uri", "value": str(term)}
    if isinstance(term, BNode):
        return {"type": "bnode", "value": str(term)}
    assert isinstance(term, Literal)
    entry = {"type": "literal", "value": str(term)}
    if term.language:
        entry["xml:lang"] = term.language
    elif term.datatype:
        entry["datatype"] = str(term.datatype)
    return entry


def _short(term: Node) -> str:
    """How a term reads in a table: an IRI as a prefixed name where one of our prefixes fits, a literal by
    its text, on one line."""
    if isinstance(term, URIRef):
        return prefixed_name(str(term))
    return " ".join(str(term).split()) if isinstance(term, Literal) else str(term)


def _fit(widths: list[int], room: int) -> None:
    """Narrow the widest columns, one character at a time, until they fit ``room`` (never below 8)."""
    while sum(widths) > room:
        widest = max(range(len(widths)), key=lambda i: widths[i])
        if widths[widest] <= 8:
            return
        widths[widest] -= 1


def _cut(text: str, width: int) -> str:
    """``text`` in ``width`` characters: an IRI loses its middle (its end tells IRIs apart), other text its
    end."""
    if len(text) <= width:
        return text
    if "://" in text:
        head = (width - 1) // 2
        return text[:head] + "…" + text[len(text) - (width - 1 - head) :]
    return text[: width - 1] + "…"


def rows_from_bindings(columns: Sequence[str], bindings: Sequence[dict[str, Node]]) -> tuple[Row, ...]:
    """Rows in column order from a list of variable-to-term mappings, terms normalised."""
    return tuple(tuple(normalise_term(b.get(c)) for c in columns) for b in bindings)


def result_from_any(
    columns: Sequence[str], rows: Sequence[Sequence[Any]], *, truncated: bool = False
) -> QueryResult:
    """A :class:`QueryResult` from rows of rdflib terms, normalising every term (each distinct literal
    once: building an rdflib literal costs more than looking one up, and results repeat their values)."""
    canonical: dict[Literal, Node | None] = {}

    def normalised(term: Node | None) -> Node | None:
        if not isinstance(term, Literal):
            return term
        known = canonical.get(term)
        if known is None:
            known = canonical[term] = normalise_term(term)
        return known

    return QueryResult(tuple(columns), tuple(tuple(normalised(t) for t in row) for row in rows), truncated)

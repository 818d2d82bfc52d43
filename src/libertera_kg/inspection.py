"""What a SPARQL query asks for before it runs: its form, the graphs it names and the services it calls.

Stores and the server use it to refuse what they must not do (updates, SERVICE calls to addresses not
allowed, graphs fetched from the web) with a clear message, before any engine sees the query. Parsing
is rdflib's, cached by query text.

>>> shape = inspect_query(
...     "SELECT * FROM <https://example.org/g> WHERE { SERVICE <https://example.org/s> { ?s ?p ?o } }"
... )
>>> shape.form, shape.dataset.default_graphs, shape.services
('SELECT', ('https://example.org/g',), ('https://example.org/s',))
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from rdflib import Variable
from rdflib.plugins.sparql.algebra import translateQuery, traverse
from rdflib.plugins.sparql.parser import parseQuery, parseUpdate
from rdflib.plugins.sparql.parserutils import CompValue
from rdflib.plugins.sparql.sparql import Query

from .errors import QueryError, ReadOnlyError

#: The query forms, by the name of rdflib's algebra node.
_FORMS = {
    "SelectQuery": "SELECT",
    "AskQuery": "ASK",
    "ConstructQuery": "CONSTRUCT",
    "DescribeQuery": "DESCRIBE",
}


@dataclass(frozen=True)
class QueryDataset:
    """The RDF dataset a query runs on: the graphs merged into its default graph, and its named graphs.

    Named by ``FROM`` and ``FROM NAMED`` in the query, or by ``default-graph-uri`` and ``named-graph-uri``
    in a SPARQL protocol request (which win). A query that names none sees the union of all graphs.
    """

    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()


@dataclass(frozen=True)
class QueryShape:
    """The form of a query (``SELECT``, ``ASK``, ``CONSTRUCT``, ``DESCRIBE``) and what it reaches for."""

    form: str
    #: The graphs its ``FROM`` and ``FROM NAMED`` clauses name, or ``None`` when it has neither.
    dataset: QueryDataset | None
    #: The ``SERVICE`` IRIs it calls; a variable service is written ``?name``.
    services: tuple[str, ...]

    @property
    def returns_graph(self) -> bool:
        """Whether the answer is triples (CONSTRUCT, DESCRIBE) rather than rows or a boolean."""
        return self.form in ("CONSTRUCT", "DESCRIBE")


@lru_cache(maxsize=512)
def inspect_query(text: str) -> QueryShape:
    """The shape of ``text``; raises :class:`ReadOnlyError` for an update, :class:`QueryError` if invalid
    (cached: a server sees the same texts again and again)."""
    query = parse_query(text)
    services: list[str] = []

    def visit(node: object) -> None:
        if isinstance(node, CompValue) and node.name == "ServiceGraphPattern":
            term = node.term
            services.append(f"?{term}" if isinstance(term, Variable) else str(term))

    traverse(query.algebra, visitPre=visit)
    clauses = query.algebra.datasetClause or []
    dataset = QueryDataset(
        default_graphs=tuple(str(c.default) for c in clauses if c.default is not None),
        named_graphs=tuple(str(c.named) for c in clauses if c.named is not None),
    )
    return QueryShape(
        form=_FORMS[query.algebra.name],
        dataset=dataset if clauses else None,
        services=tuple(dict.fromkeys(services)),
    )


@lru_cache(maxsize=512)
def parse_query(text: str) -> Query:
    """``text`` parsed and translated to rdflib's algebra (cached: the same text parses once)."""
    try:
        return translateQuery(parseQuery(text))
    except Exception as exc:  # pyparsing, rdflib and recursion errors all mean "not a query we can read"
        refuse_update(text)
        raise QueryError(f"The query is not valid SPARQL 1.1: {_parser_message(exc)}") from exc


def refuse_update(text: str) -> None:
    """Raise :class:`ReadOnlyError` if ``text`` is a SPARQL update (for an engine that only says it is
    not a query)."""
    try:
        parseUpdate(text)
    except Exception:  # not an update either
        return
    raise ReadOnlyError(
        "This is a SPARQL update (INSERT, DELETE, LOAD, CLEAR, CREATE, DROP, COPY, MOVE or ADD); "
        "the data here is read-only and only queries are accepted."
    )


def _parser_message(exc: BaseException) -> str:
    if isinstance(exc, RecursionError):
        return "it nests too deeply to be read"
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text[:500]

"""One query interface over three kinds of store: rdflib in memory, pyoxigraph, or a SPARQL endpoint.

>>> kg = connect()                      # rdflib, in memory (the default)
>>> kg.query("cases-by-country", country="BR").to_dicts()[0]["caseLabel"]
'Dismantling in Brazil of a trafficking network linking Pakistan, Afghanistan, Mexico and the United States'

Queries see the union of all named graphs as their default graph, on every store; a remote endpoint must
do the same (``oxigraph serve --union-default-graph``, or load ``libertera.nt`` into its default graph).

Parameters are bound the same way on every store: a ``VALUES`` block at the start of the query's outermost
group, holding terms that :meth:`~libertera_kg.catalogue.CannedQuery.bind` checked and rdflib serialised.
pyoxigraph's own ``substitutions`` only accept variables the query projects, and the SPARQL protocol has no
bindings at all, so one mechanism with one meaning serves all three.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rdflib import BNode, Dataset, Literal, URIRef
from rdflib.term import Node

from .catalogue import get_query
from .errors import MissingDependencyError, QueryError
from .results import QueryResult, result_from_any

if TYPE_CHECKING:
    import pyoxigraph

    from .graph import KnowledgeGraph

#: The kinds of local store :func:`connect` can build.
STORE_KINDS = ("memory", "oxigraph")


class Store(ABC):
    """A SPARQL store holding the knowledge graph: run canned queries by name, or any query."""

    #: ``memory``, ``oxigraph`` or ``endpoint``.
    kind: str
    #: A remote endpoint is only queried; the data lives there.
    read_only: bool = False

    def query(self, name: str, **params: object) -> QueryResult:
        """Run the canned query ``name`` with its parameters (checked, then bound; never pasted as text)."""
        canned = get_query(name)
        return self._run(with_values(canned.text, canned.bind(params)), label=f"query '{name}'")

    def sparql(self, text: str) -> QueryResult:
        """Run any SPARQL 1.1 query: SELECT rows, ASK as one ``ask`` column, CONSTRUCT/DESCRIBE as triples."""
        return self._run(text, label="the SPARQL query")

    @abstractmethod
    def _run(self, text: str, *, label: str) -> QueryResult: ...


class MemoryStore(Store):
    """The rdflib dataset the library builds, queried in place with rdflib's SPARQL engine."""

    kind = "memory"

    def __init__(self, dataset: Dataset):
        # A view on the same triples whose default graph is the union of the named graphs, as on oxigraph.
        self.dataset = Dataset(store=dataset.store, default_union=True)

    def _run(self, text: str, *, label: str) -> QueryResult:
        try:
            result = self.dataset.query(text)
        except Exception as exc:  # rdflib raises pyparsing and assorted errors for bad queries
            raise QueryError(f"{label} cannot run on rdflib: {_first_line(exc)}") from exc
        if result.type == "ASK":
            return result_from_any(("ask",), [(Literal(bool(result.askAnswer)),)])
        if result.type in ("CONSTRUCT", "DESCRIBE"):
            assert result.graph is not None
            return result_from_any(("subject", "predicate", "object"), sorted(result.graph))
        columns = [str(v) for v in result.vars or ()]
        return result_from_any(columns, [tuple(row) for row in result])  # type: ignore[arg-type]


class OxigraphStore(Store):
    """A pyoxigraph store, in memory or on disk; the fast embedded choice for large graphs."""

    kind = "oxigraph"

    def __init__(self, store: pyoxigraph.Store):
        self.store = store

    def _run(self, text: str, *, label: str) -> QueryResult:
        import pyoxigraph as ox

        try:
            result = self.store.query(text, use_default_graph_as_union=True)
        except (SyntaxError, ValueError, OSError, RuntimeError) as exc:
            raise QueryError(f"{label} cannot run on pyoxigraph: {_first_line(exc)}") from exc
        if isinstance(result, ox.QueryBoolean):
            return result_from_any(("ask",), [(Literal(bool(result)),)])
        convert = _OxigraphTerms()
        if isinstance(result, ox.QueryTriples):
            triples = sorted(tuple(convert(t) for t in (q.subject, q.predicate, q.object)) for q in result)
            return result_from_any(("subject", "predicate", "object"), triples)
        columns = [v.value for v in result.variables]
        rows = [tuple(convert(solution[c]) for c in columns) for solution in result]
        return result_from_any(columns, rows)


class EndpointStore(Store):
    """A remote SPARQL 1.1 endpoint, queried over HTTP with SPARQLWrapper; read-only."""

    kind = "endpoint"
    read_only = True

    def __init__(self, url: str, *, timeout: float = 60):
        self.url = url
        self.timeout = timeout

    def _run(self, text: str, *, label: str) -> QueryResult:
        from SPARQLWrapper import JSON, N3, POST, SPARQLWrapper

        client = SPARQLWrapper(self.url)
        client.setMethod(POST)
        client.setTimeout(int(self.timeout))
        client.setQuery(text)
        try:
            is_graph = client.queryType in ("CONSTRUCT", "DESCRIBE")
            client.setReturnFormat(N3 if is_graph else JSON)
            answer: Any = client.queryAndConvert()
        except Exception as exc:  # SPARQLWrapper passes on urllib's and its own errors
            raise QueryError(f"{label} failed at the endpoint {self.url}: {_first_line(exc)}") from exc
        if is_graph:
            from rdflib import Graph

            graph = answer if isinstance(answer, Graph) else Graph().parse(data=answer, format="turtle")
            return result_from_any(("subject", "predicate", "object"), sorted(graph))
        if "boolean" in answer:
            return result_from_any(("ask",), [(Literal(bool(answer["boolean"])),)])
        columns = list(answer["head"]["vars"])
        rows = [
            tuple(_from_json(binding[c]) if c in binding else None for c in columns)
            for binding in answer["results"]["bindings"]
        ]
        return result_from_any(columns, rows)


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip() or type(exc).__name__
    return " ".join(text.split())[:500]


class _OxigraphTerms:
    """Turns pyoxigraph terms into rdflib terms, making each distinct IRI once.

    IRIs repeat through a result (every edge names its predicate), and rdflib checks each new URIRef's
    text; a memo per result makes large results several times faster to convert.
    """

    def __init__(self) -> None:
        self._iris: dict[str, URIRef] = {}

    def __call__(self, term: Any) -> Node | None:
        import pyoxigraph as ox

        if term is None:
            return None
        if isinstance(term, ox.NamedNode):
            return self._iri(term.value)
        if isinstance(term, ox.BlankNode):
            return BNode(term.value)
        if isinstance(term, ox.Literal):
            if term.language:
                return Literal(term.value, lang=term.language)
            return Literal(term.value, datatype=self._iri(term.datatype.value))
        raise QueryError(f"pyoxigraph returned a term libertera_kg cannot represent: {term!r}")

    def _iri(self, value: str) -> URIRef:
        known = self._iris.get(value)
        if known is None:
            known = self._iris[value] = URIRef(value)
        return known


def _from_json(term: Mapping[str, str]) -> Node:
    kind = term["type"]
    if kind == "uri":
        return URIRef(term["value"])
    if kind == "bnode":
        return BNode(term["value"])
    if "xml:lang" in term:
        return Literal(term["value"], lang=term["xml:lang"])
    datatype = term.get("datatype")
    return Literal(term["value"], datatype=URIRef(datatype) if datatype else None)


def with_values(text: str, bindings: Mapping[str, Node]) -> str:
    """``text`` with a ``VALUES`` block binding ``bindings`` opening its first group (the WHERE clause).

    Terms are written by rdflib (``Node.n3()``), which escapes literals; IRIs were checked beforehand.

    >>> print(with_values('SELECT * WHERE { ?s ?p ?_o_iri }', {"_o_iri": URIRef("https://example.org/a")}))
    SELECT * WHERE { VALUES (?_o_iri) { (<https://example.org/a>) } ?s ?p ?_o_iri }
    """
    if not bindings:
        return text
    return with_value_rows(text, tuple(bindings), [tuple(bindings.values())])


def with_value_rows(text: str, variables: Sequence[str], rows: Iterable[Sequence[Node]]) -> str:
    """``text`` with a ``VALUES`` block of several ``rows`` for ``variables`` opening its first group."""
    brace = _first_group(text)
    names = " ".join(f"?{name}" for name in variables)
    data = " ".join(f"({' '.join(term.n3() for term in row)})" for row in rows)
    return f"{text[: brace + 1]} VALUES ({names}) {{ {data} }}{text[brace + 1 :]}"


def _first_group(text: str) -> int:
    """The offset of the first ``{`` that is not inside a comment, string or IRI."""
    i, n = 0, len(text)
    while i < n:
        char = text[i]
        if char == "#":
            i = text.find("\n", i)
            if i < 0:
                break
        elif char in "\"'":
            quote = char * 3 if text.startswith(char * 3, i) else char
            i += len(quote)
            while i < n and not text.startswith(quote, i):
                i += 2 if text[i] == "\\" else 1
            i += len(quote) - 1
        elif char == "<":
            end = i + 1
            while end < n and text[end] not in '<>"{}|^`\\ \t\r\n':
                end += 1
            if end < n and text[end] == ">":
                i = end
        elif char == "{":
            return i
        i += 1
    raise QueryError("the query has no { … } group to bind its parameters in")


def connect(
    store: str = "memory",
    *,
    path: str | Path | None = None,
    endpoint: str | None = None,
    graph: KnowledgeGraph | None = None,
) -> Store:
    """Open a store holding the knowledge graph.

    ``store="memory"``: rdflib, in memory (the default). ``store="oxigraph"``: pyoxigraph, in memory, or on
    disk at ``path`` (loaded with our graph when the folder holds no data yet, reused as it is otherwise).
    ``endpoint=URL``: a remote SPARQL endpoint that already holds the data. ``graph`` is the loaded graph to
    put in a local store (default: the shipped one).
    """
    if endpoint is not None:
        return EndpointStore(endpoint)
    if store not in STORE_KINDS:
        raise QueryError(
            f"unknown store '{store}'; choose one of: {', '.join(STORE_KINDS)}, or give an endpoint"
        )
    if path is not None and store != "oxigraph":
        raise QueryError("only the oxigraph store can live on disk; use store='oxigraph' with a path")
    if graph is None:
        from .graph import load

        graph = load()
    if store == "memory":
        return MemoryStore(graph.dataset)
    try:
        import pyoxigraph as ox
    except ImportError:
        raise MissingDependencyError("pyoxigraph", "oxigraph", "The oxigraph store") from None
    try:
        oxi = ox.Store(str(path)) if path is not None else ox.Store()
        if len(oxi) == 0:
            oxi.bulk_load(
                graph.dataset.serialize(format="nquads").encode("utf-8"), format=ox.RdfFormat.N_QUADS
            )
            oxi.flush()
    except OSError as exc:
        raise QueryError(f"cannot open the oxigraph store at {path}: {_first_line(exc)}") from exc
    return OxigraphStore(oxi)


def canned_query_results(store: Store) -> dict[str, str]:
    """Every canned query's answer with its default parameters, as SPARQL CSV, by query name."""
    from .catalogue import list_queries

    return {canned.name: store.query(canned.name).to_csv() for canned in list_queries()}


__all__ = [
    "STORE_KINDS",
    "EndpointStore",
    "MemoryStore",
    "OxigraphStore",
    "Store",
    "canned_query_results",
    "connect",
    "with_value_rows",
    "with_values",
]

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

import importlib.util
import itertools
import re
from abc import ABC, abstractmethod
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rdflib import BNode, Dataset, Literal, URIRef
from rdflib.plugins.sparql.sparql import Query
from rdflib.term import Node

from .catalogue import get_query
from .errors import MissingDependencyError, QueryError, QueryRefusedError, ReadOnlyError
from .inspection import QueryDataset, inspect_query, parse_query, refuse_update
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

    def sparql(
        self, text: str, *, dataset: QueryDataset | None = None, max_rows: int | None = None
    ) -> QueryResult:
        """Run any SPARQL 1.1 query: SELECT rows, ASK as one ``ask`` column, CONSTRUCT/DESCRIBE as triples.

        ``dataset`` names the graphs to query instead of the query's own ``FROM`` clauses (as the SPARQL
        protocol's ``default-graph-uri`` and ``named-graph-uri`` do). ``max_rows`` keeps the first rows
        (or triples) and marks the result ``truncated`` when there were more.
        """
        return self._run(text, label="the SPARQL query", dataset=dataset, max_rows=max_rows)

    @abstractmethod
    def _run(
        self, text: str, *, label: str, dataset: QueryDataset | None = None, max_rows: int | None = None
    ) -> QueryResult: ...


class MemoryStore(Store):
    """The rdflib dataset the library builds, queried in place with rdflib's SPARQL engine.

    A query that names graphs (``FROM``, or a protocol dataset) may only name graphs the store holds:
    rdflib would fetch any other from the web.
    """

    kind = "memory"

    def __init__(self, dataset: Dataset):
        # A view on the same triples whose default graph is the union of the named graphs, as on oxigraph.
        self.dataset = Dataset(store=dataset.store, default_union=True)

    def _run(
        self, text: str, *, label: str, dataset: QueryDataset | None = None, max_rows: int | None = None
    ) -> QueryResult:
        from rdflib.plugins.sparql.evaluate import evalQuery

        try:
            query = parse_query(text)
        except ReadOnlyError:
            raise
        except QueryError as exc:
            raise QueryError(f"{label} cannot run on rdflib: {exc}") from exc
        chosen = dataset or inspect_query(text).dataset
        if chosen is not None:
            query = self._on_dataset(query, chosen, label)
        try:
            answer = evalQuery(self.dataset, query, {})
            if answer["type_"] == "ASK":
                return result_from_any(("ask",), [(Literal(bool(answer["askAnswer"])),)])
            if answer["type_"] in ("CONSTRUCT", "DESCRIBE"):
                triples, truncated = _capped(sorted(answer["graph"]), max_rows)
                return result_from_any(("subject", "predicate", "object"), triples, truncated=truncated)
            variables = list(answer["vars_"])
            bindings, truncated = _capped(answer["bindings"], max_rows)
            rows = [tuple(b.get(v) for v in variables) for b in bindings]
        except Exception as exc:  # rdflib raises assorted errors while evaluating
            raise QueryError(f"{label} cannot run on rdflib: {_first_line(exc)}") from exc
        return result_from_any([str(v) for v in variables], rows, truncated=truncated)

    def _on_dataset(self, query: Query, chosen: QueryDataset, label: str) -> Query:
        """``query`` made to run on the graphs ``chosen`` names, each of which the store must hold."""
        from rdflib.plugins.sparql.parserutils import CompValue

        for graph in (*chosen.default_graphs, *chosen.named_graphs):
            if not len(self.dataset.graph(URIRef(graph))):
                raise QueryRefusedError(
                    f"{label} names the graph <{graph}>, which this store does not hold; "
                    "graphs are never fetched from the web."
                )
        clauses = [CompValue("DatasetClause", default=URIRef(g)) for g in chosen.default_graphs]
        clauses += [CompValue("DatasetClause", named=URIRef(g)) for g in chosen.named_graphs]
        algebra = CompValue(query.algebra.name, **{**query.algebra, "datasetClause": clauses})
        return Query(query.prologue, algebra)


class OxigraphStore(Store):
    """A pyoxigraph store, in memory or on disk; the fast embedded choice for large graphs.

    Its default graph holds the RDF merge of the named graphs, each triple once, which queries see. Oxigraph
    can instead be asked for the union of the graphs, but that repeats a triple once per graph holding it:
    a country named by 500 reports made a join of its label and type 250,000 rows long.
    """

    kind = "oxigraph"

    def __init__(self, store: pyoxigraph.Store):
        self.store = store
        if _default_graph_is_empty(store):
            merge_into_default_graph(store)

    def _run(
        self, text: str, *, label: str, dataset: QueryDataset | None = None, max_rows: int | None = None
    ) -> QueryResult:
        import pyoxigraph as ox

        dataset = dataset or _dataset_named_in(text)
        options: dict[str, Any] = {}
        if dataset is not None:
            options = {
                "default_graph": [ox.NamedNode(g) for g in dataset.default_graphs],
                "named_graphs": [ox.NamedNode(g) for g in dataset.named_graphs],
            }
        try:
            result = self.store.query(text, **options)
            if isinstance(result, ox.QueryBoolean):
                return result_from_any(("ask",), [(Literal(bool(result)),)])
            convert = OxigraphTerms()
            if isinstance(result, ox.QueryTriples):
                triples, truncated = _capped(
                    sorted(tuple(convert(t) for t in (q.subject, q.predicate, q.object)) for q in result),
                    max_rows,
                )
                return result_from_any(("subject", "predicate", "object"), triples, truncated=truncated)
            columns = [v.value for v in result.variables]
            solutions, truncated = _capped(result, max_rows)
            rows = [tuple(convert(solution[c]) for c in columns) for solution in solutions]
        except (SyntaxError, ValueError, OSError, RuntimeError) as exc:
            if isinstance(exc, SyntaxError):
                refuse_update(text)
            raise QueryError(f"{label} cannot run on pyoxigraph: {_first_line(exc)}") from exc
        return result_from_any(columns, rows, truncated=truncated)


def merge_into_default_graph(store: pyoxigraph.Store) -> None:
    """Put every triple of the store's named graphs into its default graph, once (for a store loaded
    without :func:`add_to_default_graph`)."""
    store.update("INSERT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }")
    store.flush()


def add_to_default_graph(store: pyoxigraph.Store, quads: Iterable[pyoxigraph.Quad]) -> None:
    """Add the triples of ``quads`` (as Oxigraph parses them from a file) to the store's default graph.

    Three times faster than a SPARQL INSERT from the named graphs on a store on disk.
    """
    import pyoxigraph as ox

    store.bulk_extend(ox.Quad(q.subject, q.predicate, q.object) for q in quads)


def _default_graph_is_empty(store: pyoxigraph.Store) -> bool:
    import pyoxigraph as ox

    return next(iter(store.quads_for_pattern(None, None, None, ox.DefaultGraph())), None) is None


def oxigraph_store(nquads: bytes, path: str | Path | None = None) -> OxigraphStore:
    """A pyoxigraph store (in memory, or on disk at ``path`` if it holds no data yet) with ``nquads``."""
    import pyoxigraph as ox

    store = ox.Store(str(path)) if path is not None else ox.Store()
    if len(store) == 0:
        store.bulk_load(nquads, format=ox.RdfFormat.N_QUADS)
        add_to_default_graph(store, ox.parse(nquads, format=ox.RdfFormat.N_QUADS))
        store.flush()
    return OxigraphStore(store)


def open_read_only(path: str | Path) -> OxigraphStore:
    """The oxigraph store on disk at ``path``, opened read-only (several processes may share it), as
    ``libertera-kg load`` left it: with data, and the merged default graph that queries see."""
    import pyoxigraph as ox

    folder = Path(path)
    if not folder.is_dir():
        raise QueryError(
            f"{folder}: no such folder; load a store first with: libertera-kg load FILE --store-path {folder}"
        )
    try:
        store = ox.Store.read_only(str(folder))
    except OSError as exc:
        raise QueryError(f"{folder}: not an oxigraph store that can be opened ({_first_line(exc)})") from None
    if _default_graph_is_empty(store):
        raise QueryError(
            f"{folder}: the store has no merged default graph (it holds {len(store):,} quads); load it with "
            f"libertera-kg load FILE --store-path {folder}, which writes one, or open it once with --store "
            "oxigraph --store-path, which adds it"
        )
    return OxigraphStore(store)


def named_graphs_nquads(store: pyoxigraph.Store) -> bytes:
    """Every quad of the store's named graphs (not the merged default graph) as sorted N-Quads."""
    import pyoxigraph as ox

    default = ox.DefaultGraph()
    quads = (q for q in store.quads_for_pattern(None, None, None) if q.graph_name != default)
    text = ox.serialize(quads, format=ox.RdfFormat.N_QUADS)
    assert text is not None  # serialize returns bytes when given no output
    lines = text.splitlines(keepends=True)
    lines.sort()
    return b"".join(lines)


def _dataset_named_in(text: str) -> QueryDataset | None:
    """The graphs a query's FROM clauses name, or ``None`` (also when rdflib cannot read the query)."""
    if "from" not in text.lower():  # a cheap test first: most queries name no graphs
        return None
    try:
        return inspect_query(text).dataset
    except QueryError:  # the engine itself will report what is wrong with the query
        return None


def _capped(items: Iterable[Any], max_rows: int | None) -> tuple[list[Any], bool]:
    """The first ``max_rows`` items (all when ``None``), and whether there were more."""
    if max_rows is None:
        return list(items), False
    kept = list(itertools.islice(items, max_rows + 1))
    return kept[:max_rows], len(kept) > max_rows


class EndpointStore(Store):
    """A remote SPARQL 1.1 endpoint, queried over HTTP with SPARQLWrapper; read-only."""

    kind = "endpoint"
    read_only = True

    def __init__(self, url: str, *, timeout: float = 60):
        self.url = url
        self.timeout = timeout

    def _run(
        self, text: str, *, label: str, dataset: QueryDataset | None = None, max_rows: int | None = None
    ) -> QueryResult:
        from SPARQLWrapper import JSON, N3, POST, SPARQLWrapper

        client = SPARQLWrapper(self.url)
        client.setMethod(POST)
        client.setTimeout(int(self.timeout))
        client.setQuery(text)
        if client.isSparqlUpdateRequest():  # never sent: this store only reads
            refuse_update(text)
            raise ReadOnlyError("This is a SPARQL update; the remote store is only queried from here.")
        # Sent again as protocol parameters, which mean the same: Oxigraph's server, asked for the union
        # default graph, otherwise ignores a query's FROM.
        dataset = dataset or _dataset_named_in(text)
        for graph in dataset.default_graphs if dataset else ():
            client.addDefaultGraph(graph)
        for graph in dataset.named_graphs if dataset else ():
            client.addNamedGraph(graph)
        try:
            is_graph = client.queryType in ("CONSTRUCT", "DESCRIBE")
            client.setReturnFormat(N3 if is_graph else JSON)
            answer: Any = client.queryAndConvert()
        except Exception as exc:  # SPARQLWrapper passes on urllib's and its own errors
            raise QueryError(f"{label} failed at the endpoint {self.url}: {_first_line(exc)}") from exc
        if is_graph:
            from rdflib import Graph

            received = answer if isinstance(answer, Graph) else Graph().parse(data=answer, format="turtle")
            triples, truncated = _capped(sorted(received), max_rows)
            return result_from_any(("subject", "predicate", "object"), triples, truncated=truncated)
        if "boolean" in answer:
            return result_from_any(("ask",), [(Literal(bool(answer["boolean"])),)])
        columns = list(answer["head"]["vars"])
        bindings, truncated = _capped(answer["results"]["bindings"], max_rows)
        rows = [tuple(_from_json(b[c]) if c in b else None for c in columns) for b in bindings]
        return result_from_any(columns, rows, truncated=truncated)


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip() or type(exc).__name__
    return " ".join(text.split())[:500]


class OxigraphTerms:
    """Turns pyoxigraph terms into rdflib terms, making each distinct IRI and literal once.

    Terms repeat through a result (every edge names its predicate), and rdflib checks each new URIRef's
    text and parses each new literal's value; a memo per result makes large results several times faster
    to convert.
    """

    def __init__(self) -> None:
        self._iris: dict[str, URIRef] = {}
        self._literals: dict[tuple[str, str | None, str], Literal] = {}

    def __call__(self, term: Any) -> Node | None:
        import pyoxigraph as ox

        if term is None:
            return None
        if isinstance(term, ox.NamedNode):
            return self._iri(term.value)
        if isinstance(term, ox.BlankNode):
            return BNode(term.value)
        if isinstance(term, ox.Literal):
            key = (term.value, term.language, term.datatype.value)
            known = self._literals.get(key)
            if known is None:
                if term.language:
                    known = Literal(term.value, lang=term.language)
                else:
                    known = Literal(term.value, datatype=self._iri(term.datatype.value))
                self._literals[key] = known
            return known
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
    """The offset of the ``{`` opening the query pattern: the first not inside a comment, string or IRI,
    after a CONSTRUCT template if there is one."""
    i, n = 0, len(text)
    depth, in_template = 0, False
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
            if in_template:
                depth += 1
            elif _CONSTRUCT_TEMPLATE.search(text, 0, i):
                in_template, depth = True, 1
            else:
                return i
        elif char == "}" and in_template:
            depth -= 1
            in_template = depth > 0
        i += 1
    raise QueryError("the query has no { … } group to bind its parameters in")


#: A CONSTRUCT keyword right before a ``{``: that group is the template, not the pattern.
_CONSTRUCT_TEMPLATE = re.compile(r"\bCONSTRUCT\s*\Z", re.IGNORECASE)


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
    if importlib.util.find_spec("pyoxigraph") is None:
        raise MissingDependencyError("pyoxigraph", "oxigraph", "The oxigraph store")
    try:
        return oxigraph_store(graph.dataset.serialize(format="nquads", encoding="utf-8"), path)
    except OSError as exc:
        raise QueryError(f"cannot open the oxigraph store at {path}: {_first_line(exc)}") from exc


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

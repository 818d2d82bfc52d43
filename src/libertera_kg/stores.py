"""One query interface over three kinds of store: rdflib in memory, pyoxigraph, or a SPARQL endpoint.

>>> kg = connect()                      # rdflib, in memory (the default)
>>> kg.query("cases-by-country", country="BR").to_dicts()[0]["caseLabel"]
'Dismantling in Brazil of a trafficking network linking Pakistan, Afghanistan, Mexico and the United States'

Queries see the union of all named graphs as their default graph, on every store; a remote endpoint must
do the same (``oxigraph serve --union-default-graph``, or load ``libertera.nt`` into its default graph),
or be given the merged graph and our named graphs as its dataset (``connect(endpoint=...,
default_graphs=..., named_graphs=...)``: Virtuoso).

Parameters are bound the same way on every store: a ``VALUES`` block at the start of the query's outermost
group, holding terms that :meth:`~libertera_kg.catalogue.CannedQuery.bind` checked and rdflib serialised.
pyoxigraph's own ``substitutions`` only accept variables the query projects, and the SPARQL protocol has no
bindings at all, so one mechanism with one meaning serves all three.
"""

from __future__ import annotations

import importlib.util
import itertools
from abc import ABC, abstractmethod
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rdflib import Dataset, Graph, Literal, URIRef

from .catalogue import get_query, with_value_rows, with_values
from .errors import (
    MissingDependencyError,
    QueryError,
    QuerySyntaxError,
    UnknownGraphError,
    UnknownNameError,
    UsageError,
)
from .inspection import QueryDataset, on_dataset, parse_query
from .query_text import QueryText
from .resources import shipped_query
from .results import JsonBinding, QueryResult, result_from_any
from .untrusted import refuse_misread_services, screen_query

if TYPE_CHECKING:
    from .graph import KnowledgeGraph

#: The kinds of local store :func:`connect` can build.
STORE_KINDS = ("memory", "oxigraph")


@dataclass(frozen=True)
class QueryRun:
    """What a store's engine needs besides the text: the query's name in messages, the graphs it runs on,
    the rows to keep at most, and the IRI its relative IRIs resolve against."""

    label: str
    dataset: QueryDataset | None = None
    max_rows: int | None = None
    base_iri: str | None = None


class Store(ABC):
    """A SPARQL store holding the knowledge graph: run canned queries by name, or any query."""

    #: ``memory``, ``oxigraph`` or ``endpoint``.
    kind: str
    #: A remote endpoint is only queried; the data lives there.
    read_only: bool = False
    #: Whether two threads may run queries at once (each waits on its engine, not on the interpreter).
    concurrent_queries: bool = True
    _property_labels: dict[str, str] | None = None

    def query(self, name: str, **params: object) -> QueryResult:
        """Run the canned query ``name`` with its parameters (checked, then bound; never pasted as text)."""
        canned = get_query(name)
        return self._answer(with_values(canned.text, canned.bind(params)), label=f"query '{name}'")

    def sparql(
        self,
        text: str,
        *,
        dataset: QueryDataset | None = None,
        max_rows: int | None = None,
        allowed_services: tuple[str, ...] = (),
        base_iri: str | None = None,
    ) -> QueryResult:
        """Run any SPARQL 1.1 query: SELECT rows, ASK as one ``ask`` column, CONSTRUCT/DESCRIBE as triples.

        ``dataset`` names the graphs to query instead of the query's own ``FROM`` clauses (as the SPARQL
        protocol's ``default-graph-uri`` and ``named-graph-uri`` do); a graph the store does not hold is
        refused, never fetched. ``max_rows`` keeps the first rows (or triples) and marks the result
        ``truncated`` when there were more. A ``SERVICE`` is refused unless its IRI starts with one of
        ``allowed_services``. Relative IRIs resolve against ``base_iri`` (a server's endpoint address)
        unless the query declares its own ``BASE``; a remote endpoint resolves them against its own.
        """
        return self._answer(
            text,
            label="the SPARQL query",
            dataset=dataset,
            max_rows=max_rows,
            allowed_services=allowed_services,
            base_iri=base_iri,
        )

    def _answer(
        self,
        text: str,
        *,
        label: str,
        dataset: QueryDataset | None = None,
        max_rows: int | None = None,
        allowed_services: tuple[str, ...] = (),
        base_iri: str | None = None,
    ) -> QueryResult:
        """Screen the query (:func:`~libertera_kg.untrusted.screen_query`), check the graphs it names,
        run it, and give a ``SELECT *``'s columns in alphabetical order: the same answer on every store."""
        shape = screen_query(text, allowed_services=allowed_services, base_iri=base_iri)
        result = self._run(text, self._checked_run(shape, label, dataset, max_rows, base_iri))
        if shape is not None and shape.select_star and list(result.columns) != sorted(result.columns):
            order = sorted(range(len(result.columns)), key=lambda i: result.columns[i])
            result = QueryResult(
                tuple(result.columns[i] for i in order),
                tuple(tuple(row[i] for i in order) for row in result.rows),
                result.truncated,
            )
        return result

    def bindings(self, text: str) -> list[JsonBinding]:
        """Run a SELECT query, screened as every query is, and give its rows as SPARQL 1.1 JSON bindings
        (:meth:`QueryResult.bindings`): strings from the engine to the caller, with no rdflib terms in
        between where the engine writes them itself (pyoxigraph, an endpoint). The views of large graphs
        read their rows this way."""
        label = "the SPARQL query"
        shape = screen_query(text)
        return self._bindings(text, self._checked_run(shape, label, None, None, None))

    def _bindings(self, text: str, run: QueryRun) -> list[JsonBinding]:
        return self._run(text, run).bindings()

    def _checked_run(
        self,
        shape: QueryText | None,
        label: str,
        dataset: QueryDataset | None,
        max_rows: int | None,
        base_iri: str | None,
    ) -> QueryRun:
        """The run of a screened query: on ``dataset``, else the graphs its ``FROM`` clauses name, each
        refused unless the store holds it."""
        chosen = dataset
        if chosen is None and shape is not None and (shape.default_graphs or shape.named_graphs):
            chosen = QueryDataset(shape.default_graphs, shape.named_graphs)
        if chosen is not None:
            self._refuse_graphs_not_held(chosen, label)
        return QueryRun(label, chosen, max_rows, base_iri)

    def holds_graph(self, name: str) -> bool | None:
        """Whether the store holds a named graph ``name`` (``None``: it cannot tell, as an endpoint)."""
        return None

    def _refuse_graphs_not_held(self, chosen: QueryDataset, label: str) -> None:
        """Refuse a dataset naming a graph the store does not hold: rdflib would fetch it from the web,
        and Oxigraph would answer as if it were empty; every store refuses it alike."""
        for graph in (*chosen.default_graphs, *chosen.named_graphs):
            if self.holds_graph(graph) is False:
                raise UnknownGraphError(
                    f"{label} names the graph <{graph}>, which this store does not hold; "
                    "graphs are never fetched from the web."
                )

    def property_labels(self) -> dict[str, str]:
        """The English label of every property the store's data labels, by IRI (asked once per store):
        views and pages name edges as the loaded graph names them."""
        if self._property_labels is None:
            labels: dict[str, str] = {}
            for row in self.bindings(shipped_query("lookups/property-labels.rq")):
                labels.setdefault(row["property"]["value"], row["label"]["value"])
            self._property_labels = labels
        return self._property_labels

    @abstractmethod
    def _run(self, text: str, run: QueryRun) -> QueryResult: ...


class MemoryStore(Store):
    """The rdflib dataset the library builds, queried in place with rdflib's SPARQL engine.

    A query that names graphs (``FROM``, or a protocol dataset) may only name graphs the store holds:
    rdflib would fetch any other from the web.
    """

    kind = "memory"
    #: rdflib's query parser (pyparsing, with its packrat cache) is not safe to call from two threads.
    concurrent_queries = False

    def __init__(self, dataset: Dataset):
        # A view on the same triples whose default graph is the union of the named graphs, as on oxigraph.
        self.dataset = Dataset(store=dataset.store, default_union=True)

    def _run(self, text: str, run: QueryRun) -> QueryResult:
        from rdflib.plugins.sparql.evaluate import evalQuery

        refuse_misread_services(text)
        try:
            query = parse_query(text, run.base_iri)
        except QuerySyntaxError as exc:  # rdflib's parser also refuses some valid queries: say where they run
            raise QuerySyntaxError(
                f"{exc} (as rdflib's parser reads it; it also refuses some valid queries, nested more "
                "than about 30 groups deep or with a '#' inside an IRI before SERVICE, which the oxigraph "
                "store runs: --store oxigraph)"
            ) from exc
        if run.dataset is not None:
            query = on_dataset(query, run.dataset)
        try:
            answer = evalQuery(self.dataset, query, {})
            if answer["type_"] == "ASK":
                return result_from_any(("ask",), [(Literal(bool(answer["askAnswer"])),)])
            if answer["type_"] in ("CONSTRUCT", "DESCRIBE"):
                triples, truncated = capped(sorted(answer["graph"]), run.max_rows)
                return result_from_any(("subject", "predicate", "object"), triples, truncated=truncated)
            variables = list(answer["vars_"])
            bindings, truncated = capped(answer["bindings"], run.max_rows)
            rows = [tuple(b.get(v) for v in variables) for b in bindings]
        except MemoryError:  # not the query's fault alone: whoever caps the memory says what to do
            raise
        except Exception as exc:  # rdflib raises assorted errors while evaluating
            raise QueryError(f"{run.label} cannot run on rdflib: {first_line(exc)}") from exc
        return result_from_any([str(v) for v in variables], rows, truncated=truncated)

    def holds_graph(self, name: str) -> bool:
        # A Graph on the store, not Dataset.graph(), which would add an empty graph of that name.
        return bool(len(Graph(store=self.dataset.store, identifier=URIRef(name))))


def capped(items: Iterable[Any], max_rows: int | None) -> tuple[list[Any], bool]:
    """The first ``max_rows`` items (all when ``None``), and whether there were more."""
    if max_rows is None:
        return list(items), False
    kept = list(itertools.islice(items, max_rows + 1))
    return kept[:max_rows], len(kept) > max_rows


def first_line(exc: BaseException) -> str:
    text = str(exc).strip() or type(exc).__name__
    return " ".join(text.split())[:500]


def connect(
    store: str = "memory",
    *,
    path: str | Path | None = None,
    endpoint: str | None = None,
    graph: KnowledgeGraph | None = None,
    default_graphs: Sequence[str] = (),
    named_graphs: Sequence[str] = (),
) -> Store:
    """Open a store holding the knowledge graph.

    ``store="memory"``: rdflib, in memory (the default). ``store="oxigraph"``: pyoxigraph, in memory, or the
    store on disk at ``path`` as it is (only :func:`~libertera_kg.disk_store.load_into_store` creates one,
    so a mistyped path is an error, not a new empty store). ``endpoint=URL``: a remote SPARQL endpoint that
    already holds the data. ``graph`` is the loaded graph to put in a store in memory (default: the
    shipped one). ``default_graphs`` and ``named_graphs`` are the endpoint's dataset for every query that
    names none itself, sent as the protocol's ``default-graph-uri`` and ``named-graph-uri``: how a store
    such as Virtuoso, whose own default graph is every graph it holds, is asked for ours.
    """
    if endpoint is not None:
        from .endpoint_store import EndpointStore

        return EndpointStore(endpoint, default_graphs=default_graphs, named_graphs=named_graphs)
    if default_graphs or named_graphs:
        raise UsageError(
            "--default-graph and --named-graph (default_graphs, named_graphs) name a remote endpoint's "
            "dataset; they go with an endpoint (a local store's queries name their graphs with FROM and "
            "FROM NAMED)."
        )
    if store not in STORE_KINDS:
        raise UnknownNameError(
            f"There is no store called '{store}'. Those there are: {', '.join(STORE_KINDS)}; or give an "
            "endpoint."
        )
    if path is not None and store != "oxigraph":
        raise UsageError(
            "Only the oxigraph store can live on disk: choose the oxigraph store together with a store path "
            "(on the command line, --store oxigraph --store-path DIR)."
        )
    if store == "oxigraph" and importlib.util.find_spec("pyoxigraph") is None:
        raise MissingDependencyError("pyoxigraph", "oxigraph", "The oxigraph store")
    if path is not None:
        if graph is not None:
            raise UsageError(
                "A store on disk holds what was loaded into it; load files into it with load_into_store "
                "(libertera-kg load FILE --store-path DIR) rather than giving a graph here."
            )
        from .disk_store import open_store

        return open_store(path)
    if graph is None:
        from .graph import load

        graph = load()
    if store == "memory":
        return MemoryStore(graph.dataset)
    from .oxigraph import oxigraph_store

    return oxigraph_store(graph.dataset.serialize(format="nquads", encoding="utf-8"))


def canned_query_results(store: Store) -> dict[str, str]:
    """Every canned query's answer with its default parameters, as SPARQL CSV, by query name."""
    from .catalogue import list_queries

    return {canned.name: store.query(canned.name).to_csv() for canned in list_queries()}


__all__ = [
    "STORE_KINDS",
    "MemoryStore",
    "Store",
    "canned_query_results",
    "connect",
    "with_value_rows",
    "with_values",
]

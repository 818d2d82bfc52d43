"""The pyoxigraph store behind the query interface: its merged default graph and its terms.

Its default graph holds the RDF merge of the named graphs, each triple once, which queries see; Oxigraph
can instead be asked for the union of the graphs, but that repeats a triple once per graph holding it.
A store on disk is opened and loaded by :mod:`libertera_kg.disk_store`.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

from .errors import QueryError, QuerySyntaxError
from .inspection import refuse_update
from .resources import shipped_query
from .results import JsonBinding, QueryResult, result_from_any
from .stores import QueryRun, Store, capped, first_line

if TYPE_CHECKING:
    import pyoxigraph


class OxigraphStore(Store):
    """A pyoxigraph store, in memory or on disk; the fast embedded choice for large graphs.

    Its default graph holds the RDF merge of the named graphs, each triple once, which queries see. Oxigraph
    can instead be asked for the union of the graphs, but that repeats a triple once per graph holding it:
    a country named by 500 reports made a join of its label and type 250,000 rows long.
    """

    kind = "oxigraph"

    def __init__(self, store: pyoxigraph.Store):
        self.store = store
        if default_graph_is_empty(store):
            merge_into_default_graph(store)

    def holds_graph(self, name: str) -> bool:
        import pyoxigraph as ox

        try:
            return bool(self.store.contains_named_graph(ox.NamedNode(name)))
        except ValueError:  # not an IRI Oxigraph accepts, so no graph of that name
            return False

    def _run(self, text: str, run: QueryRun) -> QueryResult:
        import pyoxigraph as ox

        with _engine_errors(text, run):
            result = self._query(text, run)
            if isinstance(result, ox.QueryBoolean):
                return result_from_any(("ask",), [(Literal(bool(result)),)])
            convert = OxigraphTerms()
            if isinstance(result, ox.QueryTriples):
                triples, truncated = capped(
                    sorted(tuple(convert(t) for t in (q.subject, q.predicate, q.object)) for q in result),
                    run.max_rows,
                )
                return result_from_any(("subject", "predicate", "object"), triples, truncated=truncated)
            columns = [v.value for v in result.variables]
            solutions, truncated = capped(result, run.max_rows)
            rows = [tuple(convert(solution[c]) for c in columns) for solution in solutions]
        return result_from_any(columns, rows, truncated=truncated)

    def _bindings(self, text: str, run: QueryRun) -> list[JsonBinding]:
        """Oxigraph writes the answer as SPARQL JSON itself, and Python's C parser reads it: three times
        faster than making a Python object of every term."""
        import pyoxigraph as ox

        with _engine_errors(text, run):
            result = self._query(text, run)
            if not isinstance(result, ox.QuerySolutions):
                raise QueryError(f"{run.label} is not a SELECT query; its rows cannot be read as bindings.")
            written = result.serialize(format=ox.QueryResultsFormat.JSON)
            assert written is not None  # serialize returns bytes when given no output
            document = json.loads(written)
        bindings: list[JsonBinding] = document["results"]["bindings"]
        return bindings

    def _query(self, text: str, run: QueryRun) -> Any:
        import pyoxigraph as ox

        options: dict[str, Any] = {}
        if run.dataset is not None:
            options = {
                "default_graph": [ox.NamedNode(g) for g in run.dataset.default_graphs],
                "named_graphs": [ox.NamedNode(g) for g in run.dataset.named_graphs],
            }
        return self.store.query(text, base_iri=run.base_iri, **options)


@contextlib.contextmanager
def _engine_errors(text: str, run: QueryRun) -> Iterator[None]:
    """Oxigraph's errors while parsing or running a query, as the library's."""
    try:
        yield
    except SyntaxError as exc:
        refuse_update(text)
        raise QuerySyntaxError(f"The query is not valid SPARQL 1.1: {first_line(exc)}") from exc
    except (ValueError, OSError, RuntimeError) as exc:
        raise QueryError(f"{run.label} cannot run on pyoxigraph: {first_line(exc)}") from exc


def merge_into_default_graph(store: pyoxigraph.Store) -> None:
    """Put every triple of the store's named graphs into its default graph, once (for a store loaded
    without :func:`add_to_default_graph`)."""
    store.update(shipped_query("lookups/merge-default-graph.ru"))
    store.flush()


def add_to_default_graph(store: pyoxigraph.Store, quads: Iterable[pyoxigraph.Quad]) -> None:
    """Add the triples of ``quads`` (as Oxigraph parses them from a file) to the store's default graph.

    Three times faster than a SPARQL INSERT from the named graphs on a store on disk.
    """
    import pyoxigraph as ox

    store.bulk_extend(ox.Quad(q.subject, q.predicate, q.object) for q in quads)


def default_graph_is_empty(store: pyoxigraph.Store) -> bool:
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

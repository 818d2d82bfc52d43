"""Everything Oxigraph: the pyoxigraph store, its merged default graph, and loading large files on disk.

Its default graph holds the RDF merge of the named graphs, each triple once, which queries see; Oxigraph
can instead be asked for the union of the graphs, but that repeats a triple once per graph holding it.

Large files are read in chunks by Oxigraph's own parser (never copied whole into Python). Each file is
checked first, by a parse that stores nothing, so a file with an error leaves the store as it was; then it
is bulk-loaded. N-Quads and TriG keep their graph names; a file of triples becomes the named graph
``graph/<file stem>``, as in :class:`~libertera_kg.graph.KnowledgeGraph`.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

from .errors import DataFileError, MissingDependencyError, QueryError, UsageError
from .inspection import QueryDataset, refuse_update
from .resources import shipped_query
from .results import QueryResult, result_from_any
from .stores import Store, capped, dataset_named_in, first_line

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
        if _default_graph_is_empty(store):
            merge_into_default_graph(store)

    def _run(
        self, text: str, *, label: str, dataset: QueryDataset | None = None, max_rows: int | None = None
    ) -> QueryResult:
        import pyoxigraph as ox

        dataset = dataset or dataset_named_in(text)
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
                triples, truncated = capped(
                    sorted(tuple(convert(t) for t in (q.subject, q.predicate, q.object)) for q in result),
                    max_rows,
                )
                return result_from_any(("subject", "predicate", "object"), triples, truncated=truncated)
            columns = [v.value for v in result.variables]
            solutions, truncated = capped(result, max_rows)
            rows = [tuple(convert(solution[c]) for c in columns) for solution in solutions]
        except (SyntaxError, ValueError, OSError, RuntimeError) as exc:
            if isinstance(exc, SyntaxError):
                refuse_update(text)
            raise QueryError(f"{label} cannot run on pyoxigraph: {first_line(exc)}") from exc
        return result_from_any(columns, rows, truncated=truncated)


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
        raise UsageError(
            f"{folder}: no such folder; load a store first with: libertera-kg load FILE --store-path {folder}"
        )
    try:
        store = ox.Store.read_only(str(folder))
    except OSError as exc:
        raise UsageError(f"{folder}: not an oxigraph store that can be opened ({first_line(exc)})") from None
    if _default_graph_is_empty(store):
        raise UsageError(
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


#: Oxigraph's format names by file suffix.
_FORMATS = {
    ".nq": "N_QUADS",
    ".trig": "TRIG",
    ".nt": "N_TRIPLES",
    ".ttl": "TURTLE",
    ".rdf": "RDF_XML",
    ".owl": "RDF_XML",
    ".jsonld": "JSON_LD",
}
_QUAD_FORMATS = {".nq", ".trig", ".jsonld"}


@dataclass(frozen=True)
class LoadedFile:
    """One file loaded: its path, the quads it held, and the store's size afterwards (named graphs and
    the default graph that merges them)."""

    path: Path
    quads: int
    store_size: int


class _Progress(io.RawIOBase):
    """A binary file that reports how many bytes have been read, for the progress bar."""

    def __init__(self, file: IO[bytes], advance: Callable[[int], object]):
        self._file = file
        self._advance = advance

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        count = self._file.readinto(buffer)  # type: ignore[attr-defined]
        self._advance(count or 0)
        return int(count or 0)


def load_into_store(
    location: Path, files: Sequence[Path], *, progress: bool = True
) -> tuple[LoadedFile, ...]:
    """Load ``files`` into the pyoxigraph store at ``location`` (created, with our graph, when new)."""
    try:
        import pyoxigraph as ox
    except ImportError:
        raise MissingDependencyError("pyoxigraph", "oxigraph", "Loading into the oxigraph store") from None
    from .graph import graph_name_for
    from .stores import connect

    for path in files:
        if not path.is_file():
            raise DataFileError(path, "no such file")
        if path.suffix not in _FORMATS:
            known = ", ".join(_FORMATS)
            raise DataFileError(path, f"unknown RDF file type '{path.suffix}'; use one of: {known}")
    for path in files:  # every file is checked before anything is written
        _check(ox, path)
    store = connect("oxigraph", path=location).store  # type: ignore[attr-defined]
    loaded = []
    for path in files:
        fmt = getattr(ox.RdfFormat, _FORMATS[path.suffix])
        target = (
            ox.DefaultGraph() if path.suffix in _QUAD_FORMATS else ox.NamedNode(str(graph_name_for(path)))
        )
        counter = _Counter()
        with path.open("rb") as raw, _bar(path, progress) as bar:
            quads = ox.parse(
                io.BufferedReader(_Progress(raw, bar.update)), format=fmt, rename_blank_nodes=True
            )
            # One pass writes each quad and its triple in the merged default graph (see OxigraphStore).
            store.bulk_extend(_with_merged_default_graph(ox, quads, target, counter))
        store.flush()
        loaded.append(LoadedFile(path, counter.quads, len(store)))
    return tuple(loaded)


class _Counter:
    quads = 0


def _with_merged_default_graph(
    ox: Any, quads: Iterable[Any], target: Any, counter: _Counter
) -> Iterator[Any]:
    """Each quad (a triple put in ``target`` unless the file names its graph), then its triple in the
    default graph; ``counter`` counts the quads."""
    default = ox.DefaultGraph()
    for quad in quads:
        counter.quads += 1
        if quad.graph_name == default:
            yield ox.Quad(quad.subject, quad.predicate, quad.object, target)
            if target == default:
                continue
        else:
            yield quad
        yield ox.Quad(quad.subject, quad.predicate, quad.object)


def _check(ox: Any, path: Path) -> None:
    """Parse ``path`` through without storing it; a syntax error names the file and line."""
    fmt = getattr(ox.RdfFormat, _FORMATS[path.suffix])
    try:
        for _ in ox.parse(path=str(path), format=fmt):
            pass
    except SyntaxError as exc:
        reason = " ".join(str(exc.msg or exc).split())
        raise DataFileError(path, f"not valid {path.suffix[1:]}: {reason}", line=exc.lineno) from None
    except (OSError, ValueError) as exc:
        raise DataFileError(path, f"cannot be read: {exc}") from None


def _bar(path: Path, enabled: bool) -> Any:
    """A tqdm progress bar in bytes, shown only on a terminal."""
    from tqdm import tqdm

    return tqdm(
        total=path.stat().st_size,
        unit="B",
        unit_scale=True,
        desc=path.name,
        disable=None if enabled else True,  # None: only when standard error is a terminal
        leave=False,
    )


def store_summary(store: pyoxigraph.Store) -> str:
    """How many quads and named graphs the store holds, in one line."""
    graphs = sum(1 for _ in store.named_graphs())
    return f"{len(store):,} quads in {graphs} named graphs"

"""Load large RDF files into a pyoxigraph store on disk, streaming, with a progress bar on the terminal.

Files are read in chunks by Oxigraph's own parser (never copied whole into Python). Each file is checked
first, by a parse that stores nothing, so a file with an error leaves the store as it was; then it is
bulk-loaded. N-Quads and TriG keep their graph names; a file of triples becomes the named graph
``graph/<file stem>``, as in :class:`~libertera_kg.graph.KnowledgeGraph`.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from .errors import DataFileError, MissingDependencyError

if TYPE_CHECKING:
    import pyoxigraph

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


def load_files(location: Path, files: Sequence[Path], *, progress: bool = True) -> list[LoadedFile]:
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
    return loaded


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

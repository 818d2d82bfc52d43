"""An Oxigraph store on disk: opened as it is, or loaded with large files, all of them or none.

Only :func:`load_into_store` creates a store. It screens and parses every file first (a parse that stores
nothing), refusing a file whose graph (named after it) the shipped ontology or data, or another file of
the same load, fills; nothing is written until every file has passed. It then loads into a
copy of the store beside it (a RocksDB checkpoint: hard links, cheap) and swaps the copy into place only
when every file is in. An error or Ctrl-C at any moment before the swap leaves the store exactly as it was.

Large files are read in chunks by Oxigraph's own parser, never copied whole into Python. N-Quads, TriG and
JSON-LD keep their graph names; a file of triples becomes the named graph ``graph/<file stem>`` (as in
:class:`~libertera_kg.graph.KnowledgeGraph`), or the graph ``--graph`` names.
"""

from __future__ import annotations

import contextlib
import gc
import io
import os
import re
import shutil
import signal
import threading
import traceback
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from rdflib import URIRef

from .errors import DataFileError, MissingDependencyError, OutputError, UsageError
from .oxigraph import OxigraphStore, default_graph_is_empty, oxigraph_store
from .stores import first_line
from .untrusted import RdfFileFormat, screen_rdf_file

_UNCHANGED = "interrupted; nothing was loaded, the store at {location} is as it was"


class LoadInterrupted(KeyboardInterrupt):
    """Ctrl-C during a load; the message says what the store holds (as before: nothing was written)."""


@dataclass(frozen=True)
class LoadedFile:
    """One file loaded: its path, the quads it held, and the store's size afterwards (named graphs and
    the default graph that merges them)."""

    path: Path
    quads: int
    store_size: int


def is_store(folder: Path) -> bool:
    """Whether ``folder`` holds an Oxigraph store (a RocksDB database)."""
    return (folder / "CURRENT").is_file()


def _refuse_not_a_store(folder: Path) -> None:
    if not folder.exists():
        raise UsageError(
            f"{folder}: no such store; only load creates one: libertera-kg load FILE --store-path {folder}"
        )
    if not folder.is_dir():
        raise UsageError(
            f"{folder}: this is a file, not a store folder; give the folder of an oxigraph store"
        )
    if not is_store(folder):
        raise UsageError(
            f"{folder}: this folder holds no oxigraph store; load one into it first with: "
            f"libertera-kg load FILE --store-path {folder}"
        )


def open_store(path: str | Path) -> OxigraphStore:
    """The oxigraph store on disk at ``path``, read-write, as it is (it must exist: see
    :func:`load_into_store`); its merged default graph is written if it lacks one."""
    import pyoxigraph as ox

    folder = Path(path)
    _refuse_not_a_store(folder)
    try:
        return OxigraphStore(ox.Store(str(folder)))
    except OSError as exc:
        raise UsageError(f"{folder}: the oxigraph store cannot be opened ({first_line(exc)})") from None


def open_read_only(path: str | Path) -> OxigraphStore:
    """The oxigraph store on disk at ``path``, opened read-only (several processes may share it), as
    ``libertera-kg load`` left it: with data, and the merged default graph that queries see."""
    import pyoxigraph as ox

    folder = Path(path)
    _refuse_not_a_store(folder)
    try:
        store = ox.Store.read_only(str(folder))
    except OSError as exc:
        raise UsageError(f"{folder}: not an oxigraph store that can be opened ({first_line(exc)})") from None
    if default_graph_is_empty(store):
        raise UsageError(
            f"{folder}: the store has no merged default graph (it holds {len(store):,} quads); load it with "
            f"libertera-kg load FILE --store-path {folder}, which writes one, or open it once with --store "
            "oxigraph --store-path, which adds it"
        )
    return OxigraphStore(store)


def load_into_store(
    location: Path, files: Sequence[Path], *, graph: str | None = None, progress: bool = True
) -> tuple[LoadedFile, ...]:
    """Load ``files`` into the pyoxigraph store at ``location`` (created, with our graph, when new), all
    or none; ``graph`` names the graph of a single file's triples instead of ``graph/<file stem>``."""
    try:
        import pyoxigraph as ox
    except ImportError:
        raise MissingDependencyError("pyoxigraph", "oxigraph", "Loading into the oxigraph store") from None
    from .graph import GraphClaims, graph_name_for, shipped_graphs

    if graph is not None and len(files) != 1:
        raise UsageError(f"--graph names the graph of one file; {len(files)} files were given.")
    if location.exists() and not location.is_dir():
        raise UsageError(f"{location}: this is a file, not a store folder; give a folder for the store")
    if location.is_dir() and any(location.iterdir()) and not is_store(location):
        raise UsageError(f"{location}: the folder holds other files and no oxigraph store; give another")
    remedy = "rename the file, or choose its graph with --graph IRI"
    claims = GraphClaims(shipped_graphs(), remedy=remedy)
    plan = []
    try:
        for path in files:  # every file is checked, with the graphs it fills, before anything is written
            fmt = screen_rdf_file(path)
            target = URIRef(graph) if graph is not None else graph_name_for(path)
            if _has_default_graph(ox, path, fmt):
                claims.claim(path, [target])
            plan.append((path, fmt, target))
    except KeyboardInterrupt:
        raise LoadInterrupted(_UNCHANGED.format(location=location)) from None
    with _staged_copy(ox, location) as staging:
        store = ox.Store(str(staging))
        try:
            loaded = [_load_file(ox, store, path, fmt, target, progress) for path, fmt, target in plan]
        finally:
            del store  # closes the copy (RocksDB stops writing to it) before it is moved or removed
    return tuple(loaded)


def _load_file(
    ox: Any, store: Any, path: Path, fmt: RdfFileFormat, target: URIRef, progress: bool
) -> LoadedFile:
    """Stream one screened file into ``store``, its triples into the graph ``target``."""
    counter = _Counter()
    with path.open("rb") as raw, _bar(path, progress) as bar:
        quads = ox.parse(
            io.BufferedReader(_Progress(raw, bar.update)),
            format=getattr(ox.RdfFormat, fmt.oxigraph),
            rename_blank_nodes=True,
        )
        # One pass writes each quad and its triple in the merged default graph (see OxigraphStore).
        store.bulk_extend(_with_merged_default_graph(ox, quads, ox.NamedNode(str(target)), counter))
    store.flush()
    return LoadedFile(path, counter.quads, len(store))


@contextlib.contextmanager
def _staged_copy(ox: Any, location: Path) -> Iterator[Path]:
    """A copy of the store at ``location`` (or a new store with our graph) to load into; moved into
    place when the block ends normally, removed (the store untouched) when it ends by an exception."""
    staging = location.with_name(f".{location.name}.loading-{os.getpid()}")
    retired = location.with_name(f".{location.name}.replaced-{os.getpid()}")
    try:
        _remove(staging)
        if is_store(location):
            ox.Store(str(location)).backup(str(staging))
        else:
            from .graph import load

            _new_store(load().dataset.serialize(format="nquads", encoding="utf-8"), staging)
        yield staging
    except BaseException as exc:
        traceback.clear_frames(exc.__traceback__)  # drops a store the failed step still held open
        _remove(staging)
        if isinstance(exc, KeyboardInterrupt):
            raise LoadInterrupted(_UNCHANGED.format(location=location)) from None
        if isinstance(exc, OSError):
            raise OutputError(f"Cannot write the store at {location}: {exc.strerror or exc}.") from exc
        raise
    swapped = False
    try:
        with _no_interrupts():  # two renames: the store is the old one or the new one, never neither
            if location.exists():
                location.rename(retired)
            staging.rename(location)
            swapped = True
            _remove(retired)
    except KeyboardInterrupt:  # arrived in the few instructions before the renames began
        if swapped:
            raise
        _remove(staging)
        raise LoadInterrupted(_UNCHANGED.format(location=location)) from None


def _new_store(nquads: bytes, folder: Path) -> None:
    """Write a new store holding ``nquads`` at ``folder``, closed again when this returns."""
    store = oxigraph_store(nquads, folder)
    del store


def _remove(folder: Path) -> None:
    """Remove a copy of the store; tried again once any store still open on it is closed, since RocksDB
    may add a file while the folder is being emptied and the folder would then stay behind."""
    for _ in range(3):
        shutil.rmtree(folder, ignore_errors=True)
        if not folder.exists():
            return
        gc.collect()  # a store held only by a finished exception's frames is closed here


@contextlib.contextmanager
def _no_interrupts() -> Iterator[None]:
    """Ctrl-C is ignored in the block (in the main thread; elsewhere signals do not arrive anyway)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


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
        else:
            yield quad
        yield ox.Quad(quad.subject, quad.predicate, quad.object)


def _has_default_graph(ox: Any, path: Path, fmt: RdfFileFormat) -> bool:
    """Parse ``path`` through without storing it: whether it holds triples outside any named graph (which
    go to the graph named after the file). A syntax error names the file and line."""
    default = ox.DefaultGraph()
    found = False
    try:
        for quad in ox.parse(path=str(path), format=getattr(ox.RdfFormat, fmt.oxigraph)):
            found = found or quad.graph_name == default
    except SyntaxError as exc:
        reason = " ".join(str(exc.msg or exc).split())
        line, column = exc.lineno, None
        if where := _OXIGRAPH_POSITION.match(reason):  # the position, said once, as every error says it
            line, column, reason = int(where["line"]), int(where["column"]), reason[where.end() :]
        if line is None and fmt.kind == "xml":
            line, reason = _xml_error(path) or (None, reason)
        raise DataFileError(path, f"not valid {fmt.name}: {reason}", line=line, column=column) from None
    except (OSError, ValueError) as exc:
        raise DataFileError(path, f"cannot be read: {exc}") from None
    return found


_OXIGRAPH_POSITION = re.compile(
    r"Parser error at line (?P<line>\d+) between columns (?P<column>\d+) and \d+: "
)


def _xml_error(path: Path) -> tuple[int, str] | None:
    """The line and reason of the first XML well-formedness error in ``path`` (Oxigraph's RDF/XML parser
    gives no position), or ``None``; the file was screened, so it declares no entities."""
    from xml.parsers import expat

    parser = expat.ParserCreate(namespace_separator=" ")
    try:
        with path.open("rb") as stream:
            parser.ParseFile(stream)
    except expat.ExpatError as exc:
        return exc.lineno, f"the XML is not well-formed: {expat.ErrorString(exc.code)}"
    return None


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

"""Write the published dumps of the knowledge graph, byte for byte the same from run to run.

``publish`` writes one dataset in five serialisations: TriG and sorted N-Quads (one named graph per source,
plus the ontology's), and the union of all graphs as Turtle, sorted N-Triples and JSON-LD (with the named
graphs kept). Every file is complete or absent: all are serialised in memory first, staged beside the
output folder, and only then moved into place.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

from rdflib import BNode, Dataset, Graph
from rdflib.compare import to_canonical_graph
from rdflib.plugins.serializers.trig import TrigSerializer

from .errors import OutputError
from .namespaces import PREFIXES

#: The stem of every published dump: ``libertera.trig``, ``libertera.nq`` and so on.
DUMP_STEM = "libertera"


def write_atomically(path: Path, content: str | bytes) -> None:
    """Write ``content`` (text as UTF-8) to ``path`` through a temporary file beside it, then rename it
    into place, creating missing folders: the file is whole or untouched, never half written."""
    data = content.encode("utf-8") if isinstance(content, str) else content
    temporary: Path | None = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        temporary = Path(name)
        os.fchmod(handle, 0o666 & ~_umask())  # as an ordinary new file would be, not mkstemp's 0600
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        temporary.replace(path)
    except OSError as exc:
        if temporary is not None:
            with contextlib.suppress(OSError):
                temporary.unlink()
        raise OutputError(f"Cannot write {path}: {_why_not_written(path, exc)}.") from exc


def _why_not_written(path: Path, exc: OSError) -> str:
    """What stands in the way of writing ``path``, in words: a file where a folder must be, a folder
    where the file must be, or the system's reason."""
    if path.is_dir():
        return "it is a folder"
    for folder in path.parents:
        if folder.exists():
            return f"{folder} is not a folder" if not folder.is_dir() else str(exc.strerror or exc).lower()
    return str(exc.strerror or exc).lower()


def refuse_unwritable_folder(folder: Path) -> None:
    """Raise :class:`OutputError` now if ``folder`` could not be created or written (a file stands where it
    or a parent folder must be, or the nearest existing folder is not writable): a long job then fails at
    once, not at its end. Nothing is created."""
    if folder.exists() and not folder.is_dir():
        raise OutputError(f"Cannot write the output folder {folder}: it is a file.")
    for existing in (folder, *folder.parents):
        if existing.exists():
            if not existing.is_dir():
                raise OutputError(f"Cannot write the output folder {folder}: {existing} is not a folder.")
            if not os.access(existing, os.W_OK | os.X_OK):
                raise OutputError(f"Cannot write the output folder {folder}: {existing} is not writable.")
            return


def _umask() -> int:
    """The process's file-creation mask (read by setting it, then putting it back)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def write_files_atomically(out_dir: Path, files: dict[str, str | bytes]) -> list[Path]:
    """Write several files into ``out_dir`` so that a failure leaves none of them half written."""
    staging = out_dir / ".staging"
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        shutil.rmtree(staging, ignore_errors=True)
        staging.mkdir()
        for name, text in files.items():
            (staging / name).parent.mkdir(parents=True, exist_ok=True)
            if isinstance(text, bytes):
                (staging / name).write_bytes(text)
            else:
                (staging / name).write_text(text, encoding="utf-8", newline="")
        written = []
        for name in files:
            (out_dir / name).parent.mkdir(parents=True, exist_ok=True)
            (staging / name).replace(out_dir / name)
            written.append(out_dir / name)
    except OSError as exc:
        raise OutputError(f"Cannot write the output folder {out_dir}: {exc.strerror}.") from exc
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return written


class _SortedTrigSerializer(TrigSerializer):
    """rdflib's TriG serializer, with named graphs written in IRI order rather than hash order."""

    def __init__(self, store: Graph):
        super().__init__(store)
        self.contexts.sort(key=lambda graph: str(graph.identifier))


def canonical_dataset(source: Dataset) -> Dataset:
    """A copy of ``source`` with stable blank-node labels, whose graphs and triples were inserted in sorted
    order, with our prefixes.

    Blank nodes (the ontology's axioms and lists) get the labels of rdflib's canonical labelling
    (``rdflib.compare.to_canonical_graph``), which depend on the graph's content only.
    """
    dataset = Dataset()
    for prefix, namespace in sorted(source.namespaces()):
        dataset.bind(prefix, namespace, override=False)
    for prefix, iri in PREFIXES.items():
        dataset.bind(prefix, iri)
    for graph in sorted(source.graphs(), key=lambda g: str(g.identifier)):
        if len(graph) == 0:
            continue
        target = dataset.graph(graph.identifier)
        has_blank_nodes = any(isinstance(term, BNode) for triple in graph for term in triple)
        for triple in sorted(to_canonical_graph(graph) if has_blank_nodes else graph):
            target.add(triple)
    return dataset


def _sorted_lines(text: str) -> str:
    lines = sorted({line for line in text.splitlines() if line.strip()})
    return "\n".join(lines) + "\n"


def _canonical_json(value: Any) -> Any:
    """Sort JSON-LD arrays (except ``@list``, whose order means something) so the output is stable."""
    if isinstance(value, dict):
        return {
            key: (item if key == "@list" else _canonical_json(item)) for key, item in sorted(value.items())
        }
    if isinstance(value, list):
        items = [_canonical_json(item) for item in value]
        return sorted(items, key=lambda item: json.dumps(item, sort_keys=True))
    return value


def serialize_dumps(dataset: Dataset) -> dict[str, str]:
    """Every published serialisation of ``dataset``, by file name."""
    canonical = canonical_dataset(dataset)
    union = Graph()
    for prefix, namespace in canonical.namespaces():
        union.bind(prefix, namespace, override=False)
    for graph in canonical.graphs():
        for triple in sorted(graph):
            union.add(triple)

    trig = io.BytesIO()
    _SortedTrigSerializer(canonical).serialize(trig, encoding="utf-8")
    jsonld = json.loads(canonical.serialize(format="json-ld", context=dict(PREFIXES), auto_compact=True))
    return {
        f"{DUMP_STEM}.trig": trig.getvalue().decode("utf-8"),
        f"{DUMP_STEM}.nq": _sorted_lines(canonical.serialize(format="nquads")),
        f"{DUMP_STEM}.ttl": union.serialize(format="turtle"),
        f"{DUMP_STEM}.nt": _sorted_lines(union.serialize(format="nt")),
        f"{DUMP_STEM}.jsonld": json.dumps(_canonical_json(jsonld), indent=2, ensure_ascii=False) + "\n",
    }


def publish(dataset: Dataset, out_dir: Path, extra_files: dict[str, str | bytes] | None = None) -> list[Path]:
    """Write every dump of ``dataset``, and ``extra_files`` (relative name to text), into ``out_dir``."""
    return write_files_atomically(out_dir, {**serialize_dumps(dataset), **(extra_files or {})})

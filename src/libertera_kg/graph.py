"""Load the ontology and data into one RDF dataset, each part in its own named graph.

Parsing is the costly step, so it happens once per :class:`KnowledgeGraph`; every parse error is turned
into a :class:`~libertera_kg.errors.DataFileError` that names the file, line and column.
"""

from __future__ import annotations

import json
import re
import warnings
from collections.abc import Iterable
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import TYPE_CHECKING
from typing import Literal as TypingLiteral

from rdflib import RDFS, Dataset, Graph, Literal, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.namespace import SKOS
from rdflib.term import Node

from . import resources
from .errors import DataFileError
from .namespaces import GRAPH, ID, LT, PREFIXES

if TYPE_CHECKING:
    from .summary import Figure, GraphSummary

from .sources import SourceTexts, compile_source_file, is_authored, statement_classes

ONTOLOGY_GRAPH = GRAPH.ontology

#: rdflib's parser for each file suffix: the five formats ``build`` publishes, each read back as it is.
_FORMATS = {".ttl": "turtle", ".trig": "trig", ".nt": "nt", ".nq": "nquads", ".jsonld": "json-ld"}
#: Formats whose files name their graphs.
_QUAD_FORMATS = ("trig", "nquads", "json-ld")


def rdf_format(path: Path | Traversable) -> str:
    """The rdflib parser name for a file, chosen by its suffix."""
    suffix = Path(path.name).suffix.lower()
    try:
        return _FORMATS[suffix]
    except KeyError:
        known = ", ".join(sorted(_FORMATS))
        raise DataFileError(str(path), f"unknown RDF file type '{suffix}'; expected one of {known}") from None


def _read_text(path: Path | Traversable) -> str:
    try:
        return path.read_bytes().decode("utf-8")
    except FileNotFoundError:
        raise DataFileError(str(path), "the file does not exist") from None
    except IsADirectoryError:
        raise DataFileError(str(path), "this is a folder, not an RDF file") from None
    except OSError as exc:
        raise DataFileError(str(path), f"the file cannot be read ({exc.strerror})") from exc
    except UnicodeDecodeError as exc:
        line = exc.object[: exc.start].count(b"\n") + 1
        raise DataFileError(str(path), "the file is not valid UTF-8", line=line) from exc


def _position(text: str, offset: int) -> tuple[int, int]:
    """The 1-based line and column of a character offset in ``text``."""
    offset = max(0, min(offset, len(text)))
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return line, column


def _parse_error(path: Path | Traversable, text: str, exc: Exception) -> DataFileError:
    """Turn an rdflib parser exception into an error that names the file, line and column."""
    # Turtle and TriG (notation3.BadSyntax) carry the offset and the reason as attributes.
    offset = getattr(exc, "_i", None)
    reason = getattr(exc, "_why", None)
    if isinstance(offset, int) and isinstance(reason, str):
        line, column = _position(text, offset)
        return DataFileError(str(path), f"not valid {rdf_format(path)}: {reason}", line=line, column=column)
    # The N-Triples family reports "... at line N" or similar in its message.
    message = str(exc).strip() or type(exc).__name__
    match = re.search(r"line:? (\d+)", message)
    line_number = int(match.group(1)) if match else None
    first_line = message.splitlines()[0]
    return DataFileError(str(path), f"not valid {rdf_format(path)}: {first_line}", line=line_number)


def parse_into(target: Graph | Dataset, path: Path | Traversable) -> None:
    """Parse one RDF file into ``target``, raising :class:`DataFileError` with its position on failure."""
    text = _read_text(path)
    fmt = rdf_format(path)
    if not text.strip():
        raise DataFileError(str(path), "the file is empty; it holds no RDF")
    if fmt == "json-ld":
        _refuse_remote_contexts(path, text)
    try:
        # rdflib's TriG parser calls rdflib's own deprecated Dataset API; that is not the user's concern.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            target.parse(data=text, format=fmt, publicID=f"file:///{path.name}")
    except Exception as exc:  # rdflib raises many unrelated types for bad input
        raise _parse_error(path, text, exc) from exc


def _refuse_remote_contexts(path: Path | Traversable, text: str) -> None:
    """Refuse a JSON-LD file whose ``@context`` names a document elsewhere: it is never fetched."""
    try:
        document = json.loads(text)
    except ValueError as exc:
        raise DataFileError(str(path), f"not valid JSON: {exc.args[0]}") from None
    stack = [document]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            context = item.get("@context")
            for entry in context if isinstance(context, list) else [context]:
                if isinstance(entry, str) or (isinstance(entry, dict) and "@import" in entry):
                    raise DataFileError(
                        str(path),
                        "the JSON-LD @context names a document elsewhere, which is never fetched; "
                        "put the context in the file itself",
                    )
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)


def _text_folder(path: Path | Traversable) -> Path | Traversable | None:
    """Where the source texts of a file's quotes are looked for: ``source/`` beside it."""
    return path.parent / "source" if isinstance(path, Path) else None


def _copy_quads(parsed: Dataset, into: Dataset, *, default_graph: URIRef) -> None:
    """Every graph of ``parsed`` into the graph of the same name in ``into``; its default graph's triples
    into ``default_graph``."""
    for graph in parsed.graphs():
        name = default_graph if graph.identifier == DATASET_DEFAULT_GRAPH_ID else graph.identifier
        target = into.graph(name)
        for triple in graph:
            target.add(triple)
    for prefix, namespace in parsed.namespaces():
        into.bind(prefix, namespace, override=False)


def graph_name_for(path: Path | Traversable) -> URIRef:
    """The named graph that a data file goes into: ``graph/<file stem>``."""
    return GRAPH[Path(path.name).stem]


class KnowledgeGraph:
    """The ontology and data in one rdflib :class:`~rdflib.Dataset`, one named graph per file group.

    >>> kg = KnowledgeGraph.from_files(ontology=[], data=[])
    >>> kg.summary().triples
    0
    """

    def __init__(self, dataset: Dataset):
        self.dataset = dataset
        self._property_labels: dict[str, str] | None = None

    @property
    def prefixes(self) -> dict[str, str]:
        """The prefixes this graph binds (ours, and those its files declared), by prefix."""
        return {prefix: str(namespace) for prefix, namespace in sorted(self.dataset.namespaces())}

    def property_labels(self) -> dict[str, str]:
        """The English label of every property this graph labels, by IRI (computed once per graph)."""
        if self._property_labels is None:
            labels: dict[str, str] = {}
            for graph in self.dataset.graphs():
                for prop, label in graph.subject_objects(RDFS.label):
                    english = isinstance(label, Literal) and label.language in (None, "en")
                    if isinstance(prop, URIRef) and english:
                        labels.setdefault(str(prop), str(label))
            self._property_labels = dict(sorted(labels.items()))
        return self._property_labels

    def label(self, node: Node | None) -> str:
        """How a person knows ``node`` in this graph: its English label, a source's words, or its IRI."""
        for graph in self.dataset.graphs():
            found = display_label(graph, node, fallback="none")
            if found:
                return found
        return display_label(Graph(), node)

    @classmethod
    def from_files(
        cls,
        *,
        ontology: Iterable[Path | Traversable],
        data: Iterable[Path | Traversable],
        texts: Iterable[Path | Traversable] = (),
    ) -> KnowledgeGraph:
        """Parse the ontology into its graph and each data file into a graph named after the file.

        A TriG file that is authored (facts grouped by the quote or reference source that supports them,
        recognised by what it holds, see :func:`~libertera_kg.sources.is_authored`) is compiled into
        facts, claims and quote selectors; its quotes point into the text of its source ``id/source/<name>``,
        read from ``texts`` (``<name>.txt``) or else from ``source/<name>.txt`` beside the file. Any other
        TriG, N-Quads or JSON-LD file keeps the graph names it declares, its default graph going to the
        graph named after the file; a Turtle or N-Triples file goes to the graph named after the file.
        """
        dataset = Dataset()
        for prefix, namespace in PREFIXES.items():
            dataset.bind(prefix, namespace)
        ontology_graph = dataset.graph(ONTOLOGY_GRAPH)
        for path in ontology:
            parse_into(ontology_graph, path)
        known_texts = {ID[f"source/{Path(path.name).stem}"]: _read_text(path) for path in texts}
        statements = statement_classes(ontology_graph)
        for path in data:
            fmt = rdf_format(path)
            if fmt not in _QUAD_FORMATS:
                parse_into(dataset.graph(graph_name_for(path)), path)
                continue
            parsed = Dataset()
            parse_into(parsed, path)
            if is_authored(parsed):
                compile_source_file(
                    parsed,
                    path=str(path),
                    into=dataset.graph(graph_name_for(path)),
                    texts=SourceTexts(known_texts, folder=_text_folder(path)),
                    statement_classes=statements,
                )
            else:
                _copy_quads(parsed, dataset, default_graph=graph_name_for(path))
        return cls(dataset)

    def add_graphs(self, other: Dataset) -> None:
        """Add every named graph of ``other`` (such as :func:`~libertera_kg.synth.synthesize`'s) to this
        graph, each under its own name."""
        _copy_quads(other, self.dataset, default_graph=GRAPH["added"])
        self._property_labels = None

    @property
    def ontology(self) -> Graph:
        """The named graph that holds the ontology and its concept schemes."""
        return self.dataset.graph(ONTOLOGY_GRAPH)

    def data_graphs(self) -> list[Graph]:
        """Every named graph except the ontology's, sorted by name."""
        graphs = [
            g for g in self.dataset.graphs() if g.identifier not in (ONTOLOGY_GRAPH, DATASET_DEFAULT_GRAPH_ID)
        ]
        return sorted(graphs, key=lambda g: str(g.identifier))

    def merged(self) -> Graph:
        """One plain graph holding the ontology and all data, for tools that work on a single graph."""
        return standalone_copy(*self.dataset.graphs())

    def summary(self) -> GraphSummary:
        """Count triples per named graph, ontology terms, data entities per class; list figures and cases."""
        from .summary import summarize

        return summarize(self)

    def figures(self) -> list[Figure]:
        """Every reported figure, ordered by what it counts and then by value."""
        from .summary import figures

        return figures(self)


#: The properties whose values name a thing for a person, best first.
_LABEL_PROPERTIES = (SKOS.prefLabel, RDFS.label, LT.statedAs, SKOS.altLabel)


def display_label(
    graph: Graph, node: Node | None, *, fallback: TypingLiteral["iri", "local name", "none"] = "iri"
) -> str:
    """How a person knows ``node`` in ``graph``: its English (or untagged) preferred label, label, the
    source's words for it or alternative label; else its IRI, the IRI's last part, or "" (``fallback``)."""
    if node is None:
        return "(none)"
    for prop in _LABEL_PROPERTIES:
        for label in graph.objects(node, prop):
            if isinstance(label, Literal) and label.language in ("en", None):
                return str(label)
    if fallback == "none":
        return ""
    if fallback == "local name":
        return str(node).rsplit("/", 1)[-1] or str(node)
    return str(node)


def standalone_copy(*graphs: Graph) -> Graph:
    """A new in-memory graph holding the triples and prefixes of ``graphs``, detached from any dataset."""
    copy = Graph()
    for graph in graphs:
        for triple in graph:
            copy.add(triple)
        for prefix, namespace in graph.namespaces():
            copy.bind(prefix, namespace, override=False)
    return copy


def load(*files: str | Path, with_shipped_data: bool = True) -> KnowledgeGraph:
    """Load the shipped ontology and data, and a contributor's ``files`` beside them.

    Each file goes into a named graph of its own (see :meth:`KnowledgeGraph.from_files`); an authored
    TriG file's quotes point into ``source/<name>.txt`` beside it. ``with_shipped_data=False`` loads the
    files with the ontology alone, without our data (reference data and sources).

    >>> kg = load()
    >>> kg.summary().classes > 0
    True
    """
    shipped = resources.data_files() if with_shipped_data else []
    return KnowledgeGraph.from_files(
        ontology=resources.ontology_files(),
        data=[*shipped, *(Path(name) for name in files)],
        texts=resources.source_text_files(),
    )

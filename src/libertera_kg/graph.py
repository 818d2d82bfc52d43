"""Load the ontology and data into one RDF dataset, each part in its own named graph.

Parsing is the costly step, so it happens once per :class:`KnowledgeGraph`; every parse error is turned
into a :class:`~libertera_kg.errors.DataFileError` that names the file, line and column.
"""

from __future__ import annotations

import logging
import re
import warnings
from collections.abc import Iterable
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import TYPE_CHECKING
from typing import Literal as TypingLiteral
from urllib.parse import quote
from xml.sax import SAXParseException

from rdflib import RDFS, Dataset, Graph, Literal, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.namespace import SKOS
from rdflib.term import Node

from . import resources
from .errors import DataFileError, ResourceError
from .namespaces import GRAPH, ID, LT, PREFIXES
from .untrusted import RdfFileFormat, read_utf8, screen_rdf_file

if TYPE_CHECKING:
    from .summary import Figure, GraphSummary

from .sources import SourceTexts, compile_source_file, is_authored, statement_classes

ONTOLOGY_GRAPH = GRAPH.ontology


def _position(text: str, offset: int) -> tuple[int, int]:
    """The 1-based line and column of a character offset in ``text``."""
    offset = max(0, min(offset, len(text)))
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return line, column


def _parse_error(path: Path | Traversable, fmt: RdfFileFormat, text: str, exc: Exception) -> DataFileError:
    """Turn an rdflib parser exception into an error that names the file, line and column."""
    # Turtle and TriG (notation3.BadSyntax) carry the offset and the reason as attributes.
    offset = getattr(exc, "_i", None)
    reason = getattr(exc, "_why", None)
    if isinstance(offset, int) and isinstance(reason, str):
        line, column = _position(text, offset)
        return DataFileError(str(path), f"not valid {fmt.name}: {reason}", line=line, column=column)
    if isinstance(exc, SAXParseException):  # RDF/XML
        reason = " ".join(str(exc.getMessage()).split())
        return DataFileError(
            str(path),
            f"not valid {fmt.name}: {reason}",
            line=exc.getLineNumber(),
            column=exc.getColumnNumber(),
        )
    # The N-Triples family reports "... at line N" or similar in its message.
    message = str(exc).strip() or type(exc).__name__
    match = re.search(r"line:? (\d+)", message)
    line_number = int(match.group(1)) if match else None
    first_line = " ".join(message.splitlines()[0].split())
    return DataFileError(str(path), f"not valid {fmt.name}: {first_line}", line=line_number)


def parse_into(target: Graph | Dataset, path: Path | Traversable, fmt: RdfFileFormat | None = None) -> None:
    """Parse one RDF file into ``target``, raising :class:`DataFileError` with its position on failure;
    the file passes :func:`~libertera_kg.untrusted.screen_rdf_file` first, unless ``fmt`` says it has."""
    fmt = fmt or screen_rdf_file(path)
    text = read_utf8(path)
    with _InvalidIris() as invalid:
        try:
            # rdflib's TriG parser calls rdflib's own deprecated Dataset API; not the user's concern.
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", DeprecationWarning)
                target.parse(data=text, format=fmt.rdflib, publicID=f"file:///{quote(path.name)}")
        except Exception as exc:  # rdflib raises many unrelated types for bad input
            raise _parse_error(path, fmt, text, exc) from exc
    if invalid.iris:
        iri = invalid.iris[0]
        found = text.find(iri)
        line = _position(text, found)[0] if found >= 0 else None
        raise DataFileError(
            str(path),
            f"<{iri}> is not a valid IRI (spaces and some other characters must be %-encoded)",
            line=line,
        )


class _InvalidIris(logging.Handler):
    """Collects the IRIs rdflib warns "do not look like a valid URI" while parsing (it logs them and
    goes on): a file holding one is refused, as Oxigraph refuses it, instead of a stray warning line."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.iris: list[str] = []
        self._logger = logging.getLogger("rdflib.term")

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        if "does not look like a valid URI" in message:
            self.iris.append(message.split(" does not look like a valid URI")[0])

    def __enter__(self) -> _InvalidIris:
        self._logger.addHandler(self)
        self._propagate, self._logger.propagate = self._logger.propagate, False
        return self

    def __exit__(self, *exc: object) -> None:
        self._logger.removeHandler(self)
        self._logger.propagate = self._propagate


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
    """The named graph that a data file goes into: ``graph/<file stem>``, %-encoded where the stem holds
    what an IRI cannot (``my report.ttl`` goes into ``graph/my%20report``)."""
    return GRAPH[quote(Path(path.name).stem, safe="")]


def shipped_graphs() -> dict[URIRef, str]:
    """The named graphs the shipped ontology and data fill, each with a phrase naming what fills it."""
    return {
        ONTOLOGY_GRAPH: "the ontology",
        **{graph_name_for(path): f"the shipped {path.name}" for path in resources.data_files()},
    }


class GraphClaims:
    """Which file fills each graph named after a file, so that no file adds its triples to another's graph
    unseen (``ontology.ttl`` would otherwise merge into the ontology, two files called ``a.ttl`` into one
    graph). The graphs a TriG, N-Quads or JSON-LD file names are its own choice, and merge as RDF datasets
    do: so each published dump goes back in beside the shipped files.

    ``taken`` maps the graphs already filled to a phrase naming what fills them; ``remedy`` says what to
    do about a collision.
    """

    def __init__(self, taken: dict[URIRef, str], *, remedy: str = "rename the file") -> None:
        self._owners = dict(taken)
        self._remedy = remedy
        try:
            shipped = resources.data_files()
        except ResourceError:  # compiling a checkout as the wheel is built: nothing is installed yet
            shipped = []
        self._shipped = {str(path): f"the shipped {path.name}" for path in shipped}

    def claim(self, path: Path | Traversable, graphs: Iterable[URIRef]) -> None:
        """Record that ``path`` fills ``graphs``; refuse one that something else fills."""
        owner = self._shipped.get(str(path), str(path))
        for graph in graphs:
            held_by = self._owners.setdefault(graph, owner)
            if held_by != owner:
                raise DataFileError(
                    str(path),
                    f"its triples would go into the graph <{graph}>, which {held_by} fills; {self._remedy}",
                )


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
        data = list(data)
        dataset = Dataset()
        for prefix, namespace in PREFIXES.items():
            dataset.bind(prefix, namespace)
        ontology_graph = dataset.graph(ONTOLOGY_GRAPH)
        for path in ontology:
            parse_into(ontology_graph, path)
        known_texts = {ID[f"source/{Path(path.name).stem}"]: read_utf8(path) for path in texts}
        statements = statement_classes(ontology_graph)
        claims = GraphClaims({ONTOLOGY_GRAPH: "the ontology"})
        screened = [(path, screen_rdf_file(path)) for path in data]  # every file, before any is parsed
        for path, fmt in screened:
            own_graph = graph_name_for(path)
            if not fmt.quads:
                claims.claim(path, [own_graph])
                parse_into(dataset.graph(own_graph), path, fmt)
                continue
            parsed = Dataset()
            parse_into(parsed, path, fmt)
            if is_authored(parsed):
                claims.claim(path, [own_graph])
                compile_source_file(
                    parsed,
                    path=str(path),
                    into=dataset.graph(own_graph),
                    texts=SourceTexts(known_texts, folder=_text_folder(path)),
                    statement_classes=statements,
                )
            else:  # the graphs it names are its own to name; its default graph takes the file's name
                if len(parsed.graph(DATASET_DEFAULT_GRAPH_ID)):
                    claims.claim(path, [own_graph])
                _copy_quads(parsed, dataset, default_graph=own_graph)
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
    if not files and with_shipped_data:
        from .compiled import read_compiled

        compiled = read_compiled()  # the same graph, compiled when the wheel was built
        if compiled is not None:
            return compiled
    shipped = resources.data_files() if with_shipped_data else []
    return KnowledgeGraph.from_files(
        ontology=resources.ontology_files(),
        data=[*shipped, *(Path(name) for name in files)],
        texts=resources.source_text_files(),
    )

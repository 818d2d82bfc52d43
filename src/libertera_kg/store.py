"""Load the ontology and data into one RDF dataset, each part in its own named graph.

Parsing is the costly step, so it happens once per :class:`KnowledgeGraph`; every parse error is turned
into a :class:`~libertera_kg.errors.DataFileError` that names the file, line and column.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from importlib.resources.abc import Traversable
from pathlib import Path

from rdflib import OWL, RDF, Dataset, Graph, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.namespace import SKOS

from . import resources
from .errors import DataFileError
from .namespaces import GRAPH, LT

ONTOLOGY_GRAPH = GRAPH.ontology

_FORMATS = {".ttl": "turtle", ".trig": "trig", ".nt": "nt", ".nq": "nquads"}


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
    try:
        target.parse(data=text, format=fmt, publicID=f"file:///{path.name}")
    except Exception as exc:  # rdflib raises many unrelated types for bad input
        raise _parse_error(path, text, exc) from exc


def graph_name_for(path: Path | Traversable) -> URIRef:
    """The named graph that a Turtle data file goes into: ``graph/<file stem>``."""
    return GRAPH[Path(path.name).stem]


@dataclass(frozen=True)
class GraphSummary:
    """Counts that describe a loaded knowledge graph at a glance."""

    triples_per_graph: dict[str, int]
    classes: int
    properties: int
    concept_schemes: int
    concepts: int
    instances_per_class: dict[str, int]

    @property
    def triples(self) -> int:
        """All triples across the named graphs."""
        return sum(self.triples_per_graph.values())

    def __str__(self) -> str:
        lines = [f"{self.triples} triples in {len(self.triples_per_graph)} named graphs"]
        lines += [f"  {count:>7}  {name}" for name, count in self.triples_per_graph.items()]
        lines.append(
            f"ontology: {self.classes} classes, {self.properties} properties, "
            f"{self.concept_schemes} concept schemes with {self.concepts} concepts"
        )
        if self.instances_per_class:
            lines.append("entities per class:")
            lines += [f"  {count:>7}  {name}" for name, count in self.instances_per_class.items()]
        else:
            lines.append("entities per class: none (no data loaded)")
        return "\n".join(lines)


class KnowledgeGraph:
    """The ontology and data in one rdflib :class:`~rdflib.Dataset`, one named graph per file group.

    >>> kg = KnowledgeGraph.from_files(ontology=[], data=[])
    >>> kg.summary().triples
    0
    """

    def __init__(self, dataset: Dataset):
        self.dataset = dataset

    @classmethod
    def from_files(
        cls, *, ontology: Iterable[Path | Traversable], data: Iterable[Path | Traversable]
    ) -> KnowledgeGraph:
        """Parse ontology files into the ontology graph and each data file into a graph of its own.

        TriG and N-Quads files keep the graph names they declare.
        """
        dataset = Dataset()
        ontology_graph = dataset.graph(ONTOLOGY_GRAPH)
        for path in ontology:
            parse_into(ontology_graph, path)
        for path in data:
            if rdf_format(path) in ("trig", "nquads"):
                parse_into(dataset, path)
            else:
                parse_into(dataset.graph(graph_name_for(path)), path)
        return cls(dataset)

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
        """Count triples per named graph, ontology terms, and data entities per class."""
        per_graph = {
            str(g.identifier): len(g)
            for g in sorted(self.dataset.graphs(), key=lambda g: str(g.identifier))
            if len(g) or g.identifier == ONTOLOGY_GRAPH
        }
        onto = self.ontology
        classes = {s for s in onto.subjects(RDF.type, OWL.Class) if isinstance(s, URIRef)}
        properties = {
            s
            for kind in (OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)
            for s in onto.subjects(RDF.type, kind)
        }
        own = str(LT)
        instances: Counter[str] = Counter()
        for graph in self.data_graphs():
            for _, cls in graph.subject_objects(RDF.type):
                instances[onto.qname(cls) if isinstance(cls, URIRef) else str(cls)] += 1
        return GraphSummary(
            triples_per_graph=per_graph,
            classes=sum(1 for c in classes if str(c).startswith(own)),
            properties=sum(1 for p in properties if str(p).startswith(own)),
            concept_schemes=len(set(onto.subjects(RDF.type, SKOS.ConceptScheme))),
            concepts=len(set(onto.subjects(RDF.type, SKOS.Concept))),
            instances_per_class=dict(sorted(instances.items(), key=lambda item: (-item[1], item[0]))),
        )


def standalone_copy(*graphs: Graph) -> Graph:
    """A new in-memory graph holding the triples and prefixes of ``graphs``, detached from any dataset."""
    copy = Graph()
    for graph in graphs:
        for triple in graph:
            copy.add(triple)
        for prefix, namespace in graph.namespaces():
            copy.bind(prefix, namespace, override=False)
    return copy


def load() -> KnowledgeGraph:
    """Load the shipped ontology and data.

    >>> kg = load()
    >>> kg.summary().classes > 0
    True
    """
    return KnowledgeGraph.from_files(ontology=resources.ontology_files(), data=resources.data_files())

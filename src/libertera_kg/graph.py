"""Load the ontology and data into one RDF dataset, each part in its own named graph.

Parsing is the costly step, so it happens once per :class:`KnowledgeGraph`; every parse error is turned
into a :class:`~libertera_kg.errors.DataFileError` that names the file, line and column.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from importlib.resources.abc import Traversable
from pathlib import Path

from rdflib import OWL, RDF, RDFS, Dataset, Graph, Literal, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.namespace import SKOS
from rdflib.term import Node

from . import resources
from .errors import DataFileError
from .namespaces import GRAPH, ID, LT, PREFIXES
from .sources import compile_source_file, statement_classes

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
        # rdflib's TriG parser calls rdflib's own deprecated Dataset API; that is not the user's concern.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            target.parse(data=text, format=fmt, publicID=f"file:///{path.name}")
    except Exception as exc:  # rdflib raises many unrelated types for bad input
        raise _parse_error(path, text, exc) from exc


def graph_name_for(path: Path | Traversable) -> URIRef:
    """The named graph that a data file goes into: ``graph/<file stem>``."""
    return GRAPH[Path(path.name).stem]


@dataclass(frozen=True)
class Figure:
    """A reported figure as its source states it: the number, how it bounds the count, and the words used."""

    iri: str
    quantity: str
    value: Decimal
    bound: str
    bound_notation: str
    stated_as: str
    status: str

    def __str__(self) -> str:
        return (
            f'{self.bound_notation:>2} {self.value:>6}  {self.quantity} ("{self.stated_as}", {self.status})'
        )


@dataclass(frozen=True)
class GraphSummary:
    """Counts that describe a loaded knowledge graph at a glance."""

    triples_per_graph: dict[str, int]
    classes: int
    properties: int
    concept_schemes: int
    concepts: int
    instances_per_class: dict[str, int]
    figures: tuple[Figure, ...] = ()
    cases: tuple[str, ...] = ()

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
        if self.figures:
            lines.append(f"figures ({len(self.figures)}):")
            lines += [f"  {figure}" for figure in self.figures]
        if self.cases:
            lines.append(f"cases ({len(self.cases)}):")
            lines += [f"  {case}" for case in self.cases]
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
        cls,
        *,
        ontology: Iterable[Path | Traversable],
        data: Iterable[Path | Traversable],
        texts: Iterable[Path | Traversable] = (),
    ) -> KnowledgeGraph:
        """Parse the ontology into its graph and each data file into a graph named after the file.

        TriG data files are authored source files (facts grouped by the quote or reference source that
        supports them, see :mod:`libertera_kg.sources`) and are compiled into facts, claims and quote
        selectors; ``texts`` are the source texts their quotes point into, ``<name>.txt`` for the source
        ``id/source/<name>``. N-Quads files keep the graph names they declare.
        """
        dataset = Dataset()
        for prefix, namespace in PREFIXES.items():
            dataset.bind(prefix, namespace)
        ontology_graph = dataset.graph(ONTOLOGY_GRAPH)
        for path in ontology:
            parse_into(ontology_graph, path)
        source_texts = {ID[f"source/{Path(path.name).stem}"]: _read_text(path) for path in texts}
        statements = statement_classes(ontology_graph)
        for path in data:
            fmt = rdf_format(path)
            if fmt == "trig":
                authored = Dataset()
                parse_into(authored, path)
                compile_source_file(
                    authored,
                    path=str(path),
                    into=dataset.graph(graph_name_for(path)),
                    texts=source_texts,
                    statement_classes=statements,
                )
            elif fmt == "nquads":
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
        """Count triples per named graph, ontology terms, data entities per class; list figures and cases."""
        per_graph = {
            str(g.identifier): len(g)
            for g in sorted(self.dataset.graphs(), key=lambda g: str(g.identifier))
            if len(g) or g.identifier == ONTOLOGY_GRAPH
        }
        onto = self.ontology
        own = str(LT)
        classes = {c for c in onto.subjects(RDF.type, OWL.Class) if str(c).startswith(own)}
        properties = {
            p
            for kind in (OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)
            for p in onto.subjects(RDF.type, kind)
            if str(p).startswith(own)
        }
        members: dict[str, set[Node]] = {}
        for graph in self.data_graphs():
            for entity, cls in graph.subject_objects(RDF.type):
                name = onto.qname(cls) if isinstance(cls, URIRef) else str(cls)
                members.setdefault(name, set()).add(entity)
        counts = sorted(((name, len(items)) for name, items in members.items()), key=lambda i: (-i[1], i[0]))
        data = standalone_copy(onto, *self.data_graphs())
        cases = sorted(
            f"{_label(data, country)}: {_label(data, case)}"
            for case in data.subjects(RDF.type, LT.Case)
            for country in data.objects(case, LT.occurredIn)
        )
        return GraphSummary(
            triples_per_graph=per_graph,
            classes=len(classes),
            properties=len(properties),
            concept_schemes=len(set(onto.subjects(RDF.type, SKOS.ConceptScheme))),
            concepts=len(set(onto.subjects(RDF.type, SKOS.Concept))),
            instances_per_class=dict(counts),
            figures=tuple(self.figures()),
            cases=tuple(cases),
        )

    def figures(self) -> list[Figure]:
        """Every reported figure, ordered by what it counts and then by value."""
        data = standalone_copy(self.ontology, *self.data_graphs())
        found = []
        for node in set(data.subjects(RDF.type, LT.Figure)):
            bound = data.value(node, LT.boundKind)
            value = data.value(node, LT.statedValue)
            found.append(
                Figure(
                    iri=str(node),
                    quantity=_label(data, data.value(node, LT.quantityKind)),
                    value=Decimal(str(value)) if value is not None else Decimal(0),
                    bound=_label(data, bound),
                    bound_notation=str(data.value(bound, SKOS.notation) or "?"),
                    stated_as=str(data.value(node, LT.statedAs) or ""),
                    status=_label(data, data.value(node, LT.reportStatus)),
                )
            )
        return sorted(found, key=lambda f: (f.quantity, -f.value, f.bound, f.iri))


def _label(graph: Graph, node: Node | None) -> str:
    """The English preferred label of ``node``, or its IRI when it has none."""
    if node is None:
        return "(none)"
    for prop in (SKOS.prefLabel, RDFS.label):
        for label in graph.objects(node, prop):
            if isinstance(label, Literal) and label.language in ("en", None):
                return str(label)
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


def load() -> KnowledgeGraph:
    """Load the shipped ontology and data.

    >>> kg = load()
    >>> kg.summary().classes > 0
    True
    """
    return KnowledgeGraph.from_files(
        ontology=resources.ontology_files(), data=resources.data_files(), texts=resources.source_text_files()
    )

"""What a loaded graph holds at a glance: triples per graph, ontology terms, entities per class, and the
figures and cases it reports, as the ``build`` summary prints them."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from rdflib import OWL, RDF, URIRef
from rdflib.namespace import SKOS
from rdflib.term import Node

from .graph import ONTOLOGY_GRAPH, KnowledgeGraph, display_label, standalone_copy
from .namespaces import LT


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


def summarize(kg: KnowledgeGraph) -> GraphSummary:
    """Count triples per named graph, ontology terms, data entities per class; list figures and cases."""
    per_graph = {
        str(g.identifier): len(g)
        for g in sorted(kg.dataset.graphs(), key=lambda g: str(g.identifier))
        if len(g) or g.identifier == ONTOLOGY_GRAPH
    }
    onto = kg.ontology
    own = str(LT)
    classes = {c for c in onto.subjects(RDF.type, OWL.Class) if str(c).startswith(own)}
    properties = {
        p
        for kind in (OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)
        for p in onto.subjects(RDF.type, kind)
        if str(p).startswith(own)
    }
    members: dict[str, set[Node]] = {}
    for graph in kg.data_graphs():
        for entity, cls in graph.subject_objects(RDF.type):
            name = onto.qname(cls) if isinstance(cls, URIRef) else str(cls)
            members.setdefault(name, set()).add(entity)
    counts = sorted(((name, len(items)) for name, items in members.items()), key=lambda i: (-i[1], i[0]))
    data = standalone_copy(onto, *kg.data_graphs())
    cases = sorted(
        f"{display_label(data, country)}: {display_label(data, case)}"
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
        figures=tuple(figures(kg)),
        cases=tuple(cases),
    )


def figures(kg: KnowledgeGraph) -> list[Figure]:
    """Every reported figure, ordered by what it counts and then by value."""
    data = standalone_copy(kg.ontology, *kg.data_graphs())
    found = []
    for node in set(data.subjects(RDF.type, LT.Figure)):
        bound = data.value(node, LT.boundKind)
        value = data.value(node, LT.statedValue)
        found.append(
            Figure(
                iri=str(node),
                quantity=display_label(data, data.value(node, LT.quantityKind)),
                value=Decimal(str(value)) if value is not None else Decimal(0),
                bound=display_label(data, bound),
                bound_notation=str(data.value(bound, SKOS.notation) or "?"),
                stated_as=str(data.value(node, LT.statedAs) or ""),
                status=display_label(data, data.value(node, LT.reportStatus)),
            )
        )
    return sorted(found, key=lambda f: (f.quantity, -f.value, f.bound, f.iri))

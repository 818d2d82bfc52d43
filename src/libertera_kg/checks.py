"""Quality checks of the ontology and data that SHACL cannot express.

Each check returns a list of :class:`Problem` (empty when all is well), so a caller can print them, count
them, or fail on them:

- :func:`undeclared_terms`: every term of our namespaces used anywhere is declared, with exactly one English
  label and an English definition;
- :func:`ontology_header_problems`: the ontology carries the metadata people look for before adopting it;
- :func:`owl_dl_typing_problems`: every property and class used is declared with one OWL kind, and used as
  that kind (object properties point at resources, datatype properties at literals), as OWL 2 DL requires;
- :func:`owl_rl_inconsistencies`: the OWL 2 RL closure (owlrl) puts nothing in ``owl:Nothing``, breaks no
  disjointness, and merges no two distinct entities or values through a functional property.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from rdflib import OWL, RDF, RDFS, XSD, BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, SKOS
from rdflib.term import Node

from .errors import DataFileError, QueryError
from .graph import KnowledgeGraph
from .namespaces import CONCEPT, ID, LT, ONTOLOGY_IRI, VANN

#: IRIs under these are terms we define, and must be declared in the ontology.
TERM_NAMESPACES = (str(LT), str(CONCEPT))

_DECLARATION_TYPES = frozenset(
    {
        OWL.Class,
        OWL.ObjectProperty,
        OWL.DatatypeProperty,
        OWL.AnnotationProperty,
        RDFS.Datatype,
        SKOS.Concept,
        SKOS.ConceptScheme,
        SKOS.Collection,
        OWL.NamedIndividual,
    }
)
_LABELS = (RDFS.label, SKOS.prefLabel)
_DEFINITIONS = (SKOS.definition, RDFS.comment)
_PROPERTY_KINDS = (OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)
_BUILT_IN = (str(RDF), str(RDFS), str(OWL), str(XSD))

#: The ontology header a linked-data researcher expects, as (property, what it says) pairs.
HEADER_PROPERTIES = (
    (DCTERMS.title, "title"),
    (DCTERMS.description, "description"),
    (DCTERMS.creator, "creator"),
    (DCTERMS.license, "license"),
    (DCTERMS.issued, "issue date"),
    (DCTERMS.modified, "modification date"),
    (OWL.versionIRI, "version IRI"),
    (OWL.versionInfo, "version number"),
    (VANN.preferredNamespacePrefix, "preferred namespace prefix"),
    (VANN.preferredNamespaceUri, "preferred namespace IRI"),
)

SH = Namespace("http://www.w3.org/ns/shacl#")

_OWLRL_ERROR = URIRef("http://www.daml.org/2002/03/agents/agent-ont#ErrorMessage")
_OWLRL_ERROR_TEXT = URIRef("http://www.daml.org/2002/03/agents/agent-ont#error")


@dataclass(frozen=True, order=True)
class Problem:
    """One thing a check found wrong: which check, about what, and what to do."""

    check: str
    subject: str
    message: str

    def __str__(self) -> str:
        return f"[{self.check}] {self.subject}: {self.message}"


def _is_term(node: Node) -> bool:
    return isinstance(node, URIRef) and str(node).startswith(TERM_NAMESPACES)


def terms_in_graph(graph: Graph) -> set[URIRef]:
    """Every IRI of our term namespaces that a graph uses, as subject, predicate, object or datatype."""
    found: set[URIRef] = set()
    for triple in graph:
        for node in triple:
            if isinstance(node, URIRef) and _is_term(node):
                found.add(node)
            elif isinstance(node, Literal) and node.datatype is not None and _is_term(node.datatype):
                found.add(node.datatype)
    return found


def terms_in_query(text: str, *, source: str) -> set[URIRef]:
    """Every IRI of our term namespaces that a SPARQL query mentions, after its prefixes are expanded."""
    from .inspection import mentioned_iris  # the SPARQL parser is slow to import; only here

    try:
        return {iri for iri in mentioned_iris(text) if _is_term(iri)}
    except QueryError as exc:
        raise DataFileError(source, f"not a valid SPARQL query: {exc}") from exc


def undeclared_terms(ontology: Graph, used: Iterable[URIRef]) -> list[Problem]:
    """Terms of our namespaces that are used but not declared, or lack one English label and a definition."""
    problems: list[Problem] = []
    for term in sorted(set(used)):
        kinds = set(ontology.objects(term, RDF.type)) & _DECLARATION_TYPES
        if not kinds:
            problems.append(
                Problem(
                    "declared-terms", str(term), "is used but never declared in the ontology or its schemes"
                )
            )
            continue
        english_labels = [
            label
            for prop in _LABELS
            for label in ontology.objects(term, prop)
            if isinstance(label, Literal) and label.language == "en"
        ]
        if len(english_labels) != 1:
            problems.append(
                Problem(
                    "declared-terms",
                    str(term),
                    "needs exactly one English label (rdfs:label or skos:prefLabel), "
                    f"has {len(english_labels)}",
                )
            )
        definitions = [
            text
            for prop in _DEFINITIONS
            for text in ontology.objects(term, prop)
            if isinstance(text, Literal) and text.language == "en"
        ]
        if not definitions:
            problems.append(
                Problem(
                    "declared-terms", str(term), "has no English definition (skos:definition or rdfs:comment)"
                )
            )
    return problems


def ontology_header_problems(ontology: Graph, iri: URIRef = ONTOLOGY_IRI) -> list[Problem]:
    """What the ontology's header lacks: title, license, creator, version IRI and the rest."""
    if (iri, RDF.type, OWL.Ontology) not in ontology:
        return [Problem("ontology-header", str(iri), "is not declared as an owl:Ontology")]
    problems = [
        Problem("ontology-header", str(iri), f"has no {what} ({ontology.qname(prop)})")
        for prop, what in HEADER_PROPERTIES
        if ontology.value(iri, prop) is None
    ]
    version_iri = ontology.value(iri, OWL.versionIRI)
    version = ontology.value(iri, OWL.versionInfo)
    if version_iri is not None and version is not None and not str(version_iri).endswith("/" + str(version)):
        problems.append(
            Problem(
                "ontology-header",
                str(iri),
                f"its version IRI <{version_iri}> does not end with its version number {version}",
            )
        )
    return problems


def owl_dl_typing_problems(graph: Graph) -> list[Problem]:
    """Properties and classes used without an OWL declaration, with two kinds, or against their kind."""
    kinds: dict[URIRef, set[URIRef]] = {}
    for kind in _PROPERTY_KINDS:
        for prop in graph.subjects(RDF.type, kind):
            if isinstance(prop, URIRef):
                kinds.setdefault(prop, set()).add(kind)
    classes = set(graph.subjects(RDF.type, OWL.Class)) | set(graph.subjects(RDF.type, RDFS.Datatype))

    problems: list[Problem] = []
    for prop, declared in sorted(kinds.items()):
        if len(declared) > 1:
            names = " and ".join(sorted(graph.qname(k) for k in declared))
            problems.append(Problem("owl-dl-typing", str(prop), f"is declared as both {names}"))

    misused: set[tuple[str, str]] = set()
    for _, predicate, obj in graph:
        if not isinstance(predicate, URIRef) or str(predicate).startswith(_BUILT_IN):
            is_class_use = predicate == RDF.type and isinstance(obj, URIRef)
            if is_class_use and not str(obj).startswith(_BUILT_IN) and obj not in classes:
                misused.add((str(obj), "is used as a class but not declared as owl:Class"))
            continue
        declared = kinds.get(predicate, set())
        if not declared:
            misused.add((str(predicate), "is used as a property but not declared as an OWL property"))
        elif OWL.ObjectProperty in declared and isinstance(obj, Literal):
            misused.add((str(predicate), "is an object property but has a literal value"))
        elif OWL.DatatypeProperty in declared and isinstance(obj, URIRef | BNode):
            misused.add((str(predicate), "is a datatype property but points at a resource"))
    problems += [Problem("owl-dl-typing", term, message) for term, message in sorted(misused)]
    return problems


def owl_rl_inconsistencies(graph: Graph) -> list[Problem]:
    """Inconsistencies the OWL 2 RL closure of ``graph`` reveals; the graph itself is left unchanged.

    Besides owlrl's own error reports and members of ``owl:Nothing``, two distinct entities of ours (or two
    distinct literals) inferred to be ``owl:sameAs`` count as a functional-property violation, since our
    data gives each thing one IRI.
    """
    import owlrl  # imported here: only the checks need the reasoner

    closure = Graph()
    for triple in graph:
        closure.add(triple)
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics, axiomatic_triples=False, datatype_axioms=False).expand(
        closure
    )

    problems = [
        Problem("owl-rl-consistency", "owlrl", str(text))
        for message in closure.subjects(RDF.type, _OWLRL_ERROR)
        for text in closure.objects(message, _OWLRL_ERROR_TEXT)
    ]
    problems += [
        Problem(
            "owl-rl-consistency", str(member), "is inferred to be in owl:Nothing (it can have no instances)"
        )
        for member in closure.subjects(RDF.type, OWL.Nothing)
    ]
    own = (str(ID), *TERM_NAMESPACES)
    for left, right in closure.subject_objects(OWL.sameAs):
        if left == right or str(left) > str(right):
            continue
        both_ours = all(isinstance(n, URIRef) and str(n).startswith(own) for n in (left, right))
        both_literals = isinstance(left, Literal) and isinstance(right, Literal)
        if both_ours or both_literals:
            problems.append(
                Problem(
                    "owl-rl-consistency",
                    f"{left} / {right}",
                    "two distinct values are inferred to be the same: a functional property has two values",
                )
            )
    return sorted(set(problems))


def terms_in_shapes(shapes: Graph) -> set[URIRef]:
    """Every term of ours that SHACL shapes use, in their triples and inside their SPARQL constraints."""
    found = terms_in_graph(shapes)
    prefixes = "".join(
        sorted(
            f"PREFIX {shapes.value(d, SH.prefix)}: <{shapes.value(d, SH.namespace)}>\n"
            for d in shapes.objects(None, SH.declare)
        )
    )
    for constraint, select in shapes.subject_objects(SH.select):
        found |= terms_in_query(prefixes + str(select), source=f"SPARQL constraint {constraint}")
    return found


def run_all_checks(
    kg: KnowledgeGraph,
    *,
    queries: Iterable[tuple[str, str]] | None = None,
    shapes: Graph | None = None,
) -> list[Problem]:
    """Every check above on a loaded graph: what ``libertera-kg check`` runs.

    The terms used are those of the graph, of the SPARQL ``queries`` given as (name, text) pairs, and of
    the SHACL ``shapes``; by default the package's own queries and shapes, so that a term a query or a
    shape relies on cannot silently disappear from the ontology.
    """
    from . import resources

    if queries is None:
        queries = [(str(path), path.read_text(encoding="utf-8")) for path in resources.sparql_files()]
    if shapes is None:
        from .validation import shapes_graph

        shapes = shapes_graph()
    merged = kg.merged()
    used = terms_in_graph(merged) | terms_in_shapes(shapes)
    for name, text in queries:
        used |= terms_in_query(text, source=name)
    return (
        undeclared_terms(kg.ontology, used)
        + ontology_header_problems(kg.ontology)
        + owl_dl_typing_problems(merged)
        + owl_rl_inconsistencies(merged)
    )

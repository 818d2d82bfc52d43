"""The SKOS concept schemes of the ontology as people read them: one page per scheme, its concepts as a tree
(narrower under broader, in code order, then by label) with their codes, definitions, other names, notes
and matches, then the scheme's collections. Written by ``libertera-kg docs`` beside the ontology's page.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from rdflib import DCTERMS, RDF, Graph, Literal, URIRef
from rdflib.namespace import SKOS
from rdflib.term import Node

from .namespaces import XKOS, prefixed_name

#: How a concept's links to other concepts and vocabularies read, in the order a page lists them.
_MATCHES = (
    (SKOS.exactMatch, "exact match"),
    (SKOS.closeMatch, "close match"),
    (SKOS.broadMatch, "broad match"),
    (SKOS.narrowMatch, "narrow match"),
    (SKOS.relatedMatch, "related match"),
    (SKOS.related, "related"),
)
#: The notes of a concept, in the order a page lists them.
_NOTES = (
    (SKOS.scopeNote, "scope"),
    (XKOS.inclusionNote, "includes"),
    (XKOS.exclusionNote, "excludes"),
    (SKOS.example, "example"),
    (SKOS.editorialNote, "editorial note"),
)


@dataclass(frozen=True)
class Link:
    """A link to another concept (on its scheme's page) or to an IRI elsewhere."""

    text: str
    href: str


@dataclass(frozen=True)
class ConceptEntry:
    """A concept as its scheme's page shows it, with its narrower concepts nested inside."""

    iri: str
    anchor: str
    label: str
    code: str | None
    definition: str | None
    other_names: tuple[str, ...]
    notes: tuple[tuple[str, str], ...]
    matches: tuple[tuple[str, tuple[Link, ...]], ...]
    narrower: tuple[ConceptEntry, ...]


@dataclass(frozen=True)
class CollectionEntry:
    """A named group of a scheme's concepts (``skos:Collection``), such as the bound kinds that are lower
    bounds."""

    iri: str
    anchor: str
    label: str
    definition: str | None
    members: tuple[Link, ...]


@dataclass(frozen=True)
class SchemePage:
    """A concept scheme's page: its name, IRI, definition and source, its concepts and collections."""

    iri: str
    file_name: str
    title: str
    definition: str | None
    source: str | None
    concepts: tuple[ConceptEntry, ...]
    collections: tuple[CollectionEntry, ...]


def scheme_pages(graph: Graph) -> list[SchemePage]:
    """Every concept scheme of ``graph``, ordered by title, with the file name of its page."""
    schemes = [s for s in set(graph.subjects(RDF.type, SKOS.ConceptScheme)) if isinstance(s, URIRef)]
    pages = [_scheme_page(graph, scheme, _page_names(schemes)) for scheme in schemes]
    return sorted(pages, key=lambda page: page.title.lower())


def _page_names(schemes: Iterable[URIRef]) -> dict[Node, str]:
    """The file name of each scheme's page: the last segment of its IRI (``offence.html``)."""
    return {scheme: str(scheme).rstrip("/").rsplit("/", 1)[-1] + ".html" for scheme in schemes}


def _scheme_page(graph: Graph, scheme: URIRef, pages: dict[Node, str]) -> SchemePage:
    members = {c for c in graph.subjects(SKOS.inScheme, scheme) if isinstance(c, URIRef)}
    members |= {c for c in graph.objects(scheme, SKOS.hasTopConcept) if isinstance(c, URIRef)}
    narrower: dict[Node, list[URIRef]] = {}
    for concept in members:
        for broader in graph.objects(concept, SKOS.broader):
            if broader in members:
                narrower.setdefault(broader, []).append(concept)
    tops = [c for c in members if not any(b in members for b in graph.objects(c, SKOS.broader))]
    scheme_of = {c: s for s in pages for c in graph.subjects(SKOS.inScheme, s)}

    def link(iri: Node) -> Link:
        if iri in scheme_of:
            return Link(_label(graph, iri), f"{pages[scheme_of[iri]]}#{_anchor(iri)}")
        return Link(prefixed_name(str(iri)), str(iri))

    def entry(concept: URIRef) -> ConceptEntry:
        notation = graph.value(concept, SKOS.notation)
        return ConceptEntry(
            iri=str(concept),
            anchor=_anchor(concept),
            label=_label(graph, concept),
            code=str(notation) if notation is not None else None,
            definition=_text(graph, concept, SKOS.definition),
            other_names=tuple(sorted(str(name) for name in graph.objects(concept, SKOS.altLabel))),
            notes=tuple(
                (name, str(note))
                for prop, name in _NOTES
                for note in sorted(graph.objects(concept, prop), key=str)
            ),
            matches=tuple(
                (name, tuple(link(target) for target in sorted(graph.objects(concept, prop), key=str)))
                for prop, name in _MATCHES
                if (concept, prop, None) in graph
            ),
            narrower=tuple(entry(child) for child in _ordered(graph, narrower.get(concept, []))),
        )

    collections = [
        CollectionEntry(
            iri=str(collection),
            anchor=_anchor(collection),
            label=_label(graph, collection),
            definition=_text(graph, collection, SKOS.definition),
            members=tuple(link(m) for m in _ordered(graph, list(graph.objects(collection, SKOS.member)))),
        )
        for collection in graph.subjects(RDF.type, SKOS.Collection)
        if any(m in members for m in graph.objects(collection, SKOS.member))
    ]
    source = graph.value(scheme, DCTERMS.source)
    return SchemePage(
        iri=str(scheme),
        file_name=pages[scheme],
        title=_label(graph, scheme),
        definition=_text(graph, scheme, SKOS.definition),
        source=str(source) if source is not None else None,
        concepts=tuple(entry(top) for top in _ordered(graph, tops)),
        collections=tuple(sorted(collections, key=lambda c: c.label)),
    )


def _ordered(graph: Graph, concepts: Iterable[Node]) -> list[URIRef]:
    """Concepts in code order where they have codes, then by label."""
    return sorted(
        (c for c in concepts if isinstance(c, URIRef)),
        key=lambda c: (
            graph.value(c, SKOS.notation) is None,
            str(graph.value(c, SKOS.notation) or ""),
            _label(graph, c),
        ),
    )


def _label(graph: Graph, node: Node) -> str:
    """The English preferred label, else the IRI's last segment."""
    for label in graph.objects(node, SKOS.prefLabel):
        if isinstance(label, Literal) and label.language in ("en", None):
            return str(label)
    return str(node).rstrip("/").rsplit("/", 1)[-1]


def _text(graph: Graph, node: Node, prop: URIRef) -> str | None:
    value = graph.value(node, prop)
    return str(value) if value is not None else None


def _anchor(iri: Node) -> str:
    return str(iri).rstrip("/").rsplit("/", 1)[-1]

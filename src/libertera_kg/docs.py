"""HTML documentation of the ontology, from the same files the package loads: the ontology's header, classes
and properties by pyLODE (``index.html``), each SKOS concept scheme on a page of its own
(``schemes/NAME.html``, see :mod:`.concept_schemes`), and the ontology as one Turtle file.

pyLODE documents every ``owl:Class`` of the graph it is given as a class of the ontology and every
``skos:ConceptScheme`` as an ontology of its own; so it is given our ontology's header and terms only,
with the other vocabularies' terms they refer to named but not declared.
"""

from __future__ import annotations

import contextlib
import gc
import html
import logging
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path

from rdflib import OWL, RDF, RDFS, BNode, Graph, Literal, URIRef
from rdflib.namespace import SKOS

from .concept_schemes import SchemePage, scheme_pages
from .errors import MissingDependencyError, ToolError
from .graph import KnowledgeGraph
from .namespaces import LT, ONTOLOGY_IRI
from .publish import refuse_unwritable_folder, write_files_atomically

#: What pyLODE's page says of a functional property, which it would otherwise list a second time.
FUNCTIONAL_NOTE = "Functional: a subject has at most one value of this property."


@dataclass(frozen=True)
class DocsReport:
    """What ``libertera-kg docs`` wrote: the folder and every file in it, the ontology's page first."""

    folder: Path
    files: tuple[Path, ...]

    def __str__(self) -> str:
        lines = [f"wrote {len(self.files)} files to {self.folder}:"]
        lines += [f"  {path.relative_to(self.folder)}" for path in self.files]
        return "\n".join(lines)


def write_ontology_docs(kg: KnowledgeGraph, out_dir: Path) -> DocsReport:
    """Write ``index.html`` (the ontology, by pyLODE, linking to the concept schemes), one page per concept
    scheme under ``schemes/``, and ``ontology.ttl`` into ``out_dir``, whole or not at all."""
    refuse_unwritable_folder(out_dir)
    schemes = scheme_pages(kg.ontology)
    title = str(kg.ontology.value(ONTOLOGY_IRI, URIRef("http://purl.org/dc/terms/title")) or "ontology")
    pages: dict[str, str | bytes] = {
        "index.html": _with_schemes(_pylode_html(ontology_terms(kg.ontology)), schemes),
        "ontology.ttl": kg.ontology.serialize(format="turtle"),
    }
    for scheme in schemes:
        pages[f"schemes/{scheme.file_name}"] = _scheme_html(scheme, schemes, title)
    return DocsReport(out_dir, tuple(write_files_atomically(out_dir, pages)))


def ontology_terms(ontology: Graph) -> Graph:
    """The graph pyLODE documents: the ontology's header and its own terms with their axioms, the other
    vocabularies' terms they refer to by label only, no concept scheme, and a functional property's
    functionality as a note (pyLODE would list it again under "Functional Properties")."""
    terms = Graph(bind_namespaces="core")

    def ours(node: object) -> bool:
        return node == ONTOLOGY_IRI or str(node).startswith(str(LT)) or isinstance(node, BNode)

    for subject, predicate, value in ontology:
        if not ours(subject):
            continue
        if predicate == RDF.type and value == OWL.FunctionalProperty:
            terms.add((subject, SKOS.note, Literal(FUNCTIONAL_NOTE, lang="en")))
        else:
            terms.add((subject, predicate, value))
    referred = {node for triple in terms for node in triple if isinstance(node, URIRef) and not ours(node)}
    for term in referred:
        for label_property in (RDFS.label, SKOS.prefLabel):
            for label in ontology.objects(term, label_property):
                terms.add((term, label_property, label))
    used = {str(node) for triple in terms for node in triple if isinstance(node, URIRef)}
    for prefix, namespace in ontology.namespaces():
        if any(iri.startswith(str(namespace)) for iri in used):
            terms.bind(prefix, namespace, override=True)
    return terms


def _with_schemes(page: str, schemes: list[SchemePage]) -> str:
    """pyLODE's page with a section listing the concept schemes, and its entry in the table of contents,
    before the namespaces."""
    section_marker, toc_marker = (
        '<div id="namespaces">',
        '<li>\n          <h4>\n            <a href="#namespaces">',
    )
    if section_marker not in page or toc_marker not in page:
        raise ToolError("pyLODE's page has no namespaces section to place the concept schemes before.")
    items = "\n".join(
        f'<dt><a href="schemes/{scheme.file_name}">{html.escape(scheme.title)}</a></dt>'
        f"<dd><code>{html.escape(scheme.iri)}</code><br>{html.escape(scheme.definition or '')}</dd>"
        for scheme in schemes
    )
    section = (
        '<div id="conceptschemes" class="section">\n<h2>Concept schemes</h2>\n'
        "<p>The controlled values of the ontology, each on a page of its own.</p>\n"
        f"<dl>\n{items}\n</dl>\n</div>\n"
    )
    entries = "".join(
        f'<li><a href="schemes/{scheme.file_name}">{html.escape(scheme.title)}</a></li>' for scheme in schemes
    )
    toc = (
        f'<li><h4><a href="#conceptschemes">Concept schemes</a></h4><ul class="second">{entries}</ul></li>\n'
    )
    page = page.replace(section_marker, section + section_marker, 1)
    return page.replace(toc_marker, toc + toc_marker, 1)


def _scheme_html(scheme: SchemePage, schemes: list[SchemePage], ontology_title: str) -> str:
    """A concept scheme's page, from ``templates/scheme.html``."""
    try:
        import jinja2
    except ImportError as exc:
        raise MissingDependencyError("jinja2", "docs", "Writing the concept schemes' pages") from exc
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(files("libertera_kg") / "templates")),
        autoescape=True,
        keep_trailing_newline=True,
    )
    template = environment.get_template("scheme.html")
    return template.render(scheme=scheme, schemes=schemes, ontology_title=ontology_title)


def _pylode_html(ontology: Graph) -> str:
    """Render the ontology with pyLODE, subjects sorted, keeping its logging and warnings to itself."""
    root = logging.getLogger()
    saved_handlers, saved_level = root.handlers[:], root.level
    # pyLODE configures the root logger at DEBUG level when imported; keep the user's terminal quiet.
    logging.disable(logging.INFO)
    try:
        try:
            from pylode import OntPub
        except ImportError as exc:
            raise MissingDependencyError("pylode", "docs", "Writing the ontology documentation") from exc
        # pyLODE leaves its stylesheet file open; collect it here so its ResourceWarning stays ours to hide.
        with warnings.catch_warnings(), _no_event_loop_made():
            warnings.simplefilter("ignore", ResourceWarning)
            try:
                page: str = OntPub(ontology=ontology, sort_subjects=True).make_html()
            except Exception as exc:  # pyLODE raises bare exceptions for graphs it cannot document
                raise ToolError(f"pyLODE could not document the ontology: {exc}") from exc
            finally:
                gc.collect()
    finally:
        logging.disable(logging.NOTSET)
        root.handlers[:] = saved_handlers
        root.setLevel(saved_level)
    return page


@contextlib.contextmanager
def _no_event_loop_made() -> Iterator[None]:
    """dominate (pyLODE's HTML library) asks ``asyncio.get_event_loop()`` for every tag, which on Python
    3.11 makes a loop in a thread that has none and leaves it open in the caller's process; it only wants
    to know whether a loop is running, which ``get_running_loop`` answers without making one."""
    import asyncio

    from dominate import dom_tag

    asked = dom_tag.get_event_loop
    dom_tag.get_event_loop = asyncio.get_running_loop
    try:
        yield
    finally:
        dom_tag.get_event_loop = asked

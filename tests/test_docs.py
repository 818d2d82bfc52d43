"""The ontology's documentation (``libertera-kg docs``): one ontology, ours, with its header, each of its
classes and properties once and in order, none of the other vocabularies' terms as its own, and each
concept scheme on a page of its own with every concept once."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from rdflib import OWL, RDF, RDFS, URIRef
from rdflib.namespace import SKOS

from libertera_kg import KnowledgeGraph
from libertera_kg.cli import main

OURS = "https://w3id.org/libertera/ontology#"
#: pyLODE's sections of terms, by the id of their ``div``.
TERM_SECTIONS = (
    "classes",
    "objectproperties",
    "datatypeproperties",
    "annotationproperties",
    "functionalproperties",
)


@pytest.fixture(scope="module")
def docs(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """The documentation as the command writes it, and what the command printed."""
    import contextlib
    import io

    out = tmp_path_factory.mktemp("docs") / "site"
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        assert main(["docs", "-o", str(out)]) == 0
    return out, printed.getvalue()


def _sections(page: str) -> dict[str, str]:
    """The HTML of each of pyLODE's sections, by id."""
    starts = [(m.start(), m.group(1)) for m in re.finditer(r'<div (?:class="section" )?id="(\w+)"', page)]
    return {
        name: page[start : (starts[i + 1][0] if i + 1 < len(starts) else len(page))]
        for i, (start, name) in enumerate(starts)
    }


def _documented_terms(section: str) -> list[str]:
    """The IRIs of the terms a section documents, in the page's order."""
    return re.findall(r"<th>IRI</th>\s*<td>\s*<code>([^<]+)</code>", section)


def _ours(kg: KnowledgeGraph, kind: URIRef) -> set[str]:
    return {str(t) for t in kg.ontology.subjects(RDF.type, kind) if str(t).startswith(OURS)}


def test_the_page_presents_one_ontology_ours_with_its_header(docs: tuple[Path, str]) -> None:
    page = (docs[0] / "index.html").read_text(encoding="utf-8")
    assert re.findall(r"<title>(.*?)</title>", page) == ["Libertera ontology"]
    assert re.findall(r"<h1>(.*?)</h1>", page) == ["Libertera ontology"]
    metadata = _sections(page)["metadata"]
    assert re.findall(r"<code>([^<]+)</code>", metadata)[0] == "https://w3id.org/libertera/ontology"
    assert "0.1.0" in metadata
    assert "https://creativecommons.org/licenses/by/4.0/" in metadata
    assert "w3id.org/libertera/concept/" not in metadata, (
        "a concept scheme's metadata stands as the ontology's"
    )


def test_each_class_and_property_of_ours_is_documented_once_in_order(
    kg: KnowledgeGraph, docs: tuple[Path, str]
) -> None:
    sections = _sections((docs[0] / "index.html").read_text(encoding="utf-8"))
    documented = {name: _documented_terms(sections.get(name, "")) for name in TERM_SECTIONS}
    everything = [iri for terms in documented.values() for iri in terms]
    assert len(everything) == len(set(everything)), "a term is documented twice"
    assert all(iri.startswith(OURS) for iri in everything), [i for i in everything if not i.startswith(OURS)]
    assert set(documented["classes"]) == _ours(kg, OWL.Class)
    properties = (
        _ours(kg, OWL.ObjectProperty) | _ours(kg, OWL.DatatypeProperty) | _ours(kg, OWL.AnnotationProperty)
    )
    assert set(everything) - set(documented["classes"]) == properties
    for name, terms in documented.items():
        labels = [str(kg.ontology.value(URIRef(iri), RDFS.label)).lower() for iri in terms]
        assert labels == sorted(labels), f"the {name} are not in order"


def test_the_concept_schemes_have_pages_of_their_own_with_every_concept_once(
    kg: KnowledgeGraph, docs: tuple[Path, str]
) -> None:
    folder = docs[0]
    page = (folder / "index.html").read_text(encoding="utf-8")
    schemes = sorted(str(s) for s in kg.ontology.subjects(RDF.type, SKOS.ConceptScheme))
    assert len(schemes) >= 10
    listed = re.findall(r'<a href="schemes/([\w-]+\.html)">', _sections(page)["conceptschemes"])
    assert sorted(listed) == sorted(s.rsplit("/", 1)[-1] + ".html" for s in schemes)
    for scheme in schemes:
        scheme_page = (folder / "schemes" / (scheme.rsplit("/", 1)[-1] + ".html")).read_text(encoding="utf-8")
        title = str(kg.ontology.value(URIRef(scheme), SKOS.prefLabel))
        assert re.findall(r"<h1>(.*?)</h1>", scheme_page) == [title[0].upper() + title[1:]]
        concepts = re.findall(
            r'<li class="concept" id="[^"]+">\s*<h3>.*?</h3>\s*<p class="iri"><code>([^<]+)', scheme_page
        )
        assert sorted(concepts) == sorted(str(c) for c in kg.ontology.subjects(SKOS.inScheme, URIRef(scheme)))


def test_the_offences_page_shows_the_iccs_codes_as_a_tree(docs: tuple[Path, str]) -> None:
    page = (docs[0] / "schemes" / "offence.html").read_text(encoding="utf-8")
    assert '<span class="code" title="code (skos:notation)">0204</span> trafficking in persons' in page
    trafficking = page.split('id="trafficking-in-persons"')[1].split('id="sexual-exploitation"')[0]
    assert 'id="trafficking-for-sexual-exploitation"' in trafficking, "narrower concepts sit under broader"


def test_the_command_says_every_file_it_wrote(docs: tuple[Path, str]) -> None:
    folder, printed = docs
    on_disk = sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file())
    lines = printed.splitlines()
    assert lines[0] == f"wrote {len(on_disk)} files to {folder}:"
    assert sorted(line.strip() for line in lines[1:]) == on_disk
    assert (folder / "ontology.ttl").stat().st_size > 10_000


def test_writing_the_docs_leaves_no_event_loop_behind(tmp_path: Path) -> None:
    """pyLODE's HTML library made an asyncio loop for the caller's thread and left it open: the next
    asyncio.run (which replaces the thread's loop) turned it into an unclosed-loop ResourceWarning."""
    import asyncio
    import gc
    import warnings

    assert main(["docs", "-o", str(tmp_path / "docs")]) == 0
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ResourceWarning)
        asyncio.run(asyncio.sleep(0))
        gc.collect()
    assert not [w for w in caught if "event loop" in str(w.message)]

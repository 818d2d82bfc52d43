"""Turn authored source files into published RDF: facts, claims and exact quote selectors.

Data files are written as TriG in which every named graph holds the facts one piece of evidence supports:

- a **quote graph** is named after a quote whose words the default graph gives with ``oa:exact`` (plus an
  ``oa:prefix`` or ``oa:suffix`` hint only where the words occur more than once in the source text);
- a **source graph** is named after a reference source (an ``lt:Source`` of the default graph, such as
  Wikidata) whose facts carry no quote.

:func:`compile_source_file` finds each quote in the source text, gives it a Web Annotation text-quote
selector (exact, prefix, suffix) and text-position selector (0-based, end exclusive), and attributes every
fact to its source: a fact about a statement (a figure, finding, assessment, quotation …) is attached to the
statement itself with ``lt:statedIn`` and ``lt:evidence``; any other fact gets an ``lt:Claim`` whose IRI is
a hash of the fact and its source, so the same input always gives the same output.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from importlib.resources.abc import Traversable
from pathlib import Path

from rdflib import RDF, RDFS, XSD, BNode, Dataset, Graph, Literal, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.term import Node

from .errors import DataFileError
from .namespaces import ID, LT, OA, SCHEMA

#: Characters of context kept on each side of a quote in its text-quote selector.
CONTEXT_CHARS = 32

_QUOTE_HINTS = (OA.exact, OA.prefix, OA.suffix)


class SourceTexts:
    """Where the texts of sources are read: those given by source IRI, then, for a source
    ``id/source/<name>``, the file ``<name>.txt`` in ``folder`` (read once, when a quote needs it)."""

    def __init__(self, known: Mapping[URIRef, str] = {}, *, folder: Path | Traversable | None = None):
        self._known = dict(known)
        self.folder = folder

    def expected_file(self, source: URIRef) -> str | None:
        """The file the text of ``source`` is read from when none was given, or ``None``."""
        name = str(source).removeprefix(str(ID["source/"]))
        if self.folder is None or name == str(source) or not name or "/" in name:
            return None
        return str(self.folder / f"{name}.txt")

    def get(self, source: URIRef) -> str | None:
        """The text of ``source``, or ``None`` when there is none."""
        if source in self._known:
            return self._known[source]
        where = self.expected_file(source)
        if where is None or self.folder is None:
            return None
        item = self.folder / f"{str(source).removeprefix(str(ID['source/']))}.txt"
        if not item.is_file():
            return None
        try:
            text = item.read_bytes().decode("utf-8")
        except UnicodeDecodeError as exc:
            line = exc.object[: exc.start].count(b"\n") + 1
            raise DataFileError(where, "the source text is not valid UTF-8", line=line) from exc
        except OSError as exc:
            raise DataFileError(where, f"the source text cannot be read ({exc.strerror})") from exc
        self._known[source] = text
        return text


def is_authored(parsed: Dataset) -> bool:
    """Whether a parsed TriG file is in the authored form of ``data/`` (see above): its default graph gives
    quotes' words (``oa:exact``) or describes a source. A published TriG (its facts in graphs named
    ``graph/…``, an empty default graph) is not, whatever the file is called."""
    default = parsed.graph(DATASET_DEFAULT_GRAPH_ID)
    if (None, OA.exact, None) in default:
        return True
    return any(isinstance(s, URIRef) and _is_source(default, s) for s in default.subjects(RDF.type, None))


@dataclass(frozen=True)
class QuoteSpan:
    """Where a quote sits in its source text: offsets (0-based, end exclusive) and its context."""

    start: int
    end: int
    prefix: str
    suffix: str


def locate_quote(text: str, exact: str, *, prefix_hint: str = "", suffix_hint: str = "") -> list[QuoteSpan]:
    """Every place ``exact`` occurs in ``text`` that the hints allow (the hints must touch the quote).

    >>> [(s.start, s.end) for s in locate_quote("a b a b", "b")]
    [(2, 3), (6, 7)]
    >>> [s.start for s in locate_quote("a b a b", "b", suffix_hint=" a")]
    [2]
    """
    spans: list[QuoteSpan] = []
    start = text.find(exact)
    while start != -1 and exact:
        end = start + len(exact)
        before, after = text[:start], text[end:]
        if before.endswith(prefix_hint) and after.startswith(suffix_hint):
            spans.append(
                QuoteSpan(start, end, before[-CONTEXT_CHARS:], after[:CONTEXT_CHARS]),
            )
        start = text.find(exact, start + 1)
    return spans


def claim_iri(subject: Node, predicate: Node, obj: Node, source: URIRef) -> URIRef:
    """A stable IRI for the claim that ``source`` states one fact, derived from the fact and the source."""
    key = " ".join(term.n3() for term in (subject, predicate, obj, source))
    return ID[f"claim/{hashlib.sha256(key.encode('utf-8')).hexdigest()[:20]}"]


def _literal_text(graph: Graph, subject: URIRef, predicate: URIRef) -> str:
    value = graph.value(subject, predicate)
    return str(value) if isinstance(value, Literal) else ""


def _no_blank_nodes(graph: Graph, where: str) -> None:
    for triple in graph:
        if any(isinstance(term, BNode) for term in triple):
            subject = triple[0] if not isinstance(triple[0], BNode) else triple[2]
            raise DataFileError(
                where,
                f"blank node near {subject.n3()}: give every node an IRI, so that published files keep "
                "stable names from one build to the next",
            )


def compile_source_file(
    authored: Dataset,
    *,
    path: str,
    into: Graph,
    texts: SourceTexts | Mapping[URIRef, str],
    statement_classes: frozenset[URIRef],
) -> None:
    """Compile one authored TriG file (already parsed into ``authored``) into the graph it publishes,
    ``into`` (written in place: copying a compiled graph costs as much as compiling it).

    ``texts`` gives the full text of a source (a mapping by source IRI, or :class:`SourceTexts`);
    ``statement_classes`` are the classes whose members are statements in their own right
    (``lt:SourcedStatement`` and its subclasses).
    """
    if not isinstance(texts, SourceTexts):
        texts = SourceTexts(texts)
    default = authored.graph(DATASET_DEFAULT_GRAPH_ID)
    _no_blank_nodes(default, path)
    out = into
    for prefix, namespace in authored.namespaces():
        out.bind(prefix, namespace, override=False)

    quotes = {s for s in default.subjects(OA.exact, None) if isinstance(s, URIRef)}
    sources = {
        s for s in default.subjects(RDF.type, None) if isinstance(s, URIRef) and _is_source(default, s)
    }
    found_texts = {s: text for s in sorted(sources) if (text := texts.get(s)) is not None}
    text_sources = sorted(found_texts)

    # The default graph describes sources and quotes; the quote hints become proper selectors below.
    for triple in default:
        if not (triple[0] in quotes and triple[1] in _QUOTE_HINTS):
            out.add(triple)
    for source in text_sources:
        out.add((source, SCHEMA.text, Literal(found_texts[source])))

    if quotes and len(text_sources) != 1:
        raise DataFileError(path, _missing_text(sources, text_sources, texts))
    for quote_iri in sorted(quotes):
        _add_quote(out, default, quote_iri, text_sources[0], found_texts[text_sources[0]], path)

    typed: dict[Node, set[Node]] = {}
    for graph in authored.graphs():
        for subject, cls in graph.subject_objects(RDF.type):
            typed.setdefault(subject, set()).add(cls)

    named = sorted(
        (g for g in authored.graphs() if g.identifier != DATASET_DEFAULT_GRAPH_ID),
        key=lambda g: str(g.identifier),
    )
    for graph in named:
        _no_blank_nodes(graph, path)
        evidence = URIRef(graph.identifier)
        quote: URIRef | None
        if evidence in quotes:
            source, quote = text_sources[0], evidence
        elif evidence in sources:
            source, quote = evidence, None
        else:
            raise DataFileError(
                path,
                f"the graph {evidence.n3()} is neither a quote (no oa:exact for it in the default graph) "
                "nor a source described in the default graph",
            )
        for subject, predicate, obj in sorted(graph):
            out.add((subject, predicate, obj))
            if typed.get(subject, set()) & statement_classes:
                out.add((subject, LT.statedIn, source))
                if quote is not None:
                    out.add((subject, LT.evidence, quote))
                continue
            claim = claim_iri(subject, predicate, obj, source)
            out.add((claim, RDF.type, LT.Claim))
            out.add((claim, LT.claimSubject, subject))
            out.add((claim, LT.claimProperty, predicate))
            out.add((claim, LT.claimValue if isinstance(obj, Literal) else LT.claimObject, obj))
            out.add((claim, LT.statedIn, source))
            if quote is not None:
                out.add((claim, LT.evidence, quote))


def _missing_text(sources: set[URIRef], text_sources: list[URIRef], texts: SourceTexts) -> str:
    """Why the quotes of a file have no text to point into, and where the text is looked for."""
    if len(text_sources) > 1:
        found = ", ".join(s.n3() for s in text_sources)
        return f"its quotes need exactly one source with a text, and {len(text_sources)} have one ({found})"
    lacking = [s for s in sorted(sources) if s not in text_sources]
    if not lacking:
        return (
            "its quotes need their source: describe it in the default graph as an lt:NewsArticle (or "
            "another lt:Source) with the IRI https://w3id.org/libertera/id/source/<name>, and put its text "
            "in source/<name>.txt beside this file"
        )
    wheres = []
    for source in lacking:
        where = texts.expected_file(source)
        wheres.append(
            f"for {source.n3()}, looked for {where}"
            if where
            else f"{source.n3()} is not named https://w3id.org/libertera/id/source/<name>, so no file is read"
        )
    return "its quotes need the text of their source, and none was found: " + "; ".join(wheres)


def _is_source(default: Graph, node: URIRef) -> bool:
    return any(
        cls in (LT.Source, LT.NewsArticle, LT.PressRelease, LT.ReferenceSource)
        for cls in default.objects(node, RDF.type)
    )


def _add_quote(out: Graph, default: Graph, quote: URIRef, source: URIRef, text: str, path: str) -> None:
    exact = _literal_text(default, quote, OA.exact)
    prefix_hint = _literal_text(default, quote, OA.prefix)
    suffix_hint = _literal_text(default, quote, OA.suffix)
    spans = locate_quote(text, exact, prefix_hint=prefix_hint, suffix_hint=suffix_hint)
    if not spans:
        raise DataFileError(path, f"the quote {quote.n3()} ({exact!r}) is not in the text of {source.n3()}")
    if len(spans) > 1:
        raise DataFileError(
            path,
            f"the quote {quote.n3()} ({exact!r}) occurs {len(spans)} times in the text of {source.n3()}; "
            "add an oa:prefix or oa:suffix with the words just before or after the one you mean",
        )
    span = spans[0]
    text_quote = URIRef(f"{quote}#text-quote")
    text_position = URIRef(f"{quote}#text-position")
    out.add((quote, RDF.type, OA.SpecificResource))
    out.add((quote, OA.hasSource, source))
    out.add((quote, OA.hasSelector, text_quote))
    out.add((quote, OA.hasSelector, text_position))
    out.add((text_quote, RDF.type, OA.TextQuoteSelector))
    out.add((text_quote, OA.exact, Literal(exact)))
    out.add((text_quote, OA.prefix, Literal(span.prefix)))
    out.add((text_quote, OA.suffix, Literal(span.suffix)))
    out.add((text_position, RDF.type, OA.TextPositionSelector))
    out.add((text_position, OA.start, Literal(span.start, datatype=XSD.nonNegativeInteger)))
    out.add((text_position, OA.end, Literal(span.end, datatype=XSD.nonNegativeInteger)))


def statement_classes(ontology: Graph) -> frozenset[URIRef]:
    """``lt:SourcedStatement`` and every class below it in the ontology."""
    found = {LT.SourcedStatement}
    frontier = [LT.SourcedStatement]
    while frontier:
        parent = frontier.pop()
        for child in ontology.subjects(RDFS.subClassOf, parent):
            if isinstance(child, URIRef) and child not in found:
                found.add(child)
                frontier.append(child)
    return frozenset(found)

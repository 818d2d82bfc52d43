"""Untrusted input, screened before any parser or engine sees it: one mechanism for every command.

An RDF file passes :func:`screen_rdf_file` before rdflib or Oxigraph parses it, on every path (loading in
memory, ``validate``, ``check``, ``build``, ``--data``, ``load`` into a store on disk). The screen reads the
file once, in chunks, in constant memory, and refuses, naming the file and line:

- a missing file, a folder, an unreadable or empty file;
- bytes that are not UTF-8 text (a binary file, UTF-16, a broken multi-byte sequence);
- a file whose content is plainly another format than its extension says (RDF/XML or JSON in a ``.ttl``);
- in XML, any document type or entity declaration (``<!DOCTYPE``, ``<!ENTITY``): RDF/XML needs neither,
  and nested entities expand a small file into gigabytes ("billion laughs") inside Oxigraph's parser;
- in the line-based formats, a line longer than :data:`MAX_LINE_BYTES`;
- in JSON-LD, an ``@context`` that names a document elsewhere: contexts are never fetched.

Queries pass :func:`screen_query` before any store runs them, read by their tokens, not by an engine's
parser: updates are refused, and so are queries nested deeper than engines survive and a ``SERVICE``
whose IRI does not start with an allowed prefix (the server's ``--allow-service``, the command line's),
on every store.
"""

from __future__ import annotations

import codecs
import contextlib
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import IO

from .errors import DataFileError, QueryError, QueryRefusedError, ReadOnlyError
from .inspection import inspect_query
from .query_text import QueryText, UnreadableQueryError, read_query_text

#: The longest line a Turtle, TriG, N-Triples or N-Quads file may have: no honest line comes near it,
#: and a parser holds a whole line in memory.
MAX_LINE_BYTES = 16 * 1024 * 1024

_CHUNK_BYTES = 1024 * 1024


@dataclass(frozen=True)
class RdfFileFormat:
    """One RDF syntax we read: its name for people, rdflib's and Oxigraph's names, and its nature."""

    name: str
    rdflib: str
    oxigraph: str
    #: Whether its files name their graphs (TriG, N-Quads, JSON-LD).
    quads: bool
    #: Whether a parser reads it line by line (so that a line's length is bounded).
    line_based: bool
    kind: str  # "text", "xml" or "json": what its content starts like


#: The formats read, by file suffix.
RDF_FORMATS = {
    ".ttl": RdfFileFormat("Turtle", "turtle", "TURTLE", quads=False, line_based=True, kind="text"),
    ".trig": RdfFileFormat("TriG", "trig", "TRIG", quads=True, line_based=True, kind="text"),
    ".nt": RdfFileFormat("N-Triples", "nt", "N_TRIPLES", quads=False, line_based=True, kind="text"),
    ".nq": RdfFileFormat("N-Quads", "nquads", "N_QUADS", quads=True, line_based=True, kind="text"),
    ".jsonld": RdfFileFormat("JSON-LD", "json-ld", "JSON_LD", quads=True, line_based=False, kind="json"),
    ".rdf": RdfFileFormat("RDF/XML", "xml", "RDF_XML", quads=False, line_based=False, kind="xml"),
    ".owl": RdfFileFormat("RDF/XML", "xml", "RDF_XML", quads=False, line_based=False, kind="xml"),
}


def rdf_file_format(path: Path | Traversable) -> RdfFileFormat:
    """The format a file's suffix names; an unknown suffix is refused, listing those read."""
    suffix = Path(path.name).suffix.lower()
    try:
        return RDF_FORMATS[suffix]
    except KeyError:
        known = ", ".join(RDF_FORMATS)
        raise DataFileError(str(path), f"unknown RDF file type '{suffix}'; use one of: {known}") from None


def screen_rdf_file(path: Path | Traversable) -> RdfFileFormat:
    """Refuse ``path`` unless it is a readable, non-empty UTF-8 file in the format its suffix names and
    free of what a parser must never see (see the module's documentation); its format otherwise."""
    if path.is_dir():
        raise DataFileError(str(path), "this is a folder, not an RDF file; give the RDF files in it")
    fmt = rdf_file_format(path)
    with _reading(path):
        with path.open("rb") as stream:
            _Screen(path, fmt).read(stream)
        if fmt.kind == "json":
            refuse_remote_contexts(path, read_utf8(path))
    return fmt


def read_utf8(path: Path | Traversable) -> str:
    """The text of a UTF-8 file (an RDF file that passed the screen, or a source text); a file that is
    missing, a folder, unreadable or not UTF-8 is refused naming it (and the line of a bad byte)."""
    with _reading(path):
        data = path.read_bytes()
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise DataFileError(str(path), "the file is not valid UTF-8", line=line) from None


@contextlib.contextmanager
def _reading(path: Path | Traversable) -> Iterator[None]:
    """The operating system's refusals to read ``path``, said as an error naming it."""
    try:
        yield
    except FileNotFoundError:
        raise DataFileError(str(path), "the file does not exist") from None
    except IsADirectoryError:
        raise DataFileError(str(path), "this is a folder, not a file") from None
    except OSError as exc:
        raise DataFileError(str(path), f"the file cannot be read ({exc.strerror or exc})") from None


#: What the first bytes of content say a file holds, when they say it plainly.
_LOOKS_XML = re.compile(rb"<\?xml|<!DOCTYPE|<!--|<rdf:RDF", re.IGNORECASE)
_LOOKS_TURTLE = re.compile(rb"@prefix|@base|prefix\s|base\s", re.IGNORECASE)
_FORBIDDEN_IN_XML = (b"<!doctype", b"<!entity")
_BYTE_ORDER_MARKS = {
    codecs.BOM_UTF32_LE: "UTF-32",
    codecs.BOM_UTF32_BE: "UTF-32",
    codecs.BOM_UTF16_LE: "UTF-16",
    codecs.BOM_UTF16_BE: "UTF-16",
}


class _Screen:
    """One pass over a file's bytes, chunk by chunk, keeping only what the checks need."""

    def __init__(self, path: Path | Traversable, fmt: RdfFileFormat):
        self.path = path
        self.fmt = fmt
        self.decoder = codecs.getincrementaldecoder("utf-8")()
        self.lines_before = 0  # newlines in the chunks already read
        self.line_length = 0  # bytes since the last newline
        self.content = b""  # the first bytes after leading white space, once seen
        self.xml = fmt.kind == "xml"
        self.tail = b""  # the end of the last chunk, for a declaration split between two chunks

    def refuse(self, reason: str, line: int | None = None) -> DataFileError:
        return DataFileError(str(self.path), reason, line=line)

    def read(self, stream: IO[bytes]) -> None:
        first = True
        while chunk := stream.read(_CHUNK_BYTES):
            if first:
                chunk = self.opening(chunk)
                first = False
            self.check_chunk(chunk)
            self.lines_before += chunk.count(b"\n")
        try:
            self.decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            raise self.refuse("the file is not valid UTF-8: it ends inside a character") from None
        if not self.content:
            raise self.refuse("the file is empty; it holds no RDF")

    def opening(self, chunk: bytes) -> bytes:
        """The first chunk without its UTF-8 byte order mark; a UTF-16 or UTF-32 file is refused."""
        for mark, encoding in _BYTE_ORDER_MARKS.items():
            if chunk.startswith(mark):
                raise self.refuse(f"the file is {encoding} text; RDF files here must be UTF-8")
        return chunk.removeprefix(codecs.BOM_UTF8)

    def check_chunk(self, chunk: bytes) -> None:
        if (nul := chunk.find(b"\0")) >= 0:
            line = self.lines_before + chunk.count(b"\n", 0, nul) + 1
            raise self.refuse("the file holds binary data (NUL bytes), not RDF text", line)
        try:
            self.decoder.decode(chunk)
        except UnicodeDecodeError as exc:
            line = self.lines_before + chunk.count(b"\n", 0, max(0, exc.start)) + 1
            raise self.refuse("the file is not valid UTF-8", line) from None
        if not self.content and (stripped := chunk.lstrip()):
            self.content = stripped[:64]
            self.check_kind()
        if self.fmt.line_based:
            self.check_line_lengths(chunk)
        if self.xml:
            self.check_declarations(chunk)

    def check_kind(self) -> None:
        """Refuse a file whose first content is plainly another format than its suffix names."""
        looks = (
            "xml"
            if _LOOKS_XML.match(self.content)
            else "json"
            if self.content[:1] in (b"{", b"[")
            else "text"
        )
        if looks == "xml":
            self.xml = True
        if looks == self.fmt.kind:
            if self.fmt.rdflib in ("nt", "nquads") and _LOOKS_TURTLE.match(self.content):
                raise self.refuse(
                    f"the file starts with a prefix or base declaration, which {self.fmt.name} has not: it "
                    "looks like Turtle or TriG (name it .ttl or .trig)",
                    line=1 + self.lines_before,
                )
            return
        held = {"xml": "XML (RDF/XML?)", "json": "JSON (JSON-LD?)", "text": "text, not markup"}[looks]
        names = {"xml": ".rdf", "json": ".jsonld", "text": ".ttl, .trig, .nt or .nq"}[looks]
        raise self.refuse(
            f"the file holds {held}, not the {self.fmt.name} its name says; give it the extension of what "
            f"it holds ({names})"
        )

    def check_line_lengths(self, chunk: bytes) -> None:
        """Lines inside a chunk are shorter than the chunk; only a line running across chunks can be long."""
        first_newline = chunk.find(b"\n")
        if first_newline < 0:
            self.line_length += len(chunk)
        else:
            self.line_length += first_newline
        if self.line_length > MAX_LINE_BYTES:
            raise self.refuse(
                f"the line is longer than {MAX_LINE_BYTES // (1024 * 1024)} MiB, more than any RDF "
                f"statement needs; {self.fmt.name} files are read line by line",
                line=self.lines_before + 1,
            )
        if first_newline >= 0:
            self.line_length = len(chunk) - chunk.rfind(b"\n") - 1

    def check_declarations(self, chunk: bytes) -> None:
        window = (self.tail + chunk).lower()
        for forbidden in _FORBIDDEN_IN_XML:
            if (found := window.find(forbidden)) >= 0:
                line = self.lines_before - self.tail.count(b"\n") + window.count(b"\n", 0, found) + 1
                raise self.refuse(
                    "the XML declares a document type or entities (<!DOCTYPE or <!ENTITY), which RDF/XML "
                    "does not need and which are never expanded here (entity expansion can turn a small "
                    "file into gigabytes); remove the declaration and write the IRIs out in full",
                    line,
                )
        self.tail = chunk[-16:]


def refuse_remote_contexts(path: Path | Traversable, text: str) -> None:
    """Refuse a JSON-LD file whose ``@context`` names a document elsewhere: it is never fetched."""
    try:
        document = json.loads(text)
    except ValueError as exc:
        line = getattr(exc, "lineno", None)
        reason = getattr(exc, "msg", None) or str(exc)
        raise DataFileError(str(path), f"not valid JSON: {reason}", line=line) from None
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


#: How deeply a query may nest groups, parentheses and brackets, and how many ``UNION``, ``MINUS``,
#: ``OPTIONAL`` and operators it may chain: each adds a level to an engine's recursion, and pyoxigraph's
#: stack overflows (the process dies) near 2,300 nested groups or 4,000 chained MINUS clauses.
MAX_QUERY_DEPTH = 1_000
MAX_QUERY_CHAIN = 2_000


def screen_query(
    text: str, *, allowed_services: tuple[str, ...] = (), base_iri: str | None = None
) -> QueryText | None:
    """Refuse an update, a query nested or chained past what engines survive, and a ``SERVICE`` outside
    ``allowed_services`` (IRI prefixes), whichever store runs it; the query's tokens read
    (:mod:`~libertera_kg.query_text`), or ``None`` when they cannot be (the engine then says why).

    A text whose tokens cannot be read, but that names a SERVICE, is refused too: what cannot be checked
    does not go out.
    """
    try:
        query = read_query_text(text, base_iri)
    except UnreadableQueryError:
        if re.search(r"\bSERVICE\b", text, re.IGNORECASE):
            raise QueryRefusedError(
                "The query mentions SERVICE, and libertera_kg cannot read the query to check which service "
                "it calls, so it is not run."
            ) from None
        return None
    if query.is_update:
        raise ReadOnlyError(
            "This is a SPARQL update (INSERT, DELETE, LOAD, CLEAR, CREATE, DROP, COPY, MOVE or ADD); "
            "the data here is read-only and only queries are accepted."
        )
    if query.depth > MAX_QUERY_DEPTH or query.chained > MAX_QUERY_CHAIN:
        raise QueryRefusedError(
            f"The query nests {query.depth:,} levels deep and chains {query.chained:,} UNION, MINUS, "
            f"OPTIONAL and operators; at most {MAX_QUERY_DEPTH:,} and {MAX_QUERY_CHAIN:,} are run, since "
            "deeper queries overflow the engines' stack. Split it into several queries."
        )
    for service in query.services:
        if not service or service.startswith("?") or not service.startswith(allowed_services or ("\0",)):
            allowed = ", ".join(allowed_services) or "none"
            called = service if service.startswith("?") else f"<{service}>" if service else "(unknown)"
            raise QueryRefusedError(
                f"The query calls SERVICE {called}, which is not allowed here (allowed IRI prefixes: "
                f"{allowed}; --allow-service PREFIX allows more)."
            )
    return query


def refuse_misread_services(text: str) -> None:
    """Refuse a query whose SERVICE clause rdflib's engine would read as a call to another address (it
    matches a pattern against the clause's text, where a literal or a comment can stand)."""
    try:
        misread = inspect_query(text).misread_services
    except ReadOnlyError:
        raise
    except QueryError:  # rdflib cannot read it, so its engine will not run it either
        return
    if misread:
        raise QueryRefusedError(
            f"The query's SERVICE <{misread[0]}> clause holds text (a literal, a comment) that rdflib's "
            "engine would read as a call to another address; it is not run. Move that text out of the "
            "SERVICE clause."
        )

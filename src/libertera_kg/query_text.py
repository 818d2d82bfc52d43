"""What a SPARQL query's text says, read from its tokens alone, the same for every engine.

The screen that guards every store reads queries here rather than with an engine's parser: rdflib's
parser refuses valid queries (a ``#`` inside an IRI before a SERVICE clause, more than about 35 nested
groups), and a check must not depend on the engine it protects. The tokens are SPARQL 1.1's terminals
(IRIs, the four kinds of strings, comments, variables, prefixed names), so a ``SERVICE`` inside a literal,
a comment or an IRI is no ``SERVICE``; the keywords around them give the query's form, its ``FROM``
graphs, the services it calls (resolved as the engine resolves them) and how deeply it nests.

>>> text = read_query_text('PREFIX ex: <http://x/#> SELECT * FROM ex:g { SERVICE ex:s { ?s "SERVICE" ?o } }')
>>> text.form, text.default_graphs, text.services, text.select_star
('SELECT', ('http://x/#g',), ('http://x/#s',), True)
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import urljoin

_TOKEN = re.compile(
    r"""
    (?P<space>\s+)
  | (?P<comment>\#[^\r\n]*)
  | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
  | (?P<string>\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"|'''(?:[^'\\]|\\.|'(?!''))*'''
               |"(?:[^"\\\r\n]|\\.)*"|'(?:[^'\\\r\n]|\\.)*')
  | (?P<variable>[?$][\w\u00b7\u0300-\u036f\u203f-\u2040]+)
  | (?P<blank>_:[\w.\-\u00b7]*)
  | (?P<pname>(?:[^\W\d_][\w.\-\u00b7]*)?:(?:[\w\-.:%\u00b7]|\\[_~.\-!$&'()*+,;=/?\#@%])*)
  | (?P<lang>@[A-Za-z]+(?:-[A-Za-z0-9]+)*)
  | (?P<number>(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)
  | (?P<word>[^\W\d][\w]*)
  | (?P<operator>\|\||&&|!=|<=|>=|\^\^|[-+*/=<>!|^?])
  | (?P<open>[{(\[])
  | (?P<close>[})\]])
  | (?P<punctuation>[.,;])
    """,
    re.VERBOSE,
)

#: Keywords that open a query, and those that open an update (which a read-only store refuses).
_FORMS = frozenset({"SELECT", "ASK", "CONSTRUCT", "DESCRIBE"})
_UPDATES = frozenset({"INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH"})
#: Tokens that each add a level to an engine's algebra when chained (``A UNION B UNION C``, ``1 + 2 + 3``).
_CHAINING = frozenset({"UNION", "MINUS", "OPTIONAL", "||", "&&", "=", "!=", "<", ">", "<=", ">=", "+", "-"})


class UnreadableQueryError(ValueError):
    """The text holds something that is no SPARQL token (an unclosed string, a stray character)."""


@dataclass(frozen=True)
class QueryText:
    """What a query's tokens say it is and reaches for, before any engine reads it."""

    #: ``SELECT``, ``ASK``, ``CONSTRUCT`` or ``DESCRIBE``; an update keyword (``INSERT``, ``LOAD``, …) for
    #: an update, and ``""`` when no form keyword opens the text.
    form: str
    #: The graphs its ``FROM`` and ``FROM NAMED`` clauses name.
    default_graphs: tuple[str, ...]
    named_graphs: tuple[str, ...]
    #: The ``SERVICE`` IRIs it calls, resolved; a variable service is written ``?name``.
    services: tuple[str, ...]
    select_star: bool
    #: The deepest nesting of braces, parentheses and brackets, and the count of chaining keywords and
    #: operators: what makes an engine recurse.
    depth: int
    chained: int

    @property
    def is_update(self) -> bool:
        """Whether the text is a SPARQL update rather than a query."""
        return self.form in _UPDATES


@lru_cache(maxsize=1024)
def read_query_text(text: str, base_iri: str | None = None) -> QueryText:
    """The :class:`QueryText` of ``text``, its relative IRIs resolved against ``base_iri`` (or the
    query's ``BASE``); raises :class:`UnreadableQueryError` where a character starts no token."""
    tokens = _tokens(text)
    base, prefixes = base_iri or "", {}
    form, select_star = "", False
    default_graphs: list[str] = []
    named_graphs: list[str] = []
    services: list[str] = []
    depth = deepest = chained = 0
    for index, (kind, value) in enumerate(tokens):
        word = value.upper() if kind == "word" else value
        following = tokens[index + 1 : index + 4]
        if kind == "open":
            depth += 1
            deepest = max(deepest, depth)
        elif kind == "close":
            depth -= 1
        elif word in _CHAINING and kind in ("word", "operator"):
            chained += 1
        if kind != "word":
            continue
        if word == "BASE" and following[:1] and following[0][0] == "iri":
            base = _resolve(following[0][1], base)
        elif word == "PREFIX" and len(following) >= 2 and following[1][0] == "iri":
            prefixes[following[0][1].rstrip(":")] = _resolve(following[1][1], base)
        elif not form and (word in _FORMS or word in _UPDATES):
            form = word
            modifiers = [v.upper() for k, v in following if k == "word"][:1]
            star_at = 1 if modifiers and modifiers[0] in ("DISTINCT", "REDUCED") else 0
            select_star = word == "SELECT" and len(following) > star_at and following[star_at][1] == "*"
        elif word == "FROM":
            named = bool(following) and following[0][0] == "word" and following[0][1].upper() == "NAMED"
            target = following[1 if named else 0 : 2 if named else 1]
            iri = _term(target[0], base, prefixes) if target else ""
            if iri:  # an unknown prefix: the engine says so
                (named_graphs if named else default_graphs).append(iri)
        elif word == "SERVICE":
            silent = bool(following) and following[0][0] == "word" and following[0][1].upper() == "SILENT"
            target = following[1 if silent else 0 : 2 if silent else 1]
            services.append(_term(target[0], base, prefixes) if target else "")
    return QueryText(
        form=form,
        default_graphs=tuple(default_graphs),
        named_graphs=tuple(named_graphs),
        services=tuple(dict.fromkeys(services)),
        select_star=select_star,
        depth=deepest,
        chained=chained,
    )


def _tokens(text: str) -> list[tuple[str, str]]:
    """``text`` as (kind, value) pairs, spaces and comments left out."""
    tokens = []
    position = 0
    while position < len(text):
        match = _TOKEN.match(text, position)
        if match is None or match.lastgroup is None:
            line = text.count("\n", 0, position) + 1
            snippet = text[position : position + 20]
            raise UnreadableQueryError(f"no SPARQL token starts at line {line}: {snippet!r}")
        if match.lastgroup not in ("space", "comment"):
            tokens.append((match.lastgroup, match.group()))
        position = match.end()
    return tokens


def _term(token: tuple[str, str], base: str, prefixes: dict[str, str]) -> str:
    """The IRI an IRI or prefixed-name token stands for (``?name`` for a variable, ``""`` when unknown)."""
    kind, value = token
    if kind == "iri":
        return _resolve(value, base)
    if kind == "variable":
        return f"?{value[1:]}"
    if kind == "pname":
        prefix, _, local = value.partition(":")
        if prefix in prefixes:
            return prefixes[prefix] + re.sub(r"\\(.)", r"\1", local.rstrip("."))
    return ""


def _resolve(iri_token: str, base: str) -> str:
    """The IRI of an ``<…>`` token, resolved against ``base`` when relative (RFC 3986, as engines do)."""
    iri = iri_token[1:-1]
    if re.match(r"[A-Za-z][A-Za-z0-9+.\-]*:", iri) or not base:
        return iri
    return urljoin(base, iri)

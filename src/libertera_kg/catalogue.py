"""The catalogue of canned SPARQL queries in ``queries/``: their grlc headers, parameters and checks.

A query file opens with ``#+ key: value`` lines that together form a YAML document (the grlc decorator
convention). Parameters are variables named as grlc names them: ``?_name`` (required) or ``?__name``
(optional), followed by the type: ``_iri``, ``_integer``, ``_xsd_date``, a language tag such as ``_en``, or
nothing for a plain string. The ``parameters`` header key documents each one; grlc ignores that key.

>>> query = get_query("cases-by-country")
>>> [(p.name, p.kind, p.required) for p in query.parameters]
[('country', 'country-code', False)]
>>> query.bind({"country": "br"})
{'__country': rdflib.term.Literal('BR')}
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from importlib.resources.abc import Traversable
from typing import Any, Protocol, TypeVar

import yaml
from rdflib import Literal, URIRef
from rdflib.term import Node

from . import resources
from .errors import DataFileError, QueryError, QueryParameterError, UnknownNameError
from .namespaces import DATA_PREFIXES, PREFIXES

#: Header keys of the grlc convention, plus ``parameters`` (ours), which documents each parameter.
HEADER_KEYS = frozenset(
    {
        "summary",
        "description",
        "tags",
        "defaults",
        "enumerate",
        "endpoint",
        "method",
        "pagination",
        "parameters",
    }
)

_PARAMETER_VARIABLE = re.compile(r"[?$](__?[A-Za-z][A-Za-z0-9]*(?:_[A-Za-z0-9]+)*)\b")
_COUNTRY_CODE = re.compile(r"[A-Z]{2}")
_LANGUAGE_TAG = re.compile(r"[a-z]{2,3}")
# An absolute IRI as SPARQL accepts it between angle brackets, in a scheme people pass as a parameter.
_ABSOLUTE_IRI = re.compile(r"(?:https?://|urn:|tag:)[^\s<>\"{}|\\^`]+")
#: The prefixed names a parameter may use: our vocabularies' and the data's (``country:BR``).
PARAMETER_PREFIXES = {**PREFIXES, **DATA_PREFIXES}


@dataclass(frozen=True)
class Parameter:
    """One parameter of a canned query: its user-facing name, the variable it binds, its kind and docs."""

    name: str
    variable: str
    kind: str
    required: bool
    description: str
    default: str | None = None

    def convert(self, value: object) -> Node:
        """The RDF term for ``value``, or :class:`QueryParameterError` when it is not of this kind."""
        text = str(value).strip()
        if self.kind == "iri":
            return _iri(self.name, text)
        if self.kind == "integer":
            if isinstance(value, bool) or not re.fullmatch(r"[+-]?\d+", text):
                raise QueryParameterError(self.name, value, "a whole number, such as 100")
            return Literal(int(text))
        if self.kind == "date":
            try:
                return Literal(date.fromisoformat(text))
            except ValueError:
                raise QueryParameterError(
                    self.name, value, "a date written YYYY-MM-DD, such as 2025-11-10"
                ) from None
        if self.kind == "country-code":
            if not _COUNTRY_CODE.fullmatch(text.upper()):
                raise QueryParameterError(self.name, value, "an ISO 3166-1 alpha-2 country code, such as BR")
            return Literal(text.upper())
        if self.kind.startswith("@"):
            return Literal(text, lang=self.kind[1:])
        return Literal(text)


def _iri(name: str, text: str) -> URIRef:
    """Expand ``prefix:local`` with our prefixes, or accept an absolute http(s), urn or tag IRI."""
    prefix, _, local = text.partition(":")
    if prefix in PARAMETER_PREFIXES:
        text = PARAMETER_PREFIXES[prefix] + local
    if not _ABSOLUTE_IRI.fullmatch(text):
        known = ", ".join(sorted(PARAMETER_PREFIXES))
        raise QueryParameterError(
            name, text, f"an absolute IRI (https://…) or a prefixed name with one of the prefixes {known}"
        )
    return URIRef(text)


@dataclass(frozen=True)
class CannedQuery:
    """A query of the catalogue: its name (the file's stem), header, parameters and SPARQL text."""

    name: str
    summary: str
    description: str
    tags: tuple[str, ...]
    parameters: tuple[Parameter, ...]
    text: str
    enumerate: tuple[str, ...] = ()
    header: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    def bind(self, values: dict[str, object]) -> dict[str, Node]:
        """Check ``values`` against the parameters and return the RDF term for each variable to bind.

        Unknown names, missing required values and values of the wrong kind raise
        :class:`QueryParameterError` naming the parameter. Optional parameters left out stay unbound.
        """
        known = {p.name: p for p in self.parameters}
        for name in values:
            if name not in known:
                allowed = ", ".join(sorted(known)) or "none"
                raise QueryParameterError(
                    name, values[name], f"a parameter of query '{self.name}' (it takes: {allowed})"
                )
        bound: dict[str, Node] = {}
        for parameter in self.parameters:
            value = values.get(parameter.name, parameter.default)
            if value is None:
                if parameter.required:
                    raise QueryParameterError(parameter.name, None, f"given: {parameter.description}")
                continue
            bound[parameter.variable] = parameter.convert(value)
        return bound


def _kind(type_parts: list[str], documented: dict[str, Any]) -> str:
    """The kind of a parameter from its grlc type suffix and, for strings, our documented format."""
    suffix = "_".join(type_parts)
    if suffix in ("iri", "integer", "xsd_integer", "xsd_date"):
        return {"xsd_integer": "integer", "xsd_date": "date"}.get(suffix, suffix)
    if _LANGUAGE_TAG.fullmatch(suffix):
        return "@" + suffix
    if suffix == "":
        fmt = documented.get("format", "string")
        if fmt not in ("string", "country-code"):
            raise ValueError(f"unknown format '{fmt}' (known: string, country-code)")
        return str(fmt)
    raise ValueError(f"unknown parameter type suffix '_{suffix}'")


def _header(text: str) -> tuple[dict[str, Any], str]:
    """Split a query file into its YAML header (the leading ``#+`` lines) and the rest."""
    lines = text.splitlines()
    header_lines = []
    for line in lines:
        if not line.startswith("#+"):
            break
        header_lines.append(line[2:].removeprefix(" "))
    header = yaml.safe_load("\n".join(header_lines)) if header_lines else None
    return (header if isinstance(header, dict) else {}), "\n".join(lines[len(header_lines) :])


def parse_query_file(text: str, *, path: str) -> CannedQuery:
    """Read one catalogue file; a malformed header or parameter raises :class:`DataFileError`."""
    try:
        header, body = _header(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        problem = " ".join(str(getattr(exc, "problem", None) or exc).split())
        raise DataFileError(
            path, f"the #+ header is not valid YAML ({problem}); quote values that contain ': '", line=line
        ) from None
    if not isinstance(header.get("summary"), str) or not header["summary"].strip():
        raise DataFileError(path, "the query has no '#+ summary:' line saying what it answers")
    unknown = set(header) - HEADER_KEYS
    if unknown:
        raise DataFileError(path, f"unknown header key(s): {', '.join(sorted(unknown))}")
    documented: dict[str, Any] = header.get("parameters") or {}
    defaults = {k: str(v) for item in header.get("defaults") or [] for k, v in dict(item).items()}
    code = re.sub(r"#[^\n]*", "", body)  # comments may mention variables without using them
    parameters = []
    for variable in sorted(set(_PARAMETER_VARIABLE.findall(code)), key=code.find):
        required = not variable.startswith("__")
        name, *type_parts = variable.lstrip("_").split("_")
        entry = documented.get(name)
        if isinstance(entry, str):
            entry = {"description": entry}
        if not isinstance(entry, dict) or not str(entry.get("description", "")).strip():
            raise DataFileError(
                path, f"the parameter '{name}' (?{variable}) is not documented under '#+ parameters:'"
            )
        try:
            kind = _kind(type_parts, entry)
        except ValueError as exc:
            raise DataFileError(path, f"the parameter '{name}' (?{variable}): {exc}") from None
        parameters.append(
            Parameter(name, variable, kind, required, str(entry["description"]).strip(), defaults.get(name))
        )
    names = {p.name for p in parameters}
    for extra in (set(documented) | set(defaults)) - names:
        raise DataFileError(path, f"the header documents a parameter '{extra}' that the query does not use")
    tags = header.get("tags") or []
    return CannedQuery(
        name=name_of(path),
        summary=header["summary"].strip(),
        description=str(header.get("description") or "").strip(),
        tags=tuple(str(t) for t in tags),
        parameters=tuple(parameters),
        text=text,
        enumerate=tuple(str(e) for e in header.get("enumerate") or []),
        header=header,
    )


def name_of(path: str) -> str:
    """A query's name: its file name without ``.rq``."""
    return path.rsplit("/", 1)[-1].removesuffix(".rq")


def _read(path: Traversable) -> CannedQuery:
    return parse_query_file(path.read_text(encoding="utf-8"), path=str(path))


@cache
def list_queries() -> tuple[CannedQuery, ...]:
    """Every query of the shipped catalogue, sorted by name."""
    return tuple(_read(path) for path in resources.query_files())


@cache
def get_query(name: str) -> CannedQuery:
    """The canned query called ``name``; an unknown name raises :class:`UnknownNameError` listing the
    known ones.

    Only that query's file is read: a command running one query need not parse the whole catalogue.
    """
    for path in resources.query_files():
        if path.name == f"{name}.rq":
            return _read(path)
    return find_named(list_queries(), name, "canned query")


class _Named(Protocol):
    @property
    def name(self) -> str: ...


NamedT = TypeVar("NamedT", bound=_Named)


def find_named(items: Sequence[NamedT], name: str, kind: str) -> NamedT:
    """The item called ``name``; otherwise :class:`UnknownNameError` naming every ``kind`` there is."""
    for item in items:
        if item.name == name:
            return item
    known = ", ".join(item.name for item in items)
    raise UnknownNameError(f"There is no {kind} called '{name}'. Those there are: {known}.")


def with_values(text: str, bindings: Mapping[str, Node]) -> str:
    """``text`` with a ``VALUES`` block binding ``bindings`` opening its first group (the WHERE clause).

    Terms are written by rdflib (``Node.n3()``), which escapes literals; IRIs were checked beforehand.

    >>> print(with_values('SELECT * WHERE { ?s ?p ?_o_iri }', {"_o_iri": URIRef("https://example.org/a")}))
    SELECT * WHERE { VALUES (?_o_iri) { (<https://example.org/a>) } ?s ?p ?_o_iri }
    """
    if not bindings:
        return text
    return with_value_rows(text, tuple(bindings), [tuple(bindings.values())])


def with_value_rows(text: str, variables: Sequence[str], rows: Iterable[Sequence[Node]]) -> str:
    """``text`` with a ``VALUES`` block of several ``rows`` for ``variables`` opening its first group."""
    brace = _first_group(text)
    names = " ".join(f"?{name}" for name in variables)
    data = " ".join(f"({' '.join(term.n3() for term in row)})" for row in rows)
    return f"{text[: brace + 1]} VALUES ({names}) {{ {data} }}{text[brace + 1 :]}"


def _first_group(text: str) -> int:
    """The offset of the ``{`` opening the query pattern: the first not inside a comment, string or IRI,
    after a CONSTRUCT template if there is one."""
    i, n = 0, len(text)
    depth, in_template = 0, False
    while i < n:
        char = text[i]
        if char == "#":
            i = text.find("\n", i)
            if i < 0:
                break
        elif char in "\"'":
            quote = char * 3 if text.startswith(char * 3, i) else char
            i += len(quote)
            while i < n and not text.startswith(quote, i):
                i += 2 if text[i] == "\\" else 1
            i += len(quote) - 1
        elif char == "<":
            end = i + 1
            while end < n and text[end] not in '<>"{}|^`\\ \t\r\n':
                end += 1
            if end < n and text[end] == ">":
                i = end
        elif char == "{":
            if in_template:
                depth += 1
            elif _CONSTRUCT_TEMPLATE.search(text, 0, i):
                in_template, depth = True, 1
            else:
                return i
        elif char == "}" and in_template:
            depth -= 1
            in_template = depth > 0
        i += 1
    raise QueryError("the query has no { … } group to bind its parameters in")


#: A CONSTRUCT keyword right before a ``{``: that group is the template, not the pattern.
_CONSTRUCT_TEMPLATE = re.compile(r"\bCONSTRUCT\s*\Z", re.IGNORECASE)

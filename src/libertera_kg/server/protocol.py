"""The SPARQL 1.1 Protocol's side of a request: its parameters read from the URL or the body, checked for
UTF-8, known names and size. Each check that fails raises the HTTP error the client gets."""

from __future__ import annotations

import urllib.parse
from typing import NoReturn

from starlette.exceptions import HTTPException
from starlette.requests import Request

#: The parameters clients name the answer's format with, all with one meaning (the protocol itself leaves
#: the format to ``Accept``): SPARQLWrapper sends all three on every request, rdflib's SERVICE ``output``.
FORMAT_PARAMETERS = ("format", "output", "results")
#: The protocol parameters /sparql takes; an update's parameters are refused as such.
QUERY_PARAMETERS = {"query", "default-graph-uri", "named-graph-uri", *FORMAT_PARAMETERS}
UPDATE_PARAMETERS = {"update", "using-graph-uri", "using-named-graph-uri"}
READ_ONLY = (
    "This server is read-only: it answers SPARQL queries and accepts no update (INSERT, DELETE, LOAD, "
    "CLEAR, CREATE, DROP …) on any route."
)


async def protocol_parameters(request: Request, limit: int) -> dict[str, list[str]]:
    """The SPARQL protocol parameters of a GET or POST, checked: UTF-8, known names, a body within limits."""
    params = query_string(request)
    if request.method == "POST":
        media = request.headers.get("content-type", "").partition(";")[0].strip().lower()
        if media == "application/sparql-update":
            raise HTTPException(403, READ_ONLY)
        if media not in ("application/x-www-form-urlencoded", "application/sparql-query"):
            raise HTTPException(
                415,
                f"A POST must send its query as application/x-www-form-urlencoded or "
                f"application/sparql-query; this one is '{media or 'without a type'}'.",
            )
        body = await _read_body(request, limit)
        if media == "application/sparql-query":
            if "query" in params:
                raise HTTPException(
                    400, "Give the query either in the body or as a 'query' parameter, not both."
                )
            params["query"] = [_utf8(body, "the request body")]
        else:
            for key, values in _parse_form(body, "the form in the request body").items():
                params.setdefault(key, []).extend(values)
    for name in params:
        if name in UPDATE_PARAMETERS:
            raise HTTPException(403, READ_ONLY)
        if name not in QUERY_PARAMETERS:
            raise HTTPException(
                400,
                f"Unknown parameter '{name}'; the endpoint takes: {', '.join(sorted(QUERY_PARAMETERS))}.",
            )
    return params


def format_values(params: dict[str, list[str]]) -> tuple[str, ...]:
    """The values of the format parameters, taken out of ``params``; an unknown one is refused (400)."""
    from .formats import FORMAT_NAMES, is_format_value

    values = tuple(value for name in FORMAT_PARAMETERS for value in params.pop(name, []))
    for value in values:
        if value.strip() and not is_format_value(value):
            raise HTTPException(
                400,
                f"Unknown format '{value}'; give a media type or one of: {', '.join(FORMAT_NAMES)}.",
            )
    return values


def query_string(request: Request) -> dict[str, list[str]]:
    return _parse_form(request.scope.get("query_string", b""), "the URL's query string")


def _parse_form(raw: bytes, where: str) -> dict[str, list[str]]:
    """``name=value&…`` pairs, refusing text that is not UTF-8 (raw or percent-encoded)."""
    text = _utf8(raw, where)
    try:
        pairs = urllib.parse.parse_qsl(text, keep_blank_values=True, encoding="utf-8", errors="strict")
    except (UnicodeDecodeError, ValueError):
        raise HTTPException(
            400, f"{where[0].upper()}{where[1:]} is not valid UTF-8 once percent-decoded."
        ) from None
    params: dict[str, list[str]] = {}
    for key, value in pairs:
        params.setdefault(key, []).append(value)
    return params


def _utf8(raw: bytes, where: str) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise HTTPException(
            400, f"{where[0].upper()}{where[1:]} is not valid UTF-8 (byte {exc.start})."
        ) from None


async def _read_body(request: Request, limit: int) -> bytes:
    """The request body; refused (413) as soon as it grows past ``limit`` bytes (the rest is not read)."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit * 3 + 1000:  # a form percent-encodes up to 3 bytes each
        too_large(limit)
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit * 3 + 1000:
            too_large(limit)
        chunks.append(chunk)
    return b"".join(chunks)


def too_large(limit: int) -> NoReturn:
    raise HTTPException(413, f"The query is larger than this server's limit of {limit:,} bytes.")

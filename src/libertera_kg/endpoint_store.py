"""A remote SPARQL 1.1 endpoint as a store: queried over HTTP with SPARQLWrapper, read-only.

The endpoint's dataset can be named once for every query (``default_graphs``, ``named_graphs``), as the
SPARQL protocol's ``default-graph-uri`` and ``named-graph-uri``: Virtuoso's own default dataset is every
graph it holds, its system graphs included, so it is asked for our merged graph and our named graphs.

What a conforming engine writes is read as sent. What Virtuoso 7.2 writes otherwise is read as what it
means: a boolean's lexical form ``1``/``0`` (the canonical form is ``true``/``false``), a literal's type
``typed-literal`` (the 2008 draft's, now ``literal``), and an ASK answered as one row of a variable
``__ASK_RETVAL`` instead of a boolean.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from .errors import EndpointError, QueryError, QuerySyntaxError, ReadOnlyError, UsageError
from .inspection import QueryDataset
from .query_text import UnreadableQueryError, read_query_text
from .results import JsonBinding, QueryResult, result_from_any
from .stores import QueryRun, Store, capped, first_line

_BOOLEAN = "http://www.w3.org/2001/XMLSchema#boolean"
#: A boolean's non-canonical lexical forms (XML Schema allows them), by their canonical form.
_CANONICAL_BOOLEAN = {"1": "true", "0": "false"}


class EndpointStore(Store):
    """A remote SPARQL 1.1 endpoint, queried over HTTP with SPARQLWrapper; read-only."""

    kind = "endpoint"
    read_only = True

    def __init__(
        self,
        url: str,
        *,
        timeout: float = 60,
        default_graphs: Sequence[str] = (),
        named_graphs: Sequence[str] = (),
    ):
        self.url = http_url(url)
        self.timeout = timeout
        #: The dataset of every query that names none itself (``None``: the endpoint's own).
        self.dataset = (
            QueryDataset(tuple(default_graphs), tuple(named_graphs))
            if default_graphs or named_graphs
            else None
        )

    def _run(self, text: str, run: QueryRun) -> QueryResult:
        answer = self._request(text, run)
        if isinstance(answer, Graph | str | bytes):
            received = answer if isinstance(answer, Graph) else Graph().parse(data=answer, format="turtle")
            triples, truncated = capped(sorted(received), run.max_rows)
            return result_from_any(("subject", "predicate", "object"), triples, truncated=truncated)
        if "boolean" in answer:
            return result_from_any(("ask",), [(Literal(bool(answer["boolean"])),)])
        columns = list(answer["head"]["vars"])
        bindings, truncated = capped(answer["results"]["bindings"], run.max_rows)
        rows = [tuple(_from_json(b[c]) if c in b else None for c in columns) for b in bindings]
        return result_from_any(columns, rows, truncated=truncated)

    def _bindings(self, text: str, run: QueryRun) -> list[JsonBinding]:
        """The endpoint's own SPARQL JSON, as it sent it but for booleans in their canonical form."""
        answer = self._request(text, run)
        if not isinstance(answer, dict) or "results" not in answer:
            raise QueryError(f"{run.label} is not a SELECT query; its rows cannot be read as bindings.")
        bindings: list[JsonBinding] = answer["results"]["bindings"]
        for binding in bindings:
            for name, term in binding.items():
                if term["type"] == "typed-literal":  # the 2008 form, still Virtuoso's: a literal
                    term = binding[name] = {**term, "type": "literal"}
                if term.get("datatype") == _BOOLEAN and term["value"] in _CANONICAL_BOOLEAN:
                    binding[name] = {**term, "value": _CANONICAL_BOOLEAN[term["value"]]}
        return bindings

    def _request(self, text: str, run: QueryRun) -> Any:
        """Send the query; the endpoint's answer: SPARQL JSON for SELECT and ASK, a graph for the others."""
        from SPARQLWrapper import JSON, N3, POST, SPARQLWrapper
        from SPARQLWrapper.SPARQLExceptions import QueryBadFormed

        client = SPARQLWrapper(self.url)
        client.setMethod(POST)
        client.setTimeout(int(self.timeout))
        client.setQuery(text)
        # SPARQLWrapper guesses the form from the first keyword it finds anywhere, comments included ("the
        # loaded graph" reads as LOAD, and it would then send an update): the query's tokens decide.
        try:
            form = read_query_text(text, run.base_iri).form  # cached: the screen read it already
        except UnreadableQueryError:
            form = ""
        if form:
            client.queryType = form
        elif client.isSparqlUpdateRequest():
            raise ReadOnlyError("This is a SPARQL update; the remote store is only queried from here.")
        # A query's own FROM clauses are sent again as protocol parameters, which mean the same: Oxigraph's
        # server, asked for the union default graph, otherwise ignores them.
        dataset = run.dataset or self.dataset
        for graph in dataset.default_graphs if dataset else ():
            client.addDefaultGraph(graph)
        for graph in dataset.named_graphs if dataset else ():
            client.addNamedGraph(graph)
        if dataset:
            _allow_headers(len(dataset.default_graphs) + len(dataset.named_graphs))
        try:
            client.setReturnFormat(N3 if client.queryType in ("CONSTRUCT", "DESCRIBE") else JSON)
            answer = client.queryAndConvert()
        except QueryBadFormed as exc:  # the endpoint answered 400: the query, not the endpoint, is at fault
            raise QuerySyntaxError(
                f"{run.label} cannot run: the endpoint {self.url} says it is not valid SPARQL "
                f"({first_line(exc)})"
            ) from exc
        except Exception as exc:  # SPARQLWrapper passes on urllib's and its own errors
            raise EndpointError(f"{run.label} failed at the endpoint {self.url}: {first_line(exc)}") from exc
        return _ask_as_boolean(answer) if form == "ASK" else answer


def _allow_headers(graphs: int) -> None:
    """Let an answer carry a header per graph of its dataset: Virtuoso echoes each one
    (``X-SPARQL-named-graph``), and Python's HTTP client refuses an answer of more than 100 headers, its
    only guard against a flood of them. The bound only grows, by as many graphs as a query names."""
    import http.client

    http.client._MAXHEADERS = max(http.client._MAXHEADERS, 100 + graphs)  # type: ignore[attr-defined]


def _ask_as_boolean(answer: Any) -> Any:
    """An ASK's answer as SPARQL JSON's boolean, also where it came as one row of one variable."""
    if not isinstance(answer, dict) or "boolean" in answer:
        return answer
    rows = answer.get("results", {}).get("bindings", [])
    if len(answer.get("head", {}).get("vars", [])) != 1 or len(rows) > 1:
        return answer
    values = [str(term.get("value")) for term in rows[0].values()] if rows else []
    return {"head": {}, "boolean": values[:1] in (["1"], ["true"])}


def http_url(text: str, *, option: str = "the endpoint") -> str:
    """``text`` if it is an http or https URL with a host (an endpoint's or a graph store's address);
    :class:`UsageError` naming ``option`` otherwise."""
    from urllib.parse import urlsplit

    parts = urlsplit(text)
    if parts.scheme not in ("http", "https") or not parts.netloc or any(c.isspace() for c in text):
        raise UsageError(f"{option} must be an http:// or https:// URL with a host; '{text}' is not.")
    return text


def _from_json(term: Mapping[str, str]) -> Node:
    kind = term["type"]
    if kind == "uri":
        return URIRef(term["value"])
    if kind == "bnode":
        return BNode(term["value"])
    if "xml:lang" in term:
        return Literal(term["value"], lang=term["xml:lang"])
    datatype = term.get("datatype")
    value = term["value"]
    if datatype == _BOOLEAN:
        value = _CANONICAL_BOOLEAN.get(value, value)
    return Literal(value, datatype=URIRef(datatype) if datatype else None)

"""The server's HTML pages, for people in a browser: the query editor, a query's answer, each canned
query's page, the descriptions of the service, and each entity's linked-data page.

Every page is written here, on the server, from the same query results RDF clients get (see
:mod:`.render`); the browser's script only runs the editor and highlights SPARQL.
"""

from __future__ import annotations

import time
import urllib.parse
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from rdflib import Graph, URIRef
from rdflib.term import Node
from starlette.requests import Request
from starlette.responses import Response
from starlette.templating import Jinja2Templates

from ..catalogue import CannedQuery, get_query, list_queries, with_values
from ..errors import LiberteraError, QueryParameterError
from ..inspection import QueryDataset
from ..namespaces import DISPLAY_PREFIXES
from ..query_text import UnreadableQueryError, read_query_text
from ..resources import shipped_query
from .describe import query_listing
from .entity import entity_page
from .protocol import query_string
from .render import answer_table, described_resources, downloads
from .statuses import status_of
from .workers import QueryJob

if TYPE_CHECKING:
    from .app import _Server

#: The editor's query when none is given: the cases and where they occurred.
DEFAULT_QUERY = """PREFIX lt: <https://w3id.org/libertera/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>

SELECT ?case ?label ?country WHERE {
  ?case a lt:Case ;
        skos:prefLabel ?label ;
        lt:occurredIn ?country .
}
ORDER BY ?label
"""


class Pages:
    """The HTML pages of one server: each method answers a request with a page."""

    def __init__(self, server: _Server, templates: Jinja2Templates):
        self.server = server
        self.templates = templates

    def _page(self, request: Request, name: str, context: Mapping[str, Any], status: int = 200) -> Response:
        return self.templates.TemplateResponse(
            request, name, dict(context), status_code=status, headers={"Vary": "Accept"}
        )

    async def home(self, request: Request) -> Response:
        """The query editor, holding the ``query`` of the address (``/?query=…``) or an example."""
        canned_texts = {canned.name: _runnable_text(canned) for canned in list_queries()}
        query = query_string(request).get("query", [DEFAULT_QUERY])[0]
        context = {
            "queries": list_queries(),
            "canned_texts": canned_texts,
            "prefixes": dict(sorted(DISPLAY_PREFIXES.items())),
            "query": query,
            "max_rows": self.server.settings.max_rows,
        }
        return self._page(request, "home.html", context)

    async def answer(
        self, request: Request, query: str, dataset: QueryDataset | None, base_iri: str
    ) -> Response:
        """A query's answer as a page: its size and time, the table, downloads, and the query itself."""
        job = QueryJob(
            query,
            dataset=dataset,
            max_rows=self.server.settings.max_rows,
            allowed_services=self.server.settings.allowed_services,
            raw=True,
            base_iri=base_iri,
        )
        context, status = await self._run(job)

        def download_href(name: str) -> str:
            return "/sparql?" + urllib.parse.urlencode({"query": query, "format": name})

        return self._page(
            request, "answer.html", {**context, "query": query, "download_href": download_href}, status
        )

    async def canned(self, request: Request, canned: CannedQuery, values: Mapping[str, str]) -> Response:
        """A canned query's page: summary, parameters as a form, its answer for ``values`` (the defaults
        where none are given), downloads in every format, and its SPARQL."""
        given = {name: value for name, value in values.items() if value.strip()}
        try:
            bound_text = with_values(canned.text, canned.bind(dict(given)))
        except QueryParameterError as exc:
            context: dict[str, Any] = {"error": str(exc), "status": 400}
            bound_text, status = canned.text, 400
        else:
            context, status = await self._run(
                QueryJob(bound_text, max_rows=self.server.settings.max_rows, raw=True)
            )

        def download_href(name: str) -> str:
            return f"/queries/{canned.name}?" + urllib.parse.urlencode({**given, "format": name})

        listing = query_listing(canned, "/")
        page = {**context, "query": listing, "text": canned.text, "values": given, "bound_text": bound_text}
        return self._page(request, "query.html", {**page, "download_href": download_href}, status)

    async def listing(self, request: Request) -> Response:
        """Every canned query, each linking to its page and its answer's formats."""
        items = []
        for canned in list_queries():
            item = query_listing(canned, "/")
            item["downloads"] = downloads(_form(canned.text))
            items.append(item)
        return self._page(request, "queries.html", {"queries": items})

    def description(
        self, request: Request, graph: Graph, *, title: str, intro: str, first: Iterable[Node]
    ) -> Response:
        """An RDF description (VoID, the service description) as a page: each resource and its values."""
        from .formats import GRAPH_TYPES

        context = {
            "title": title,
            "intro": intro,
            "path": request.url.path,
            "alternates": [(label, media) for label, media in _RDF_LABELS if media in GRAPH_TYPES],
            "resources": described_resources(graph, first),
        }
        return self._page(request, "description.html", context)

    async def entity(self, request: Request, iri: str) -> Response:
        """An entity's page: its statements with their sources, the sources side by side, and the words."""
        this = {"this": URIRef(iri)}
        links = await self._records(with_values(shipped_query("server/entity-links.rq"), this))
        # rdflib answers a grouped query over nothing with one empty row; either way, nothing is known.
        links = [row for row in links if row["property"] is not None]
        if not links:
            return self._page(request, "missing.html", {"iri": iri}, 404)
        claims = await self._records(with_values(shipped_query("server/entity-claims.rq"), this))
        said = get_query("what-sources-say")
        statements = await self._records(with_values(said.text, said.bind({"entity": iri})))
        page = entity_page(iri, links, claims, self.server.property_labels, statements)
        return self._page(request, "entity.html", page)

    async def _records(self, query: str) -> list[dict[str, Node | None]]:
        answer = await self.server.run(QueryJob(query, raw=True))
        assert answer.result is not None
        return answer.result.records()

    async def _run(self, job: QueryJob) -> tuple[dict[str, Any], int]:
        """Run ``job`` and give the page's context (the answer, or the error) and the status."""
        started = time.perf_counter()
        try:
            answer = await self.server.run(job)
        except LiberteraError as exc:
            status = status_of(exc)
            return {"error": str(exc), "status": status}, status
        seconds = time.perf_counter() - started
        assert answer.result is not None
        return {"answer": answer_table(answer.form, answer.result), "seconds": seconds}, 200


#: The RDF formats a description page links to, by label.
_RDF_LABELS: Sequence[tuple[str, str]] = (
    ("Turtle", "text/turtle"),
    ("N-Triples", "application/n-triples"),
    ("JSON-LD", "application/ld+json"),
    ("RDF/XML", "application/rdf+xml"),
)


def _form(text: str) -> str:
    """The form of a query (SELECT, CONSTRUCT …), SELECT where it cannot be read."""
    try:
        return read_query_text(text).form
    except UnreadableQueryError:
        return "SELECT"


def _runnable_text(canned: CannedQuery) -> str:
    """A canned query's text with its default parameters bound, as the editor starts from it."""
    try:
        return with_values(canned.text, canned.bind({}))
    except QueryParameterError:
        return canned.text

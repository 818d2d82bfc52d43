"""The HTTP server: a read-only SPARQL 1.1 Protocol endpoint, linked-data pages for our IRIs, a VoID
description, the dumps, the canned queries over HTTP, and a home page with a query editor.

Safe by default: every query runs in a worker process with a time limit (:mod:`.workers`); answers are
cut at ``max_rows``; queries longer than ``max_query_bytes`` are refused unread; ``SERVICE`` calls only
reach allowed IRI prefixes; graphs are never fetched from the web; no route accepts an update.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from importlib.resources import files
from pathlib import Path
from typing import Any

from rdflib import URIRef
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.templating import Jinja2Templates

from ..catalogue import get_query, list_queries, with_values
from ..errors import LiberteraError, UnknownNameError
from ..graph import KnowledgeGraph
from ..inspection import QueryDataset
from ..namespaces import BASE
from ..resources import shipped_query
from .answers import AnswerCache, answer_response
from .describe import DATASET, DUMP_TYPES, query_listing, service_description, void_description
from .formats import GRAPH_TYPES, media_type_for_format, negotiate, prefers_html
from .pages import Pages
from .protocol import READ_ONLY, format_values, protocol_parameters, query_string, too_large
from .render import local_href
from .statuses import http_error, internal_error, library_error
from .workers import Answer, QueryJob, WorkerPool, default_max_workers

_PACKAGE = files("libertera_kg.server")
#: The linked-data pages' formats, HTML first for browsers.
_PAGE_TYPES = ("text/html", *GRAPH_TYPES)


@dataclass(frozen=True)
class ServerSettings:
    """How the server runs: where it listens, which store it uses, and the limits it keeps."""

    host: str = "127.0.0.1"
    port: int = 8000
    store: str = "memory"
    #: Seconds a query may run before it is stopped.
    timeout: float = 30.0
    #: IRI prefixes that ``SERVICE`` may call; none by default.
    allowed_services: tuple[str, ...] = ()
    #: Rows (or triples) an answer holds at most; more are cut, and the answer says so in a header.
    max_rows: int = 10_000
    #: Bytes a query may have.
    max_query_bytes: int = 100_000
    #: Worker processes always running, each with its own copy of the store.
    workers: int = 2
    #: Worker processes at most: spares start while slow queries hold the others (see ``workers.py``);
    #: ``None``: twice the processors, at least 4.
    max_workers: int | None = None
    #: Seconds a request waits for an idle worker before it gets 503; ``None``: the time limit.
    queue_wait: float | None = None
    #: Megabytes of data a worker may hold (its store and a query's work); a query needing more gets 503.
    max_memory_mb: int = 2048
    #: An oxigraph store on disk (filled by ``libertera-kg load``) to serve instead of the shipped graph;
    #: the workers share it, read-only.
    store_path: Path | None = None
    #: The public address clients reach the server at, written into VoID, the service description and
    #: the query listings; needed when the server listens beyond loopback, where the request's ``Host``
    #: header (which any client may set) is never written back.
    base_url: str | None = None
    #: Megabytes of written answers kept for clients asking the same again (see ``answers.py``); 0: none.
    cache_mb: int = 64
    #: Seconds clients and HTTP caches may reuse an answer without asking again (``Cache-Control``).
    max_age: int = 300


@dataclass
class _Server:
    settings: ServerSettings
    graph: KnowledgeGraph | None
    pool: WorkerPool | None = None
    dumps: dict[str, bytes] = field(default_factory=dict)
    graphs: tuple[str, ...] = ()
    void_statistics: tuple[Any, ...] = ()
    property_labels: dict[str, str] = field(default_factory=dict)
    cache: AnswerCache = field(default_factory=lambda: AnswerCache(0))

    async def start(self) -> None:
        """Load the graph, write the dumps, start the workers and compute the VoID statistics."""
        import asyncio

        from ..disk_store import open_read_only
        from ..graph import load
        from ..oxigraph import named_graphs_nquads
        from ..publish import serialize_dumps

        data: bytes | Path
        if self.settings.store_path is not None:
            data = self.settings.store_path
            store = (await asyncio.to_thread(open_read_only, data)).store
            self.dumps = {"libertera.nq": await asyncio.to_thread(named_graphs_nquads, store)}
            self.graphs = tuple(sorted(g.value for g in store.named_graphs()))
            del store
        else:
            graph = self.graph if self.graph is not None else await asyncio.to_thread(load)
            self.graph = graph
            dumps = await asyncio.to_thread(serialize_dumps, graph.dataset)
            self.dumps = {name: text.encode("utf-8") for name, text in dumps.items()}
            self.graphs = tuple(
                sorted(
                    str(g.identifier)
                    for g in graph.dataset.graphs()
                    if len(g) and not str(g.identifier).startswith("urn:x-rdflib:")
                )
            )
            data = self.dumps["libertera.nq"]
        self.pool = WorkerPool(
            self.settings.store,
            data,
            size=self.settings.workers,
            max_size=self.settings.max_workers or default_max_workers(),
            timeout=self.settings.timeout,
            queue_wait=self.settings.queue_wait,
            max_memory=self.settings.max_memory_mb * 2**20,
        )
        await self.pool.start()
        labels = await self.run(QueryJob(shipped_query("lookups/property-labels.rq"), raw=True))
        assert labels.result is not None
        for row in labels.result.records():
            self.property_labels.setdefault(str(row["property"]), str(row["label"]))
        statistics = await self.run(
            QueryJob(with_values(shipped_query("server/void.rq"), {"dataset": DATASET}), raw=True)
        )
        assert statistics.result is not None
        self.void_statistics = statistics.result.rows

    async def run(self, job: QueryJob) -> Answer:
        """The answer to ``job``: the one kept from an earlier request, or a worker's."""
        assert self.pool is not None
        answer = self.cache.get(job)
        if answer is None:
            answer = await self.pool.run(job)
            self.cache.keep(job, answer)
        return answer


def create_app(settings: ServerSettings | None = None, graph: KnowledgeGraph | None = None) -> Starlette:
    """The ASGI application serving ``graph`` (default: the shipped one) with ``settings``."""
    server = _Server(settings or ServerSettings(), graph)
    server.cache = AnswerCache(server.settings.cache_mb * 2**20)
    templates = Jinja2Templates(directory=str(_PACKAGE / "templates"))
    templates.env.globals["href"] = local_href
    pages = Pages(server, templates)

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        await server.start()
        try:
            yield
        finally:
            if server.pool is not None:
                server.pool.close()

    async def sparql(request: Request) -> Response:
        params = await protocol_parameters(request, server.settings.max_query_bytes)
        formats = format_values(params)
        if not params:
            if request.method == "GET":
                base = _base(request, server.settings)
                return _description(
                    request,
                    pages,
                    service_description(base, server.graphs),
                    formats,
                    title="Service description",
                    intro="What this SPARQL endpoint offers, in the W3C's SPARQL 1.1 Service Description: "
                    "the query language, the answer formats, and the graphs of its dataset. Send a "
                    "query to this address to run it.",
                    first=(URIRef(f"{base}sparql#service"),),
                )
            raise HTTPException(
                400, "Give a query: the 'query' parameter, or a body of type application/sparql-query."
            )
        queries = params.get("query", [])
        if len(queries) != 1:
            raise HTTPException(400, f"Give exactly one 'query' parameter; {len(queries)} were given.")
        query = queries[0]
        if len(query.encode("utf-8")) > server.settings.max_query_bytes:
            too_large(server.settings.max_query_bytes)
        dataset = None
        if "default-graph-uri" in params or "named-graph-uri" in params:
            dataset = QueryDataset(
                tuple(params.get("default-graph-uri", [])), tuple(params.get("named-graph-uri", []))
            )
        return await _answer(request, server, pages, query, dataset, formats)

    async def query_list(request: Request) -> Response:
        if negotiate(request.headers.get("accept"), ("application/json", "text/html")) == "text/html":
            return await pages.listing(request)
        items = [query_listing(canned, _base(request, server.settings)) for canned in list_queries()]
        return JSONResponse({"queries": items})

    async def canned_query(request: Request) -> Response:
        try:
            canned = get_query(request.path_params["name"])
        except UnknownNameError as exc:
            raise HTTPException(404, str(exc)) from None
        params = query_string(request)
        formats = format_values(params)
        repeated = [key for key, values in params.items() if len(values) > 1]
        if repeated:
            raise HTTPException(400, f"The parameter '{repeated[0]}' is given more than once.")
        if not formats and prefers_html(request.headers.get("accept")):
            return await pages.canned(request, canned, {key: values[0] for key, values in params.items()})
        bound = canned.bind({key: values[0] for key, values in params.items()})
        return await _answer(request, server, pages, with_values(canned.text, bound), None, formats)

    async def void(request: Request) -> Response:
        params = query_string(request)
        formats = format_values(params)
        if params:
            raise HTTPException(400, f"Unknown parameter '{next(iter(params))}'; this address takes: format.")
        description = void_description(
            server.void_statistics, _base(request, server.settings), sorted(server.dumps), server.graphs
        )
        return _description(
            request,
            pages,
            description,
            formats,
            title="The dataset (VoID)",
            intro="The dataset this server holds, in the W3C's VoID and DCAT vocabularies: its size computed "
            "from the data, its classes and properties, its links to Wikidata and GeoNames, its graphs, "
            "and where to download it.",
            first=(DATASET,),
        )

    async def dataset(request: Request) -> Response:
        """The dataset's IRI names the dataset, not a page: 303 to its description, the VoID."""
        return RedirectResponse("/.well-known/void", 303)

    async def dump(request: Request) -> Response:
        name = request.path_params["name"]
        if name not in server.dumps:
            raise HTTPException(
                404, f"There is no dump '{name}'; the dumps are: {', '.join(sorted(server.dumps))}."
            )
        media = DUMP_TYPES["." + name.rsplit(".", 1)[-1]]
        return Response(server.dumps[name], media_type=media)

    async def home(request: Request) -> Response:
        return await pages.home(request)

    async def resource(request: Request) -> Response:
        iri = BASE + request.path_params["path"]
        if not _is_iri(iri):
            raise HTTPException(404, f"<{iri}> is not an IRI this server describes.")
        media = negotiate(request.headers.get("accept"), _PAGE_TYPES)
        if media is None:
            raise HTTPException(406, f"This resource comes as: {', '.join(_PAGE_TYPES)}.")
        if media == "text/html":
            return await pages.entity(request, iri)
        answer = await server.run(
            QueryJob(
                with_values(shipped_query("server/entity-graph.rq"), {"this": URIRef(iri)}),
                accept=media,
                max_rows=server.settings.max_rows,
            )
        )
        if not answer.count:
            raise HTTPException(404, f"This server holds nothing about <{iri}>.")
        return answer_response(request, answer, {"Vary": "Accept"}, server.settings.max_age)

    async def refuse_update(request: Request) -> Response:
        raise HTTPException(403, READ_ONLY)

    routes = [
        Route("/", home, methods=["GET"]),
        Route("/sparql", sparql, methods=["GET", "POST"]),
        Route("/queries", query_list, methods=["GET"]),
        Route("/queries/{name}", canned_query, methods=["GET"]),
        Route("/.well-known/void", void, methods=["GET"]),
        Route("/dataset", dataset, methods=["GET"]),
        Route("/dumps/{name}", dump, methods=["GET"]),
        Route("/update", refuse_update, methods=["GET", "POST", "PUT", "DELETE", "PATCH"]),
        Route("/store", refuse_update, methods=["GET", "POST", "PUT", "DELETE", "PATCH"]),
        Mount(
            "/static", app=StaticFiles(directory=str(files("libertera_kg.server") / "static")), name="static"
        ),
        Route("/{path:path}", resource, methods=["GET"]),
    ]
    middleware = [
        Middleware(
            CORSMiddleware,
            allow_origins=["*"],
            allow_methods=["GET", "POST", "OPTIONS"],
            allow_headers=["Accept", "Content-Type", "If-None-Match"],
            expose_headers=["X-SPARQL-MaxRows", "ETag"],
            max_age=86400,
        )
    ]
    return Starlette(
        routes=routes,
        middleware=middleware,
        lifespan=lifespan,
        exception_handlers={
            HTTPException: http_error,
            LiberteraError: library_error,
            Exception: internal_error,
        },
    )


async def _answer(
    request: Request,
    server: _Server,
    pages: Pages,
    query: str,
    dataset: QueryDataset | None,
    formats: tuple[str, ...],
) -> Response:
    """Run ``query`` for a client and answer in the format it asked for (a page, for a browser), or with a
    clear error."""
    base_iri = _base(request, server.settings) + "sparql"
    if not formats and prefers_html(request.headers.get("accept")):
        return await pages.answer(request, query, dataset, base_iri)
    job = QueryJob(
        query,
        dataset=dataset,
        max_rows=server.settings.max_rows,
        allowed_services=server.settings.allowed_services,
        accept=request.headers.get("accept"),
        format_names=formats,
        base_iri=base_iri,
    )
    answer = await server.run(job)
    headers = {"Vary": "Accept"}
    if answer.truncated:
        headers["X-SPARQL-MaxRows"] = str(server.settings.max_rows)
    return answer_response(request, answer, headers, server.settings.max_age)


def _with_charset(media_type: str) -> str:
    return f"{media_type}; charset=utf-8" if media_type.startswith("text/") else media_type


def _base(request: Request, settings: ServerSettings) -> str:
    """The server's address, ending in '/': the configured ``base_url``, or, on loopback (where the only
    clients are this machine's), the address the client used."""
    if settings.base_url is not None:
        return settings.base_url if settings.base_url.endswith("/") else settings.base_url + "/"
    return str(request.base_url)


def _description(
    request: Request,
    pages: Pages,
    graph: Any,
    formats: tuple[str, ...],
    *,
    title: str,
    intro: str,
    first: tuple[URIRef, ...],
) -> Response:
    """A description of the service or its data: RDF in the format asked for, or a page for a browser."""
    named = [media_type_for_format(value, "CONSTRUCT") for value in formats if value.strip()]
    if named:
        media = named[0]
        if media is None:
            raise HTTPException(406, f"This description comes as: {', '.join(GRAPH_TYPES)}.")
    elif prefers_html(request.headers.get("accept")):
        return pages.description(request, graph, title=title, intro=intro, first=first)
    else:
        media = negotiate(request.headers.get("accept"), tuple(GRAPH_TYPES))
        if media is None:
            raise HTTPException(406, f"This description comes as: {', '.join(GRAPH_TYPES)}, or a page.")
    body = graph.serialize(format=GRAPH_TYPES[media]).encode("utf-8")
    return Response(body, media_type=_with_charset(media), headers={"Vary": "Accept"})


def _is_iri(text: str) -> bool:
    return not any(char in text for char in '<>"{}|^`\\ \t\r\n')

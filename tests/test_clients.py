"""Real SPARQL clients, each with its default settings, against our server on both stores: SPARQLWrapper
(every return format, GET and POST), rdflib's SPARQLStore, SERVICE from rdflib and Oxigraph (library and
server), Comunica, curl, and our own endpoint store."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from rdflib import Graph
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import CSV, GET, JSON, JSONLD, N3, POST, RDFXML, TSV, TURTLE, XML, SPARQLWrapper

from libertera_kg import Store, connect, list_queries

if TYPE_CHECKING:
    from conftest import Launcher, RunningServer

OPERATION = "https://w3id.org/libertera/id/operation/liberterra-iii"
SELECT = f"SELECT ?label WHERE {{ <{OPERATION}> <http://www.w3.org/2004/02/skos/core#prefLabel> ?label }}"
ASK = f"ASK {{ <{OPERATION}> ?p ?o }}"
CONSTRUCT = f"CONSTRUCT {{ <{OPERATION}> ?p ?o }} WHERE {{ <{OPERATION}> ?p ?o FILTER(isLiteral(?o)) }}"
DESCRIBE = f"DESCRIBE <{OPERATION}>"


@pytest.fixture(scope="module", params=["memory", "oxigraph"])
def server(request: pytest.FixtureRequest) -> RunningServer:
    fixture = "our_server" if request.param == "memory" else "our_oxigraph_server"
    running: RunningServer = request.getfixturevalue(fixture)
    return running


def _wrapper(server: RunningServer, query: str, fmt: str, method: str) -> Any:
    client = SPARQLWrapper(server.url + "sparql")  # its defaults: format=, output=, results= on each request
    client.setQuery(query)
    client.setReturnFormat(fmt)
    client.setMethod(method)
    return client.queryAndConvert()


@pytest.mark.parametrize("method", [GET, POST])
@pytest.mark.parametrize("fmt", [JSON, XML, CSV, TSV])
def test_sparqlwrapper_selects_in_every_format(server: RunningServer, fmt: str, method: str) -> None:
    answer = _wrapper(server, SELECT, fmt, method)
    if fmt == JSON:
        assert [row["label"]["value"] for row in answer["results"]["bindings"]] == ["Liberterra III"]
    elif fmt == XML:
        assert [node.firstChild.data for node in answer.getElementsByTagName("literal")] == ["Liberterra III"]
    else:
        text = answer.decode("utf-8")
        assert "Liberterra III" in text
        assert text.splitlines()[0].strip() in ("label", "?label")


@pytest.mark.parametrize("method", [GET, POST])
@pytest.mark.parametrize("fmt", [JSON, XML])
def test_sparqlwrapper_asks(server: RunningServer, fmt: str, method: str) -> None:
    answer = _wrapper(server, ASK, fmt, method)
    if fmt == JSON:
        assert answer["boolean"] is True
    else:
        assert answer.getElementsByTagName("boolean")[0].firstChild.data == "true"


# SPARQLWrapper reads RDF/XML answers into rdflib's deprecated ConjunctiveGraph.
@pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning")
@pytest.mark.parametrize("method", [GET, POST])
@pytest.mark.parametrize("fmt", [XML, RDFXML, TURTLE, N3, JSONLD])
@pytest.mark.parametrize("query", [CONSTRUCT, DESCRIBE], ids=["construct", "describe"])
def test_sparqlwrapper_constructs_and_describes_in_every_format(
    server: RunningServer, query: str, fmt: str, method: str
) -> None:
    answer = _wrapper(server, query, fmt, method)
    # SPARQLWrapper reads XML and JSON-LD answers into a graph, and hands Turtle and N3 on as bytes.
    graph = answer if isinstance(answer, Graph) else Graph().parse(data=answer, format="turtle")
    assert "Liberterra III" in {str(value) for value in graph.objects()}


def test_rdflib_sparqlstore_reads_our_endpoint(server: RunningServer) -> None:
    graph = Graph(store=SPARQLStore(server.url + "sparql"))
    assert [str(row[0]) for row in graph.query(SELECT)] == ["Liberterra III"]
    assert bool(graph.query(ASK).askAnswer)
    constructed = graph.query(CONSTRUCT).graph
    assert constructed is not None
    assert "Liberterra III" in {str(value) for value in constructed.objects()}


@pytest.mark.parametrize("kind", ["memory", "oxigraph"])
def test_a_local_store_calls_our_endpoint_through_service(server: RunningServer, kind: str) -> None:
    """rdflib's SERVICE sends ``output=json``; Oxigraph's sends only Accept."""
    service = f"SELECT ?label WHERE {{ SERVICE <{server.url}sparql> {{ {SELECT.split('{', 1)[1]} }}"
    answer = connect(kind).sparql(service, allowed_services=(server.url,))
    assert [str(row[0]) for row in answer] == ["Liberterra III"]


def test_our_endpoint_store_answers_every_canned_query_as_the_memory_store_does(
    server: RunningServer, stores: dict[str, Store]
) -> None:
    remote = connect(endpoint=server.url + "sparql")
    for canned in list_queries():
        assert remote.query(canned.name).to_csv() == stores["memory"].query(canned.name).to_csv(), canned.name


@pytest.mark.skipif(shutil.which("curl") is None, reason="curl is not installed")
def test_curl_with_its_defaults(server: RunningServer) -> None:
    done = subprocess.run(
        ["curl", "-sS", "--fail", "--data-urlencode", f"query={SELECT}", server.url + "sparql"],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert "Liberterra III" in done.stdout


@pytest.mark.parametrize(
    ("accept", "query", "media"),
    [
        ("text/plain", SELECT, "text/tab-separated-values"),
        ("application/json", CONSTRUCT, "application/ld+json"),
        ("application/xml", CONSTRUCT, "application/rdf+xml"),
        ("application/n-quads", CONSTRUCT, "application/n-quads"),
        ("application/trig", CONSTRUCT, "application/trig"),
    ],
)
def test_generous_content_negotiation(server: RunningServer, accept: str, query: str, media: str) -> None:
    import httpx

    answer = httpx.get(server.url + "sparql", params={"query": query}, headers={"Accept": accept}, timeout=60)
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"].startswith(media)


def test_format_parameters_that_disagree_or_are_unknown_are_refused(server: RunningServer) -> None:
    import httpx

    url = server.url + "sparql"
    both = httpx.get(url, params={"query": SELECT, "format": "json", "output": "xml"}, timeout=60)
    assert both.status_code == 400
    assert "name different formats" in both.text
    unknown = httpx.get(url, params={"query": SELECT, "output": "yaml"}, timeout=60)
    assert unknown.status_code == 400
    assert "Unknown format 'yaml'" in unknown.text


@pytest.mark.parametrize(
    "params",
    [
        {"query": SELECT, "default-graph-uri": "http://127.0.0.1:9/elsewhere"},
        {"query": SELECT, "named-graph-uri": "http://127.0.0.1:9/elsewhere"},
        {"query": SELECT.replace("WHERE", "FROM <http://127.0.0.1:9/elsewhere> WHERE")},
    ],
    ids=["default-graph-uri", "named-graph-uri", "FROM"],
)
def test_a_graph_the_store_does_not_hold_gets_400_and_leaves_no_trace(
    server: RunningServer, params: dict[str, str]
) -> None:
    """The protocol lets a service that loads no graph from elsewhere answer 400; both stores do, and no
    request leaves an empty graph behind for later answers to see."""
    import httpx

    graphs = {"query": "SELECT DISTINCT ?g WHERE { GRAPH ?g {} } ORDER BY ?g", "format": "csv"}
    url = server.url + "sparql"
    before = httpx.get(url, params=graphs, timeout=60).text
    for _ in range(10):  # each worker meets some of them
        answer = httpx.get(url, params=params, timeout=60)
        assert answer.status_code == 400, answer.text
        assert "http://127.0.0.1:9/elsewhere" in answer.text
        assert "does not hold" in answer.text
    assert httpx.get(url, params=graphs, timeout=60).text == before


def test_the_oxigraph_server_calls_our_endpoint_through_service(
    server: RunningServer, tmp_path_factory: pytest.TempPathFactory, launch: Launcher
) -> None:
    """``oxigraph serve`` federating into us with its defaults (only an Accept header)."""
    import httpx

    base, process = launch.empty_oxigraph(tmp_path_factory.mktemp("federating-oxigraph"))
    try:
        service = f"SELECT ?label WHERE {{ SERVICE <{server.url}sparql> {{ {SELECT.split('{', 1)[1]} }}"
        answer = httpx.post(
            base + "query",
            data={"query": service},
            headers={"Accept": "application/sparql-results+json"},
            timeout=60,
        )
        assert answer.status_code == 200, answer.text
        assert [row["label"]["value"] for row in answer.json()["results"]["bindings"]] == ["Liberterra III"]
    finally:
        launch.stop(process)


COMUNICA = Path(__file__).parent / "clients" / "node_modules" / ".bin" / "comunica-sparql"


@pytest.mark.skipif(
    not COMUNICA.exists(), reason="Comunica is not installed (make test installs it where npm is)"
)
@pytest.mark.parametrize(
    ("query", "expected"),
    [(SELECT, '"value":"Liberterra III"'), (ASK, "true"), (CONSTRUCT, '"Liberterra III"@en')],
    ids=["select", "ask", "construct"],
)
def test_comunica_queries_our_endpoint(server: RunningServer, query: str, expected: str) -> None:
    """Comunica 4 with its defaults (it asks for SPARQL Results JSON or XML, and Turtle or N-Triples)."""
    output = "application/sparql-results+json" if query == SELECT else None
    done = subprocess.run(
        [str(COMUNICA), f"sparql@{server.url}sparql", query, *(["-t", output] if output else [])],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert expected in done.stdout


def test_relative_iris_resolve_against_the_endpoint_address(server: RunningServer) -> None:
    """As ``oxigraph serve`` does, and the W3C protocol tests ask: a CONSTRUCT with relative IRIs failed
    on the oxigraph store, which had no base to resolve them against."""
    import httpx

    def constructed(query: str) -> str:
        answer = httpx.get(
            server.url + "sparql",
            params={"query": query},
            headers={"Accept": "application/n-triples"},
            timeout=60,
        )
        assert answer.status_code == 200, answer.text
        return answer.text.strip()

    assert (
        constructed("CONSTRUCT { <a> <b> <c> } WHERE {}")
        == f"<{server.url}a> <{server.url}b> <{server.url}c> ."
    )
    own = constructed("BASE <https://example.org/x/> CONSTRUCT { <a> <b> <c> } WHERE {}")
    assert own == "<https://example.org/x/a> <https://example.org/x/b> <https://example.org/x/c> ."

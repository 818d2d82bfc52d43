"""The SPARQL 1.1 Protocol's query operation, on both stores: the W3C protocol tests' 20 query-side cases
(their manifest's requests, sent as written), and the requirements of the specification they leave out.

The W3C cases come from ``sparql/sparql11/protocol/manifest.jsonld`` of https://github.com/w3c/rdf-tests
(the manifest of 2023, where ``query_multiple_dataset`` names its two graphs as two parameters); the
graphs they expect a service to hold are ``fixtures/protocol/graphs.trig``, served with ``--data``.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote

import httpx
import pytest
from rdflib import Graph

if TYPE_CHECKING:
    from conftest import Launcher, RunningServer

GRAPHS = Path(__file__).parent / "fixtures" / "protocol" / "graphs.trig"
DATA = "http://kasei.us/2009/09/sparql/data/"
FORM = "application/x-www-form-urlencoded"
DIRECT = "application/sparql-query"
TABULAR = (
    "application/sparql-results+json",
    "application/sparql-results+xml",
    "text/csv",
    "text/tab-separated-values",
)
RDF = {
    "text/turtle": "turtle",
    "application/n-triples": "nt",
    "application/ld+json": "json-ld",
    "application/rdf+xml": "xml",
    "application/n-quads": "nquads",
    "application/trig": "trig",
}


def graph(n: int) -> str:
    return quote(f"{DATA}data{n}.rdf", safe="")


def encoded(text: str) -> str:
    return quote(text, safe="")


BOTH = f"ASK {{ <{DATA}data1.rdf> a ?type . <{DATA}data2.rdf> a ?type . }}"
NAMED = f"ASK {{ GRAPH ?g1 {{ <{DATA}data1.rdf> a ?type }} GRAPH ?g2 {{ <{DATA}data2.rdf> a ?type }} }}"
FULL = (
    f"ASK {{\n  <{DATA}data3.rdf> a ?type\n  GRAPH ?g1 {{ <{DATA}data1.rdf> a ?type }}\n"
    f"  GRAPH ?g2 {{ <{DATA}data2.rdf> a ?type }}\n}}"
)
MULTIPLE = (
    f"ASK FROM <{DATA}data3.rdf> {{ GRAPH ?g1 {{ <{DATA}data1.rdf> a ?type }} "
    f"GRAPH ?g2 {{ <{DATA}data2.rdf> a ?type }} }}"
)


@dataclass(frozen=True)
class Case:
    """One W3C protocol test: its request (the path after ``/sparql/``), and what the answer must be."""

    method: str
    path: str
    content_type: str | None = None
    body: str | bytes = b""
    #: ``"boolean"``, ``"tabular"``, ``"RDF"``, or ``None`` for a failure (a 4xx status).
    expected: str | None = "boolean"
    boolean: bool | None = True


CASES = {
    "query_post_form": Case("POST", f"?default-graph-uri={graph(0)}", FORM, "query=ASK%20%7B%7D"),
    "query_dataset_default_graphs_get": Case(
        "GET", f"?query={encoded(BOTH)}&default-graph-uri={graph(1)}&default-graph-uri={graph(2)}"
    ),
    "query_dataset_default_graphs_post": Case(
        "POST", f"?default-graph-uri={graph(1)}&default-graph-uri={graph(2)}", DIRECT, BOTH
    ),
    "query_dataset_named_graphs_post": Case(
        "POST", f"?named-graph-uri={graph(1)}&named-graph-uri={graph(2)}", DIRECT, NAMED
    ),
    "query_dataset_named_graphs_get": Case(
        "GET", f"?query={encoded(NAMED)}&named-graph-uri={graph(1)}&named-graph-uri={graph(2)}"
    ),
    "query_dataset_full": Case(
        "POST",
        f"?default-graph-uri={graph(3)}&named-graph-uri={graph(1)}&named-graph-uri={graph(2)}",
        DIRECT,
        FULL,
    ),
    "query_multiple_dataset": Case(
        "POST", f"?named-graph-uri={graph(1)}&named-graph-uri={graph(2)}", DIRECT, MULTIPLE
    ),
    "query_get": Case("GET", f"?query=ASK%20%7B%7D&default-graph-uri={graph(0)}"),
    "query_content_type_select": Case(
        "POST", f"?default-graph-uri={graph(0)}", DIRECT, "SELECT (1 AS ?value) {}", "tabular", None
    ),
    "query_content_type_ask": Case("POST", f"?default-graph-uri={graph(0)}", DIRECT, "ASK {}", boolean=None),
    "query_content_type_describe": Case(
        "POST", f"?default-graph-uri={graph(0)}", DIRECT, "DESCRIBE <http://example.org/>", "RDF", None
    ),
    "query_content_type_construct": Case(
        "POST", f"?default-graph-uri={graph(0)}", DIRECT, "CONSTRUCT { <s> <p> 1 } WHERE {}", "RDF", None
    ),
    "query_post_direct": Case("POST", "", DIRECT, "ASK {}"),
    "bad_query_method": Case("PUT", f"?query=ASK%20%7B%7D&default-graph-uri={graph(0)}", FORM, b"", None),
    "bad_multiple_queries": Case("GET", "?query=ASK%20%7B%7D&query=SELECT%20%2A%20%7B%7D", expected=None),
    "bad_query_wrong_media_type": Case("POST", "", "text/plain", "ASK {}", None),
    "bad_query_missing_form_type": Case("POST", "", None, "query=ASK%20%7B%7D", None),
    "bad_query_missing_direct_type": Case("POST", "", None, "ASK {}", None),
    "bad_query_non_utf8": Case(
        "POST", "", "application/sparql-query; charset=UTF-16", "ASK {}".encode("utf-16"), None
    ),
    "bad_query_syntax": Case("GET", "?query=ASK%20%7B", expected=None),
}


@pytest.fixture(scope="module", params=["memory", "oxigraph"])
def server(
    request: pytest.FixtureRequest, launch: Launcher, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[RunningServer]:
    """Our server on each store, holding the W3C tests' graphs beside ours."""
    running = launch.ours(
        tmp_path_factory.mktemp("protocol"), "--store", request.param, "--data", str(GRAPHS)
    )
    yield running
    running.stop()


@pytest.mark.parametrize("name", list(CASES))
def test_the_w3c_protocol_tests(server: RunningServer, name: str) -> None:
    case = CASES[name]
    headers = {"Content-Type": case.content_type} if case.content_type else {}
    body = case.body.encode("utf-8") if isinstance(case.body, str) else case.body
    answer = httpx.request(
        case.method, server.url + "sparql" + case.path, content=body, headers=headers, timeout=60
    )
    if case.expected is None:
        assert 400 <= answer.status_code < 500, f"{answer.status_code}: {answer.text}"
        return
    assert 200 <= answer.status_code < 400, f"{answer.status_code}: {answer.text}"
    media_type = answer.headers["content-type"].split(";")[0].strip()
    if case.expected == "boolean":
        assert media_type in TABULAR[:2], media_type
        value = _boolean(answer, media_type)
        assert case.boolean is None or value is case.boolean
    elif case.expected == "tabular":
        assert media_type in TABULAR, media_type
    else:
        assert media_type in RDF, media_type
        Graph().parse(io.BytesIO(answer.content), format=RDF[media_type])


def _boolean(answer: httpx.Response, media_type: str) -> bool:
    if media_type == "application/sparql-results+json":
        value = answer.json()["boolean"]
        assert isinstance(value, bool)
        return value
    found = re.search(r"<boolean>\s*(true|false)\s*</boolean>", answer.text)
    assert found is not None, answer.text
    return found.group(1) == "true"


def test_a_form_post_carries_its_dataset_in_the_body(server: RunningServer) -> None:
    """Section 2.1.2: with a form, ``default-graph-uri`` and ``named-graph-uri`` travel in the body."""
    form = [
        ("query", NAMED),
        ("named-graph-uri", f"{DATA}data1.rdf"),
        ("named-graph-uri", f"{DATA}data2.rdf"),
    ]
    answer = httpx.post(server.url + "sparql", data=dict(form[:1]), params=None, timeout=60)
    assert answer.json()["boolean"] is True  # every named graph of the store
    only_one = httpx.post(
        server.url + "sparql",
        content="&".join(f"{k}={quote(v, safe='')}" for k, v in form[:2]).encode(),
        headers={"Content-Type": FORM, "Accept": TABULAR[0]},
        timeout=60,
    )
    assert only_one.json()["boolean"] is False, "data2 is not among the named graphs the form chose"


def test_the_protocol_dataset_replaces_the_query_s_own(server: RunningServer) -> None:
    """Section 2.1.4: a dataset in the request wins over FROM and FROM NAMED in the query."""
    query = f"ASK FROM <{DATA}data1.rdf> {{ <{DATA}data1.rdf> a ?type }}"
    as_written = httpx.get(server.url + "sparql", params={"query": query}, timeout=60)
    assert as_written.json()["boolean"] is True
    replaced = httpx.get(
        server.url + "sparql", params={"query": query, "default-graph-uri": f"{DATA}data2.rdf"}, timeout=60
    )
    assert replaced.json()["boolean"] is False


def test_a_direct_post_takes_its_query_from_the_body_only(server: RunningServer) -> None:
    """Section 2.1.3: a direct POST holds the query in its body; a second one in the address is refused."""
    answer = httpx.post(
        server.url + "sparql",
        params={"query": "SELECT * {}"},
        content=b"ASK {}",
        headers={"Content-Type": DIRECT},
        timeout=60,
    )
    assert answer.status_code == 400, answer.text


def test_failures_say_why_in_the_body(server: RunningServer) -> None:
    """Section 2.1.5 leaves a failure's body to the service: ours is one plain-text paragraph."""
    answer = httpx.get(server.url + "sparql", params={"query": "ASK {"}, timeout=60)
    assert answer.status_code == 400
    assert answer.headers["content-type"].startswith("text/plain")
    message = answer.text.strip()
    assert message
    assert "\n" not in message

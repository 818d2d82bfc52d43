"""Federation, proven with real servers on 127.0.0.1: another SPARQL engine (Oxigraph's server) joins its
own data with ours through SERVICE, and our server, when allowed, federates out to it."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import httpx
import pytest

if TYPE_CHECKING:
    from conftest import Launcher, RunningServer

#: Data of the other knowledge graph: a figure of its own about countries our graph knows.
THEIR_DATA = """
<https://w3id.org/libertera/id/country/BR> <https://example.org/def#population> "203080756" .
<https://w3id.org/libertera/id/country/MX> <https://example.org/def#population> "129875529" .
<https://w3id.org/libertera/id/country/ZZ> <https://example.org/def#population> "1" .
"""
LT = "https://w3id.org/libertera/ontology#"


@pytest.fixture(scope="module")
def their_endpoint(launch: Launcher, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Another knowledge graph's SPARQL endpoint: a separately started Oxigraph server."""
    folder = tmp_path_factory.mktemp("their-graph")
    data = folder / "theirs.nt"
    data.write_text(THEIR_DATA, encoding="utf-8")
    base, process = launch.oxigraph(folder, data)
    yield base
    launch.stop(process)


@pytest.fixture(scope="module", params=["memory", "oxigraph"])
def federating_server(
    request: pytest.FixtureRequest,
    launch: Launcher,
    their_endpoint: str,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[RunningServer]:
    """Our server, on each store, allowed to call the other endpoint and nothing else."""
    server = launch.ours(
        tmp_path_factory.mktemp("federating"), "--store", request.param, "--allow-service", their_endpoint
    )
    yield server
    server.stop()


def _rows(answer: httpx.Response) -> list[dict[str, str]]:
    assert answer.status_code == 200, answer.text
    return [{k: v["value"] for k, v in b.items()} for b in answer.json()["results"]["bindings"]]


def test_another_engine_joins_its_data_with_ours_through_service(
    their_endpoint: str, our_server: RunningServer
) -> None:
    query = f"""
        SELECT ?code ?population WHERE {{
          ?country <https://example.org/def#population> ?population .
          SERVICE <{our_server.url}sparql> {{ ?country <{LT}isoAlpha2> ?code }}
        }} ORDER BY ?code"""
    answer = httpx.get(
        their_endpoint + "query",
        params={"query": query},
        headers={"Accept": "application/sparql-results+json"},
        timeout=60,
    )
    assert _rows(answer) == [
        {"code": "BR", "population": "203080756"},
        {"code": "MX", "population": "129875529"},
    ]


def test_our_server_federates_out_when_allowed(federating_server: RunningServer, their_endpoint: str) -> None:
    query = f"""
        SELECT ?label ?population WHERE {{
          ?country <{LT}isoAlpha2> "BR" ; <http://www.w3.org/2004/02/skos/core#prefLabel> ?label .
          SERVICE <{their_endpoint}query> {{ ?country <https://example.org/def#population> ?population }}
        }}"""
    answer = httpx.get(
        federating_server.url + "sparql",
        params={"query": query},
        headers={"Accept": "application/sparql-results+json"},
        timeout=60,
    )
    assert _rows(answer) == [{"label": "Brazil", "population": "203080756"}]


def test_the_same_federated_query_is_refused_without_the_flag(
    our_server: RunningServer, their_endpoint: str
) -> None:
    query = f"SELECT * WHERE {{ SERVICE <{their_endpoint}query> {{ ?s ?p ?o }} }}"
    answer = httpx.get(our_server.url + "sparql", params={"query": query}, timeout=60)
    assert answer.status_code == 403
    assert "which is not allowed here" in answer.text


def test_an_allowed_prefix_does_not_open_other_addresses(
    federating_server: RunningServer, unused_loopback_url: str
) -> None:
    query = f"SELECT * WHERE {{ SERVICE <{unused_loopback_url}> {{ ?s ?p ?o }} }}"
    answer = httpx.get(federating_server.url + "sparql", params={"query": query}, timeout=60)
    assert answer.status_code == 403

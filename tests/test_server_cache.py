"""Answers kept and revalidated: the server's own cache gives the bytes a worker writes afresh, every
answer carries an ETag and Cache-Control, a GET that holds the answer gets 304, and errors are not kept."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import httpx
import pytest

from libertera_kg.server.answers import AnswerCache, entity_tag
from libertera_kg.server.workers import Answer, QueryJob

if TYPE_CHECKING:
    from conftest import Launcher, RunningServer

QUERIES = [
    # No blank nodes: each worker labels them anew.
    (
        "sparql",
        {"query": "SELECT * { ?s ?p ?o FILTER (!isBlank(?s) && !isBlank(?o)) } ORDER BY ?s ?p ?o LIMIT 40"},
    ),
    (
        "sparql",
        {
            "query": "CONSTRUCT { ?s ?p ?o } WHERE { ?s a ?t ; ?p ?o FILTER (!isBlank(?s) && !isBlank(?o)) } "
            "ORDER BY ?s ?p ?o LIMIT 30"
        },
    ),
    ("queries/cases-by-country", {"country": "BR"}),
    ("id/country/BR", {}),
]
ACCEPTS = [
    "application/sparql-results+json",
    "text/csv",
    "text/turtle",
    "application/n-triples",
    "application/ld+json",
    "application/rdf+xml",
]


@pytest.fixture(scope="module")
def uncached_server(launch: Launcher, tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    """A server as ``our_server`` is, but keeping no answer."""
    options = ("--timeout", "60", "--queue-wait", "300", "--max-rows", "500", "--max-query-bytes", "100000")
    server = launch.ours(tmp_path_factory.mktemp("serve-uncached"), *options, "--cache-mb", "0")
    yield server
    server.stop()


def _get(server: RunningServer, path: str, params: dict[str, str], accept: str) -> httpx.Response:
    with httpx.Client(base_url=server.url, timeout=60) as client:
        return client.get(path, params=params, headers={"Accept": accept})


@pytest.mark.parametrize(("path", "params"), QUERIES)
def test_a_kept_answer_is_the_bytes_a_worker_writes_afresh(
    our_server: RunningServer, uncached_server: RunningServer, path: str, params: dict[str, str]
) -> None:
    for accept in ACCEPTS:
        fresh = _get(uncached_server, path, params, accept)
        if fresh.status_code == 406:  # a form that does not come in this format
            continue
        assert fresh.status_code == 200, fresh.text
        first, again = (_get(our_server, path, params, accept) for _ in range(2))
        assert first.content == again.content == fresh.content, accept
        assert first.headers["etag"] == again.headers["etag"] == fresh.headers["etag"]
        assert first.headers["etag"] == entity_tag(fresh.content)
        assert first.headers["cache-control"] == "public, max-age=300"


def test_a_get_holding_the_answer_gets_304_and_a_post_the_answer(our_server: RunningServer) -> None:
    query = {"query": "ASK { ?s a ?o }"}
    with httpx.Client(base_url=our_server.url, timeout=60) as client:
        answer = client.get("sparql", params=query, headers={"Accept": "application/sparql-results+json"})
        tag = answer.headers["etag"]
        held = {"Accept": "application/sparql-results+json", "If-None-Match": f'"other", {tag}'}
        revalidated = client.get("sparql", params=query, headers=held)
        assert revalidated.status_code == 304
        assert revalidated.content == b""
        assert revalidated.headers["etag"] == tag
        stale = client.get("sparql", params=query, headers={**held, "If-None-Match": '"other"'})
        assert stale.status_code == 200
        assert stale.content == answer.content
        posted = client.post("sparql", data=query, headers=held)
        assert posted.status_code == 200
        assert posted.content == answer.content


def test_errors_are_not_kept_or_tagged(our_server: RunningServer) -> None:
    with httpx.Client(base_url=our_server.url, timeout=60) as client:
        for _ in range(2):
            answer = client.get("sparql", params={"query": "SELECT ?s WHERE { ?s"})
            assert answer.status_code == 400
            assert "etag" not in answer.headers


def _answer(body: bytes) -> Answer:
    return Answer("SELECT", body=body, media_type="text/csv", etag=entity_tag(body))


def test_the_cache_holds_at_most_its_bytes_dropping_the_least_recently_used() -> None:
    cache = AnswerCache(100)
    first, second, third = (QueryJob(f"SELECT * {{ ?s ?p {n} }}") for n in range(3))
    cache.keep(first, _answer(b"a" * 40))
    cache.keep(second, _answer(b"b" * 40))
    assert cache.get(first) is not None  # now the most recently used
    cache.keep(third, _answer(b"c" * 40))
    assert cache.get(second) is None
    assert cache.get(first) is not None
    assert cache.get(third) is not None
    assert cache.held_bytes == 80
    cache.keep(QueryJob("SELECT * {}"), _answer(b"d" * 101))  # larger than the whole cache
    assert len(cache) == 2
    cache.keep(QueryJob("SELECT * {}", raw=True), _answer(b"e"))  # a result for a page, not an answer
    assert len(cache) == 2
    assert AnswerCache(0).get(first) is None


def test_serve_refuses_a_negative_cache_size(capsys: pytest.CaptureFixture[str]) -> None:
    from libertera_kg.cli import main

    with pytest.raises(SystemExit) as stopped:
        main(["serve", "--cache-mb", "-1"])
    assert stopped.value.code == 2
    assert "--cache-mb: '-1' is not a whole number of 0 or more" in capsys.readouterr().err

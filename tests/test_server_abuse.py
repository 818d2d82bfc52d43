"""The server under load and abuse, on 127.0.0.1, bounded in count: concurrent clients get every answer
right, attacks on every route get a 4xx, random parameters never cause a server error, and the data stays
the same throughout."""

from __future__ import annotations

import concurrent.futures
import os
import random
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from libertera_kg import connect, list_queries

if TYPE_CHECKING:
    from conftest import Launcher, RunningServer

RESULTS_JSON = "application/sparql-results+json"
CASES = "SELECT ?case WHERE { ?case a <https://w3id.org/libertera/ontology#Case> }"
CLIENTS = 20
REQUESTS_EACH = 50


def _mixed_requests() -> list[tuple[str, str, dict[str, object], Callable[[httpx.Response], bool]]]:
    """Requests of every kind the server answers, each with a check of its answer."""
    by_country = connect().query("cases-by-country", country="BR").to_csv()
    return [
        (
            "GET",
            "sparql",
            {"params": {"query": CASES}, "headers": {"Accept": RESULTS_JSON}},
            lambda r: len(r.json()["results"]["bindings"]) == 6,
        ),
        (
            "POST",
            "sparql",
            {"data": {"query": "ASK { ?c a <https://w3id.org/libertera/ontology#Case> }"}},
            lambda r: r.json()["boolean"] is True,
        ),
        (
            "POST",
            "sparql",
            {
                "content": "CONSTRUCT { ?c a ?t } WHERE { ?c a ?t . FILTER (?t = "
                "<https://w3id.org/libertera/ontology#Case>) }",
                "headers": {"Content-Type": "application/sparql-query", "Accept": "application/n-triples"},
            },
            lambda r: len(r.text.strip().splitlines()) == 6,
        ),
        (
            "GET",
            "queries/cases-by-country",
            {"params": {"country": "BR"}, "headers": {"Accept": "text/csv"}},
            lambda r: r.text == by_country,
        ),
        ("GET", "id/country/BR", {"headers": {"Accept": "text/html"}}, lambda r: "<h1>Brazil" in r.text),
        ("GET", "id/country/MX", {"headers": {"Accept": "text/turtle"}}, lambda r: '"MX"' in r.text),
        ("GET", ".well-known/void", {}, lambda r: "void:triples" in r.text),
        ("GET", "queries", {}, lambda r: len(r.json()["queries"]) >= 15),
    ]


def test_twenty_concurrent_clients_get_every_answer_right(our_server: RunningServer) -> None:
    before = our_server.dataset_hash()
    kinds = _mixed_requests()

    def client(seed: int) -> list[str]:
        problems = []
        chooser = random.Random(seed)
        with httpx.Client(base_url=our_server.url, timeout=120) as http:
            for _ in range(REQUESTS_EACH):
                method, path, options, check = chooser.choice(kinds)
                answer = http.request(method, path, **options)  # type: ignore[arg-type]
                if answer.status_code != 200 or not check(answer):
                    problems.append(f"{method} {path}: {answer.status_code} {answer.text[:200]}")
        return problems

    with concurrent.futures.ThreadPoolExecutor(max_workers=CLIENTS) as pool:
        problems = [p for found in pool.map(client, range(CLIENTS)) for p in found]
    assert problems == []
    assert our_server.dataset_hash() == before


ROUTES = [
    "",
    "sparql",
    "queries",
    "queries/countries",
    "id/country/BR",
    ".well-known/void",
    "dumps/libertera.nt",
]


@pytest.mark.parametrize("route", ROUTES)
def test_updates_are_refused_on_every_route(our_server: RunningServer, route: str) -> None:
    before = our_server.dataset_hash()
    update = "INSERT DATA { <urn:x:a> <urn:x:b> <urn:x:c> }"
    with httpx.Client(base_url=our_server.url, timeout=60) as http:
        answers = [
            http.post(route, data={"update": update}),
            http.post(route, content=update, headers={"Content-Type": "application/sparql-update"}),
            http.put(
                route, content="<urn:x:a> <urn:x:b> <urn:x:c> .", headers={"Content-Type": "text/turtle"}
            ),
            http.delete(route),
            http.patch(route, content=update),
        ]
        after = http.get("sparql", params={"query": CASES}, headers={"Accept": RESULTS_JSON})
    for answer in answers:
        assert 400 <= answer.status_code < 500, f"{answer.request.method} /{route}: {answer.status_code}"
    assert len(after.json()["results"]["bindings"]) == 6
    assert our_server.dataset_hash() == before


QUERY_NAMES = [query.name for query in list_queries()]
PARAMETER_NAMES = sorted({p.name for query in list_queries() for p in query.parameters} | {"format"})


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    name=st.sampled_from(QUERY_NAMES),
    params=st.dictionaries(
        st.one_of(st.sampled_from(PARAMETER_NAMES), st.text(min_size=1, max_size=12)),
        st.one_of(
            st.text(max_size=40), st.integers().map(str), st.sampled_from(["BR", "json", "2025-11-10"])
        ),
        max_size=3,
    ),
    accept=st.sampled_from(["*/*", RESULTS_JSON, "text/csv", "image/png", "", "text/html;q=0.1, */*;q=x"]),
)
def test_random_parameters_never_cause_a_server_error(
    our_server: RunningServer, name: str, params: dict[str, str], accept: str
) -> None:
    answer = httpx.get(
        our_server.url + f"queries/{name}", params=params, headers={"Accept": accept}, timeout=60
    )
    assert answer.status_code in (200, 400, 406), f"{answer.status_code}: {answer.text[:300]}"
    assert answer.text


@pytest.mark.parametrize("store", ["memory", "oxigraph"])
def test_a_query_past_the_memory_limit_gets_503_and_the_server_goes_on(
    store: str, tmp_path_factory: pytest.TempPathFactory, launch: Launcher
) -> None:
    """An ORDER BY over a cross product grew a worker by 1.5 GB a second, bounded only by the time limit;
    now the worker's memory is capped, and the query is answered as one past its time."""
    server = launch.ours(
        tmp_path_factory.mktemp(f"memory-{store}"), "--store", store, "--max-memory", "400", "--timeout", "60"
    )
    try:
        url = server.url + "sparql"
        greedy = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f } ORDER BY ?a ?d ?f ?c"
        answer = httpx.post(url, data={"query": greedy}, timeout=120)
        assert answer.status_code == 503, answer.text
        assert "more memory than the limit of 400 MB" in answer.text
        for _ in range(4):  # every worker, fresh or not, still answers
            assert httpx.get(url, params={"query": "ASK {}"}, timeout=60).json() == {
                "head": {},
                "boolean": True,
            }
    finally:
        server.stop()


CARTESIAN = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


@pytest.mark.parametrize("store", ["memory", "oxigraph"])
def test_a_cheap_query_is_answered_while_slow_ones_hold_every_worker(
    store: str, tmp_path_factory: pytest.TempPathFactory, launch: Launcher
) -> None:
    """Two slow queries held both workers for a whole time limit, and every other client waited behind
    them. Now a spare starts when the last idle worker is taken: the cheap query is answered while both
    slow ones still run (they end only at the time limit)."""
    server = launch.ours(
        tmp_path_factory.mktemp(f"busy-{store}"), "--store", store, "--workers", "2", "--timeout", "20"
    )
    try:
        url = server.url + "sparql"
        with concurrent.futures.ThreadPoolExecutor(2) as pool:
            slow = [pool.submit(httpx.post, url, data={"query": CARTESIAN}, timeout=120) for _ in range(2)]
            while not _busy_workers(server, 2):  # both slow queries have reached a worker
                assert not any(each.done() for each in slow), [each.result().text for each in slow]
            cheap = httpx.get(url, params={"query": CASES}, headers={"Accept": RESULTS_JSON}, timeout=120)
            assert not any(each.done() for each in slow), "the slow queries ended before the cheap answer"
            assert cheap.status_code == 200, cheap.text
            assert len(cheap.json()["results"]["bindings"]) == 6
            assert [each.result().status_code for each in slow] == [503, 503]
    finally:
        server.stop()


def test_a_request_that_finds_every_worker_busy_gets_503_with_retry_after(
    tmp_path_factory: pytest.TempPathFactory, launch: Launcher
) -> None:
    """With no spare allowed (``--max-workers 1``), a request waits at most ``--queue-wait`` for the busy
    worker, then gets 503 and a Retry-After header; the server answers again once the worker is free."""
    server = launch.ours(
        tmp_path_factory.mktemp("full"),
        *("--workers", "1", "--max-workers", "1", "--timeout", "15", "--queue-wait", "1"),
    )
    try:
        url = server.url + "sparql"
        with concurrent.futures.ThreadPoolExecutor(1) as pool:
            slow = pool.submit(httpx.post, url, data={"query": CARTESIAN}, timeout=120)
            while not _busy_workers(server, 1):
                pass
            waiting = httpx.get(url, params={"query": "ASK {}"}, timeout=120)
            assert not slow.done(), "the slow query ended before the wait did"
            assert waiting.status_code == 503, waiting.text
            assert waiting.headers["retry-after"] == "1"
            assert "stayed busy with other queries for 1 seconds" in waiting.text
            assert slow.result().status_code == 503  # stopped at its own time limit
        assert httpx.get(url, params={"query": "ASK {}"}, timeout=120).json()["boolean"] is True
    finally:
        server.stop()


def _busy_workers(server: RunningServer, count: int) -> bool:
    """Whether ``count`` of the server's child processes are using the processor (a slow query running
    there), read from /proc over a third of a second."""
    before = _child_cpu_ticks(server.process.pid)
    time.sleep(0.33)
    after = _child_cpu_ticks(server.process.pid)
    tick = os.sysconf("SC_CLK_TCK")
    busy = [pid for pid, ticks in after.items() if ticks - before.get(pid, ticks) > 0.15 * tick]
    return len(busy) >= count


def _child_cpu_ticks(parent: int) -> dict[int, int]:
    """The processor time (user and system, in clock ticks) of each child process of ``parent``."""
    ticks = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:  # ended meanwhile
            continue
        if int(fields[1]) == parent:
            ticks[int(stat.parent.name)] = int(fields[11]) + int(fields[12])
    return ticks

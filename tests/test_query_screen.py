"""The screen every query passes, read from its tokens rather than an engine's parser: it refuses what
would call a service not allowed or overflow an engine's stack, and nothing a store can run."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import httpx
import pytest

from libertera_kg import QueryError, QueryRefusedError, ReadOnlyError, Store
from libertera_kg.query_text import UnreadableQueryError, read_query_text
from libertera_kg.untrusted import MAX_QUERY_CHAIN, MAX_QUERY_DEPTH

if TYPE_CHECKING:
    from conftest import Launcher, RunningServer

COMMAND = str(Path(sys.executable).parent / "libertera-kg")
OPERATION = "https://w3id.org/libertera/id/operation/liberterra-iii"


def nested(depth: int) -> str:
    return "SELECT * WHERE " + "{" * depth + f"<{OPERATION}> ?p ?o" + "}" * depth + " LIMIT 1"


def unions(branches: int) -> str:
    return (
        "SELECT ?o WHERE { "
        + " UNION ".join(f"{{ <{OPERATION}> <http://example.org/p{i}> ?o }}" for i in range(branches))
        + " }"
    )


def hash_iri_then_service(service: str) -> str:
    """One line: an IRI holding ``#`` (which rdflib's parser takes for a comment's start), then SERVICE."""
    return (
        f"SELECT ?o WHERE {{ <{OPERATION}> <http://example.org/#p> ?o . "
        f"SERVICE SILENT <{service}> {{ ?o ?p ?x }} }}"
    )


@pytest.mark.parametrize(
    ("text", "services"),
    [
        ('SELECT * { BIND("SERVICE <http://e/> {}" AS ?x) }', ()),
        ("SELECT * { # SERVICE <http://e/> {}\n ?s ?p ?o }", ()),
        ('SELECT * { ?s ?p """a\nSERVICE <http://e/> {}""" }', ()),
        ("SELECT * { ?s <http://e/SERVICE#x> ?o }", ()),
        ("SELECT * { ?service ex:SERVICE ?o }", ()),
        ("BASE <http://h/a/b> SELECT * { SERVICE <../s> {} }", ("http://h/s",)),
        ("PREFIX e: <http://e/> SELECT * { SERVICE SILENT e:s\\/t {} }", ("http://e/s/t",)),
        ("select * { service ?where {} }", ("?where",)),
        ("SELECT * {?s<http://x/#a>?o.SERVICE<http://e/>{}}", ("http://e/",)),
    ],
    ids=["literal", "comment", "long literal", "iri", "names", "base", "prefixed", "variable", "no spaces"],
)
def test_services_are_read_from_the_tokens(text: str, services: tuple[str, ...]) -> None:
    assert read_query_text(text).services == services


def test_the_tokens_give_form_dataset_and_star() -> None:
    text = read_query_text("PREFIX g: <http://g/> SELECT DISTINCT * FROM g:a FROM NAMED <http://g/b> { }")
    assert (text.form, text.default_graphs, text.named_graphs, text.select_star) == (
        "SELECT",
        ("http://g/a",),
        ("http://g/b",),
        True,
    )
    assert read_query_text("# SELECT in a comment\nINSERT DATA { <a> <b> <c> }").is_update
    assert read_query_text("SELECT ?s { { SELECT * { ?s ?p ?o } } }").select_star is False
    with pytest.raises(UnreadableQueryError, match="line 2"):
        read_query_text('SELECT *\n{ ?s ?p "unclosed }')


@pytest.mark.parametrize("kind", ["oxigraph", "oxigraph-on-disk"])
def test_what_oxigraph_runs_is_not_refused(
    kind: str, stores: dict[str, Store], unused_loopback_url: str
) -> None:
    """rdflib's parser refused all three before (a ``#`` IRI before SERVICE, 40 nested groups, 1,000
    UNION branches) although pyoxigraph runs them."""
    store = stores[kind]
    assert (
        store.sparql(hash_iri_then_service(unused_loopback_url), allowed_services=(unused_loopback_url,)).rows
        == ()
    )
    assert len(store.sparql(nested(40)).rows) == 1
    assert store.sparql(unions(1_000)).rows == ()


def test_rdflib_s_own_limits_say_where_the_query_runs(
    stores: dict[str, Store], unused_loopback_url: str
) -> None:
    for text in (hash_iri_then_service(unused_loopback_url), nested(40)):
        with pytest.raises(QueryError, match="the oxigraph store runs: --store oxigraph") as raised:
            stores["memory"].sparql(text, allowed_services=(unused_loopback_url,))
        assert not isinstance(raised.value, QueryRefusedError)


@pytest.mark.parametrize("kind", ["memory", "oxigraph"])
def test_a_query_that_would_overflow_an_engine_is_refused(kind: str, stores: dict[str, Store]) -> None:
    for text in (nested(MAX_QUERY_DEPTH + 1), unions(MAX_QUERY_CHAIN + 2)):
        with pytest.raises(QueryRefusedError, match="overflow the engines' stack"):
            stores[kind].sparql(text)
    with pytest.raises(ReadOnlyError):
        stores[kind].sparql(f"INSERT DATA {{ <{OPERATION}> <http://example.org/p> 1 }}")


def test_the_command_line_refuses_what_would_crash_it(tmp_path: Path) -> None:
    """Before the screen read nesting, 3,000 nested groups killed the process (SIGSEGV in pyoxigraph)."""
    query = tmp_path / "deep.rq"
    query.write_text(nested(3_000), encoding="utf-8")
    done = subprocess.run(
        [COMMAND, "sparql", str(query), "--store", "oxigraph"], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 2, done.stderr
    assert "nests 3,000 levels deep" in done.stderr


@pytest.fixture(scope="module", params=["memory", "oxigraph"])
def allowing_server(
    request: pytest.FixtureRequest, launch: Launcher, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[RunningServer]:
    """Our server on each store, allowing SERVICE calls to loopback."""
    server = launch.ours(
        tmp_path_factory.mktemp("screen"), "--store", request.param, "--allow-service", "http://127.0.0.1:"
    )
    yield server
    server.stop()


def test_the_server_answers_what_its_store_runs_and_refuses_what_would_crash_it(
    allowing_server: RunningServer, unused_loopback_url: str
) -> None:
    """Before, the server read each query with rdflib's parser for its form: 1,000 UNION branches got 400
    on both stores, and 3,000 nested groups killed an oxigraph worker."""
    oxigraph = "--store oxigraph" in " ".join(allowing_server.process.args)  # type: ignore[arg-type]
    with httpx.Client(base_url=allowing_server.url, timeout=60) as client:

        def post(text: str) -> httpx.Response:
            return client.post(
                "sparql",
                content=text,
                headers={"Content-Type": "application/sparql-query", "Accept": "text/csv"},
            )

        assert post(unions(1_000)).status_code == (200 if oxigraph else 400)
        answer = post(hash_iri_then_service(unused_loopback_url))
        assert answer.status_code == (200 if oxigraph else 400), answer.text
        deep = post(nested(3_000))
        assert deep.status_code == 403, deep.text
        assert "nests 3,000 levels deep" in deep.text
        assert (
            client.get("sparql", params={"query": f"ASK {{ <{OPERATION}> ?p ?o }}"}).json()["boolean"] is True
        )


def test_rdflib_parses_a_query_once_for_the_screen_and_the_run() -> None:
    """The screen's look for misread SERVICE clauses and the engine read the same parse (it was parsed
    twice: a third of a canned query's time on the command line)."""
    from libertera_kg import connect
    from libertera_kg.inspection import _parsed

    store = connect()
    text = "SELECT ?s WHERE { ?s a <https://w3id.org/libertera/ontology#Operation> } # parsed once"
    before = _parsed.cache_info().misses
    store.sparql(text)
    assert _parsed.cache_info().misses - before == 1

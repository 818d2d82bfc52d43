"""Pushing the graph into another SPARQL 1.1 store over the Graph Store Protocol: a real, writable Oxigraph
server on 127.0.0.1, which then answers every canned query as our own stores do."""

from __future__ import annotations

import base64
import http.server
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from libertera_kg import connect, list_queries
from libertera_kg.cli import main
from libertera_kg.push import Credentials

if TYPE_CHECKING:
    from conftest import Launcher


@pytest.fixture
def empty_store(launch: Launcher, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    base, process = launch.empty_oxigraph(tmp_path_factory.mktemp("empty-oxigraph"))
    yield base
    launch.stop(process)


def test_a_pushed_store_answers_every_canned_query_as_ours(
    empty_store: str, capsys: pytest.CaptureFixture[str]
) -> None:
    command = ["push", "--endpoint", empty_store + "query", "--graph-store", empty_store + "store"]
    assert main(command) == 0
    output = capsys.readouterr().out
    assert "pushed 16 graphs" in output
    assert "https://w3id.org/libertera/graph/news-article-libertera-3" in output
    remote, local = connect(endpoint=empty_store + "query"), connect()
    for canned in list_queries():
        assert remote.query(canned.name).rows == local.query(canned.name).rows, canned.name
    # Pushing again replaces each graph: the store holds the same triples, not twice as many.
    assert main(command) == 0
    total = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
    assert remote.sparql(total).rows == local.sparql(total).rows


def test_the_merged_graph_pushed_into_a_default_graph_answers_as_ours(
    launch: Launcher, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A store whose queries see only its default graph, given the merged graph there."""
    base, process = launch.empty_oxigraph(tmp_path, union=False)
    try:
        command = ["push", "--endpoint", base + "query", "--graph-store", base + "store"]
        assert main([*command, "--union-graph", "default"]) == 0
        assert "default graph was replaced by the merged graph" in capsys.readouterr().out
        remote, local = connect(endpoint=base + "query"), connect()
        for canned in list_queries():
            assert remote.query(canned.name).rows == local.query(canned.name).rows, canned.name
    finally:
        launch.stop(process)


def test_a_wrong_graph_store_address_is_a_clear_error(
    empty_store: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert (
        main(["push", "--endpoint", empty_store + "query", "--graph-store", empty_store + "nowhere"]) == 3
    ), "a remote failure"
    error = capsys.readouterr().err
    assert "refused the PUT" in error
    assert "--graph-store" in error
    assert "Traceback" not in error


def test_an_unreachable_store_is_named(unused_loopback_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["push", "--endpoint", unused_loopback_url]) == 3
    assert "Cannot reach the graph store" in capsys.readouterr().err


def test_credentials_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STORE_PASSWORD", "s3cret")
    user = Credentials.from_environment("ana", "STORE_PASSWORD", "NO_SUCH_TOKEN")
    assert (user.user, user.password, user.token, user.kind) == ("ana", "s3cret", None, "a user and password")
    monkeypatch.setenv("STORE_TOKEN", "abc")
    token = Credentials.from_environment(None, "NONE", "STORE_TOKEN")
    assert (token.token, token.kind) == ("abc", "a token")
    assert Credentials().kind is None


class _AuthenticatingDoor(http.server.BaseHTTPRequestHandler):
    """A door to a real Oxigraph graph store (``server.store``) that asks for a password (HTTP Basic) or
    takes a bearer token, as many stores sit behind a web server; it counts the requests let through."""

    server: _Door

    def _pass_on(self) -> None:
        accepted = {"Basic " + base64.b64encode(b"ana:s3cret").decode(), "Bearer t0ken"}
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        if self.headers.get("Authorization") not in accepted:
            self.send_response(401)
            self.send_header("WWW-Authenticate", 'Basic realm="store"')
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        self.server.let_through += 1
        query = self.path.partition("?")[2]
        forwarded = urllib.request.Request(
            f"{self.server.store}?{query}", data=body or None, method=self.command
        )
        forwarded.add_header("Content-Type", self.headers.get("Content-Type") or "application/n-triples")
        try:
            with urllib.request.urlopen(forwarded) as answer:
                status = answer.status
        except urllib.error.HTTPError as exc:
            status = exc.code
        self.send_response(status)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def do_HEAD(self) -> None:
        self._pass_on()

    def do_PUT(self) -> None:
        self._pass_on()

    def log_message(self, *_: object) -> None:
        pass


class _Door(http.server.ThreadingHTTPServer):
    store: str
    let_through: int = 0


@pytest.mark.parametrize(
    ("options", "variable", "secret"),
    [(["--user", "ana"], "LIBERTERA_KG_PASSWORD", "s3cret"), ([], "LIBERTERA_KG_TOKEN", "t0ken")],
    ids=["basic", "bearer"],
)
def test_a_store_behind_a_door_gets_the_password_or_token(
    empty_store: str, monkeypatch: pytest.MonkeyPatch, options: list[str], variable: str, secret: str
) -> None:
    door = _Door(("127.0.0.1", 0), _AuthenticatingDoor)
    door.store = empty_store + "store"
    thread = threading.Thread(target=door.serve_forever, daemon=True)
    thread.start()
    try:
        monkeypatch.setenv(variable, secret)
        address = f"http://127.0.0.1:{door.server_address[1]}/store"
        assert main(["push", "--endpoint", empty_store + "query", "--graph-store", address, *options]) == 0
    finally:
        door.shutdown()
        door.server_close()
    # Each graph came with the secret (a password only after the HEAD that asked for the challenge).
    assert door.let_through == 16
    remote, local = connect(endpoint=empty_store + "query"), connect()
    assert remote.query("countries").rows == local.query("countries").rows


class _NegotiateOnly(http.server.BaseHTTPRequestHandler):
    """A graph store that asks for an authentication scheme push does not speak."""

    def _refuse(self) -> None:
        self.send_response(401)
        self.send_header("WWW-Authenticate", "Negotiate")
        self.send_header("Content-Length", "0")
        self.end_headers()

    def do_HEAD(self) -> None:
        self._refuse()

    def do_PUT(self) -> None:
        self._refuse()

    def log_message(self, *_: object) -> None:
        pass


def test_a_scheme_push_does_not_speak_is_named(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    server = http.server.HTTPServer(("127.0.0.1", 0), _NegotiateOnly)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        monkeypatch.setenv("LIBERTERA_KG_PASSWORD", "secret")
        url = f"http://127.0.0.1:{server.server_address[1]}/store"
        assert main(["push", "--endpoint", url, "--user", "ana"]) == 3
    finally:
        server.shutdown()
        server.server_close()
    error = capsys.readouterr().err
    assert "asks for authentication by Negotiate, which push does not answer" in error
    assert "Traceback" not in error

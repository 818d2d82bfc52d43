"""Shared fixtures: the shipped knowledge graph loaded once, the folder of small test files, and the graph
in every kind of store, including a real Oxigraph server on 127.0.0.1."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from libertera_kg import KnowledgeGraph, Store, connect, load, load_into_store
from libertera_kg.publish import publish

FIXTURES = Path(__file__).parent / "fixtures"

# The engine launchers (tests/engines/other_engines.py), shared with the benchmarks.
sys.path.insert(0, str(Path(__file__).parent / "engines"))
import other_engines  # noqa: E402
from other_engines import free_loopback_port, stop  # noqa: E402


@pytest.fixture(scope="session")
def kg() -> KnowledgeGraph:
    """The ontology and data exactly as the installed package ships them."""
    return load()


@pytest.fixture(scope="session")
def fixtures() -> Path:
    """The folder of small Turtle files, valid and broken, that the tests use."""
    return FIXTURES


def oxigraph_server_binary() -> Path | None:
    """The ``oxigraph`` server installed beside this Python (the test extra's ``oxigraph`` package)."""
    beside = Path(sys.executable).parent / "oxigraph"
    found = beside if beside.is_file() else shutil.which("oxigraph")
    return Path(found) if found else None


@pytest.fixture
def unused_loopback_url() -> str:
    """A SPARQL endpoint URL on 127.0.0.1 where nothing listens."""
    return f"http://127.0.0.1:{free_loopback_port()}/query"


def wait_until_answering(url: str, process: subprocess.Popen[bytes], log: Path, timeout: float = 60) -> None:
    """Poll ``url`` until it answers a trivial ASK, or fail the test with the server's output."""
    try:
        other_engines.wait_until_answering(url, process, log, timeout)
    except RuntimeError as failure:
        pytest.fail(str(failure))


#: Queries on the server see all named graphs as the default graph, as they do on our embedded stores.
UNION = ("--union-default-graph",)


def _oxigraph_or_skip() -> Path:
    binary = oxigraph_server_binary()
    if binary is None:
        pytest.skip(
            "the Oxigraph server is not installed: pip install 'libertera-kg[test]' (package oxigraph)"
        )
    return binary


def _run_oxigraph(folder: Path, *arguments: str) -> tuple[str, subprocess.Popen[bytes]]:
    """``oxigraph ARGUMENTS --bind`` a free loopback port, once it answers: its base URL and process."""
    port = free_loopback_port()
    log = folder / "server.log"
    with log.open("wb") as output:
        process = subprocess.Popen(
            [str(_oxigraph_or_skip()), *arguments, "--bind", f"127.0.0.1:{port}"],
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}/"
    try:
        wait_until_answering(base + "query", process, log)
    except BaseException:
        process.kill()
        raise
    return base, process


def start_oxigraph(
    folder: Path, data: Path, *options: str, default_graph: Path | None = None
) -> tuple[str, subprocess.Popen[bytes]]:
    """A real, read-only Oxigraph server on 127.0.0.1 holding ``data`` (any RDF file it reads), and
    ``default_graph``'s triples in its default graph; its base URL and process. ``options`` go to
    ``oxigraph serve-read-only`` (such as ``--union-default-graph``)."""
    location = folder / "store"
    for file in (data, *([default_graph] if default_graph else [])):
        subprocess.run(
            [str(_oxigraph_or_skip()), "load", "--location", str(location), "--file", str(file)],
            check=True,
            capture_output=True,
        )
    return _run_oxigraph(folder, "serve-read-only", "--location", str(location), *options)


def start_empty_oxigraph(folder: Path, *, union: bool = True) -> tuple[str, subprocess.Popen[bytes]]:
    """A writable, empty Oxigraph server on 127.0.0.1 (in memory) whose queries see the union of its
    graphs (or, with ``union=False``, its default graph alone); its base URL (``query``, ``store``) and
    process."""
    return _run_oxigraph(folder, "serve", *(UNION if union else ()))


@pytest.fixture(scope="session")
def sparql_endpoint(kg: KnowledgeGraph, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real Oxigraph server on 127.0.0.1, loaded with our published N-Quads dump and, as its default
    graph, the merged N-Triples dump (each triple once, as our stores' default graph: a union default
    graph would repeat a triple that two sources state); yields its query URL."""
    root = tmp_path_factory.mktemp("oxigraph-server")
    publish(kg.dataset, root / "dist")
    base, process = start_oxigraph(
        root, root / "dist" / "libertera.nq", default_graph=root / "dist" / "libertera.nt"
    )
    yield base + "query"
    stop(process)


@pytest.fixture(scope="session")
def stores(
    kg: KnowledgeGraph, sparql_endpoint: str, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, Store]:
    """The same graph in every kind of store: rdflib, pyoxigraph in memory and on disk, a remote endpoint."""
    on_disk = tmp_path_factory.mktemp("oxi") / "store"
    load_into_store(on_disk, [], progress=False)  # a new store holds our graph
    return {
        "memory": connect(graph=kg),
        "oxigraph": connect("oxigraph", graph=kg),
        "oxigraph-on-disk": connect("oxigraph", path=on_disk),
        "endpoint": connect(endpoint=sparql_endpoint),
    }


class RunningServer:
    """Our own server, started as a user starts it (``libertera-kg serve``), on a free loopback port."""

    def __init__(self, process: subprocess.Popen[bytes], url: str, log: Path):
        self.process = process
        self.url = url
        self.log = log

    def stop(self) -> None:
        stop(self.process)

    def dataset_hash(self) -> str:
        """A hash of every triple the server holds, read in pages that fit under any row cap. Triples
        with a blank node, which each worker labels anew, count by number."""
        import httpx

        digest = hashlib.sha256()
        with httpx.Client(base_url=self.url, timeout=60) as client:
            blank = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o FILTER (isBlank(?s) || isBlank(?o)) }"
            counted = client.get("sparql", params={"query": blank}, headers={"Accept": "text/csv"})
            digest.update(counted.content)
            for offset in range(0, 1_000_000, 400):
                page = (
                    "SELECT ?s ?p ?o WHERE { ?s ?p ?o FILTER (!isBlank(?s) && !isBlank(?o)) } "
                    f"ORDER BY ?s ?p ?o LIMIT 400 OFFSET {offset}"
                )
                answer = client.get(
                    "sparql", params={"query": page}, headers={"Accept": "text/tab-separated-values"}
                )
                assert answer.status_code == 200, answer.text
                lines = answer.text.splitlines()[1:]
                digest.update("\n".join(lines).encode())
                if len(lines) < 400:
                    return digest.hexdigest()
        raise AssertionError("the server holds more triples than the test expects")


def start_our_server(folder: Path, *options: str) -> RunningServer:
    """Start ``libertera-kg serve`` with ``options`` and wait until its endpoint answers."""
    port = free_loopback_port()
    log = folder / f"serve-{port}.log"
    command = [str(Path(sys.executable).parent / "libertera-kg"), "serve", "--port", str(port), *options]
    with log.open("wb") as output:
        process = subprocess.Popen(command, stdout=output, stderr=subprocess.STDOUT)
    server = RunningServer(process, f"http://127.0.0.1:{port}/", log)
    try:
        wait_until_answering(server.url + "sparql", process, log, timeout=120)
    except BaseException:
        server.stop()
        raise
    return server


@pytest.fixture(scope="session")
def our_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    """Our server on the rdflib store, with a small row cap and query size so tests reach them; its time
    limit and queue wait are far above what any honest query takes on a slow, busy machine (the tests of
    the time limit start their own server), so that no answer depends on the machine's speed."""
    server = start_our_server(
        tmp_path_factory.mktemp("serve"),
        *("--timeout", "60", "--queue-wait", "300", "--max-rows", "500", "--max-query-bytes", "100000"),
    )
    yield server
    server.stop()


@pytest.fixture(scope="session")
def our_oxigraph_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    """Our server on the pyoxigraph store, with the default limits."""
    server = start_our_server(tmp_path_factory.mktemp("serve-oxigraph"), "--store", "oxigraph")
    yield server
    server.stop()


@pytest.fixture(scope="session")
def launch() -> Launcher:
    """Start servers from a test module: ours (``launch.ours``) and Oxigraph's (``launch.oxigraph``)."""
    return Launcher()


class Launcher:
    """The server starters, for modules whose fixtures need their own servers."""

    ours = staticmethod(start_our_server)
    oxigraph = staticmethod(start_oxigraph)
    empty_oxigraph = staticmethod(start_empty_oxigraph)
    stop = staticmethod(stop)

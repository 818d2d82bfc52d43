"""The engines people run at scale, Virtuoso and Jena, answer every canned query as our stores do.

Both come from Debian's packages and are started here on 127.0.0.1: a private OpenLink Virtuoso (its own
``virtuoso.ini`` and database in a temporary folder, no system service) and Apache Jena ARQ's command
line and a small endpoint over it (``engines/``). Each skips, naming the package to install, where it is
missing.

Virtuoso is filled by ``libertera-kg push`` through its Digest-authenticated Graph Store route, with the
merged graph beside the named ones, and queried with the protocol's dataset; Jena ARQ runs over the
published dumps.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from other_engines import EngineMissingError, Jena, Virtuoso
from rdflib.query import Result

from libertera_kg import KnowledgeGraph, Store, connect, list_queries
from libertera_kg.catalogue import get_query, with_values
from libertera_kg.cli import main
from libertera_kg.publish import publish
from libertera_kg.results import result_from_any
from libertera_kg.views import list_views, view

#: The named graph push fills with every triple once: Virtuoso's default graph is every graph it holds.
MERGED = "https://w3id.org/libertera/graph/merged"


@pytest.fixture(scope="module")
def local(kg: KnowledgeGraph) -> Store:
    return connect(graph=kg)


@pytest.fixture(scope="module")
def virtuoso(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Virtuoso]:
    try:
        server = Virtuoso(tmp_path_factory.mktemp("virtuoso"))
    except EngineMissingError as missing:
        pytest.skip(str(missing))
    yield server
    server.stop()


@pytest.fixture(scope="module")
def our_graphs(kg: KnowledgeGraph) -> list[str]:
    """The named graphs we publish: the dataset a store holding more is asked for, beside ``MERGED``."""
    return sorted(
        str(g.identifier) for g in kg.dataset.graphs() if len(g) and "urn:x-rdflib" not in g.identifier
    )


@pytest.fixture(scope="module")
def pushed(virtuoso: Virtuoso, our_graphs: list[str]) -> Store:
    """Our graph pushed into Virtuoso as a user does it, and the store that queries it with our dataset."""
    command = [
        "push",
        "--endpoint",
        virtuoso.url + "sparql",
        "--graph-store",
        virtuoso.url + "sparql-graph-crud-auth",
        "--user",
        "dba",
        "--union-graph",
        MERGED,
    ]
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("LIBERTERA_KG_PASSWORD", "dba")
        assert main(command) == 0
    return connect(endpoint=virtuoso.url + "sparql", default_graphs=[MERGED], named_graphs=our_graphs)


@pytest.fixture(scope="module", params=["pushed", "jena_endpoint"], ids=["virtuoso", "jena"])
def engine(request: pytest.FixtureRequest) -> Store:
    """The store that queries each engine."""
    store: Store = request.getfixturevalue(request.param)
    return store


@pytest.mark.parametrize("name", [q.name for q in list_queries()])
def test_every_engine_answers_every_canned_query_as_ours(engine: Store, local: Store, name: str) -> None:
    assert engine.query(name).rows == local.query(name).rows


@pytest.mark.parametrize("name", [v.name for v in list_views()])
def test_every_engine_gives_every_view_as_ours(engine: Store, local: Store, name: str) -> None:
    graph, reference = view(name, engine), view(name, local)
    assert dict(graph.nodes(data=True)) == dict(reference.nodes(data=True))
    assert list(graph.edges(keys=True, data=True)) == list(reference.edges(keys=True, data=True))


def test_virtuoso_needs_the_named_graphs_only_to_count_them(
    pushed: Store, virtuoso: Virtuoso, local: Store
) -> None:
    """As the README says: with the merged default graph alone, every canned query but graph-statistics
    gives our rows."""
    default_only = connect(endpoint=virtuoso.url + "sparql", default_graphs=[MERGED])
    differ = {q.name for q in list_queries() if default_only.query(q.name).rows != local.query(q.name).rows}
    assert differ == {"graph-statistics"}


def test_a_dataset_of_many_graphs_is_sent_and_answered(
    virtuoso: Virtuoso, pushed: Store, local: Store
) -> None:
    """Virtuoso echoes every graph of the dataset as a header of its answer: with more than a hundred, the
    answer still reads."""
    many = [f"https://example.org/graph/{number}" for number in range(150)]
    store = connect(endpoint=virtuoso.url + "sparql", default_graphs=[MERGED], named_graphs=many)
    assert store.query("countries").rows == local.query("countries").rows


def test_virtuoso_ask_and_booleans_read_as_booleans(pushed: Store) -> None:
    """Virtuoso writes an ASK as one row of ``__ASK_RETVAL`` and every boolean as 1 or 0."""
    assert pushed.sparql("ASK { ?s ?p ?o }").to_dicts() == [{"ask": True}]
    assert pushed.sparql("ASK { ?s <urn:no-such-property> ?o }").to_dicts() == [{"ask": False}]
    stored = "SELECT ?v WHERE { ?s <https://w3id.org/libertera/ontology#stillOngoing> ?v } LIMIT 1"
    assert [row["v"]["value"] for row in pushed.bindings(stored)] == ["true"]


def test_the_command_line_sends_the_dataset(
    pushed: Store,
    virtuoso: Virtuoso,
    our_graphs: list[str],
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
) -> None:
    """Without the dataset Virtuoso's own graphs count too; with it, the answer is ours."""
    base = ["query", "graph-statistics", "--format", "csv", "--endpoint", virtuoso.url + "sparql"]
    assert main(base) == 0
    everything = capsys.readouterr().out
    named = [arg for graph in our_graphs for arg in ("--named-graph", graph)]
    assert main([*base, "--default-graph", MERGED, *named]) == 0
    ours = capsys.readouterr().out
    assert ours == connect().query("graph-statistics").to_csv()
    assert ours != everything
    # The same for any query, and for a view's export.
    query = tmp_path / "graphs.rq"
    query.write_text("SELECT (COUNT(DISTINCT ?g) AS ?graphs) WHERE { GRAPH ?g { ?s ?p ?o } }")
    sparql = ["sparql", str(query), "--format", "csv", "--endpoint", virtuoso.url + "sparql"]
    assert main([*sparql, "--default-graph", MERGED, *named]) == 0
    assert capsys.readouterr().out.splitlines()[1] == str(len(our_graphs))
    export = ["export", "network", "-o", str(tmp_path / "network.csv"), "--endpoint", virtuoso.url + "sparql"]
    assert main([*export, "--default-graph", MERGED]) == 0
    assert main(["export", "network", "-o", str(tmp_path / "ours.csv")]) == 0
    assert (tmp_path / "network.csv").read_bytes() == (tmp_path / "ours.csv").read_bytes()


def test_push_without_credentials_names_the_scheme_the_store_asks_for(
    virtuoso: Virtuoso, capsys: pytest.CaptureFixture[str]
) -> None:
    store = virtuoso.url + "sparql-graph-crud-auth"
    assert main(["push", "--endpoint", virtuoso.url + "sparql", "--graph-store", store]) == 3
    assert "asks for authentication (Digest); give --user" in capsys.readouterr().err


def test_push_with_a_wrong_password_is_refused_as_such(
    virtuoso: Virtuoso, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LIBERTERA_KG_PASSWORD", "not-the-password")
    store = virtuoso.url + "sparql-graph-crud-auth"
    assert main(["push", "--endpoint", virtuoso.url + "sparql", "--graph-store", store, "--user", "dba"]) == 3
    error = capsys.readouterr().err
    assert "refused the credentials (Digest)" in error
    assert "Traceback" not in error


@pytest.fixture(scope="module")
def jena(kg: KnowledgeGraph, tmp_path_factory: pytest.TempPathFactory) -> Jena:
    folder = tmp_path_factory.mktemp("jena")
    publish(kg.dataset, folder / "dist")
    try:
        return Jena(folder, folder / "dist" / "libertera.nq", folder / "dist" / "libertera.nt")
    except EngineMissingError as missing:
        pytest.skip(str(missing))


@pytest.fixture(scope="module")
def jena_endpoint(jena: Jena) -> Iterator[Store]:
    url, process = jena.serve()
    yield connect(endpoint=url)
    process.terminate()
    process.wait(timeout=30)


def test_jena_runs_a_canned_query_as_the_readme_says(jena: Jena, local: Store) -> None:
    canned = get_query("operation-overview")
    answer = jena.arq_sparql(with_values(canned.text, canned.bind({})))
    parsed = Result.parse(io.BytesIO(json.dumps(answer).encode()), format="json")
    # Read as the library reads every engine's rows (integer types as xsd:integer, as Oxigraph stores them).
    theirs = result_from_any([str(v) for v in parsed.vars or ()], [tuple(row) for row in parsed])
    assert theirs.rows == local.query("operation-overview").rows

"""Bad input refused cleanly on the command line, on every command that reads it: a documented exit code,
one paragraph naming the culprit, no traceback, nothing written, a store on disk unchanged."""

from __future__ import annotations

import hashlib
import re
import socket
import subprocess
import sys
import threading
import tracemalloc
from collections.abc import Callable
from pathlib import Path

import pytest

from libertera_kg import QueryError, QueryRefusedError, Store, load_into_store
from libertera_kg.cli import main
from libertera_kg.untrusted import MAX_LINE_BYTES, screen_rdf_file

COMMAND = str(Path(sys.executable).parent / "libertera-kg")

ENTITY_BOMB = """<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <rdf:Description rdf:about="https://example.org/a"><rdf:value>&lol9;</rdf:value></rdf:Description>
</rdf:RDF>
"""

EXTERNAL_ENTITY = """<?xml version="1.0"?>
<!DOCTYPE r [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <rdf:Description rdf:about="https://example.org/a"><rdf:value>&secret;</rdf:value></rdf:Description>
</rdf:RDF>
"""

OPERATION = "https://w3id.org/libertera/id/operation/liberterra-iii"
PREF_LABEL = "http://www.w3.org/2004/02/skos/core#prefLabel"
TRIPLE = '<https://example.org/a> <https://example.org/p> "x" .\n'


def _write(path: Path, content: str | bytes) -> Path:
    if isinstance(content, str):
        content = content.encode("utf-8")
    path.write_bytes(content)
    return path


#: Each bad input: how to make it in a folder, and what the error must say about it.
BAD_INPUTS: dict[str, tuple[Callable[[Path], Path], str]] = {
    "missing": (lambda d: d / "missing.ttl", "the file does not exist"),
    "empty": (lambda d: _write(d / "empty.ttl", ""), "the file is empty"),
    "folder": (lambda d: (d / "folder.ttl").mkdir() or d / "folder.ttl", "this is a folder"),
    "broken on line 3": (
        lambda d: _write(d / "broken.ttl", TRIPLE + TRIPLE + "<https://example.org/b> oops .\n"),
        ", line 3",
    ),
    "binary": (lambda d: _write(d / "binary.ttl", bytes(range(256)) * 4), "binary data"),
    "wrong extension": (lambda d: _write(d / "table.csv", "a,b\n1,2\n"), "unknown RDF file type '.csv'"),
    "another format": (lambda d: _write(d / "really-xml.ttl", EXTERNAL_ENTITY), "holds XML"),
    "entity bomb": (lambda d: _write(d / "bomb.rdf", ENTITY_BOMB), "<!DOCTYPE"),
    "external entity": (lambda d: _write(d / "external.owl", EXTERNAL_ENTITY), "<!DOCTYPE"),
    "remote context": (
        lambda d: _write(d / "remote.jsonld", '{"@context": "https://example.org/context.jsonld"}'),
        "never fetched",
    ),
    "not UTF-8": (
        lambda d: _write(d / "latin.ttl", TRIPLE.replace('"x"', '"caf\xe9"').encode("latin-1")),
        "UTF-8",
    ),
    "invalid IRI": (
        lambda d: _write(d / "space.ttl", '<https://example.org/a b> <https://example.org/p> "x" .\n'),
        "IRI",
    ),
}

#: Every command that reads a user's RDF file, with the file and a place to write to.
COMMANDS: dict[str, Callable[[Path, Path], list[str]]] = {
    "validate": lambda file, out: ["validate", str(file)],
    "check": lambda file, out: ["check", str(file)],
    "build": lambda file, out: ["build", str(file), "-o", str(out / "dist")],
    "query --data": lambda file, out: ["query", "timeline", "--data", str(file)],
    "export --data": lambda file, out: [
        "export",
        "network",
        "--data",
        str(file),
        "-o",
        str(out / "n.graphml"),
    ],
    "load": lambda file, out: ["load", str(file), "--store-path", str(out / "store")],
}


def one_paragraph(err: str) -> str:
    assert "Traceback" not in err
    assert "internal error" not in err
    assert len(err.strip().splitlines()) == 1, err
    return err


def snapshot(folder: Path) -> dict[str, str]:
    """Every file under ``folder`` and a digest of its bytes: equal snapshots, an unchanged store."""
    return {
        str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


@pytest.fixture(scope="module")
def existing_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    store = tmp_path_factory.mktemp("existing") / "store"
    load_into_store(store, [], progress=False)
    return store


@pytest.mark.parametrize("command", list(COMMANDS))
@pytest.mark.parametrize("bad", list(BAD_INPUTS))
def test_every_command_refuses_every_bad_input_cleanly(
    bad: str, command: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    make, says = BAD_INPUTS[bad]
    file = make(tmp_path)
    out = tmp_path / "out"
    out.mkdir()
    assert main(COMMANDS[command](file, out)) == 2
    err = one_paragraph(capsys.readouterr().err)
    assert err.startswith(f"libertera-kg: error: {file}"), err
    assert says in err
    assert list(out.iterdir()) == [], "nothing is written"


@pytest.mark.parametrize("bad", list(BAD_INPUTS))
def test_a_bad_file_leaves_an_existing_store_as_it_was(
    bad: str, existing_store: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = snapshot(existing_store)
    file = BAD_INPUTS[bad][0](tmp_path)
    good = _write(tmp_path / "good.ttl", TRIPLE)
    assert main(["load", str(good), str(file), "--store-path", str(existing_store)]) == 2
    one_paragraph(capsys.readouterr().err)
    assert snapshot(existing_store) == before
    assert [p.name for p in existing_store.parent.iterdir()] == ["store"], "no copy is left behind"


def test_the_entity_bomb_is_refused_in_a_few_megabytes(tmp_path: Path) -> None:
    """Refused by reading its first chunk: well before a parser could expand it (before the fix, Oxigraph
    expanded it to 15 GB of memory)."""
    bomb = _write(tmp_path / "bomb.rdf", ENTITY_BOMB + "<!-- padding -->\n" * 500_000)
    tracemalloc.start()
    try:
        with pytest.raises(Exception, match="<!DOCTYPE"):
            screen_rdf_file(bomb)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 8 * 1024 * 1024


def test_loading_the_entity_bomb_stays_small(tmp_path: Path) -> None:
    """The whole command, in its own process: its peak memory is that of any start-up."""
    bomb = _write(tmp_path / "bomb.rdf", ENTITY_BOMB)
    measure = (
        "import resource, subprocess, sys; "
        "done = subprocess.run(sys.argv[1:], capture_output=True); "
        "print(done.returncode, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
    )
    argv = [sys.executable, "-c", measure, COMMAND, "load", str(bomb), "--store-path", str(tmp_path / "s")]
    code, peak_kib = subprocess.run(argv, capture_output=True, text=True, timeout=300).stdout.split()
    assert code == "2"
    assert int(peak_kib) < 400 * 1024
    assert not (tmp_path / "s").exists()


@pytest.mark.parametrize("command", ["validate", "load"])
def test_a_line_longer_than_any_statement_is_refused(
    command: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    huge = tmp_path / "huge.nt"
    with huge.open("wb") as out:
        out.write(TRIPLE.encode() * 2)
        out.write(b'<https://example.org/a> <https://example.org/p> "')
        out.write(b"x" * (MAX_LINE_BYTES + 1))
        out.write(b'" .\n')
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    assert main(COMMANDS[command](huge, out_dir)) == 2
    err = one_paragraph(capsys.readouterr().err)
    assert f"{huge}, line 3: the line is longer than 16 MiB" in err
    assert list(out_dir.iterdir()) == []


def test_a_quad_file_s_default_graph_takes_its_name_and_may_not_take_a_shipped_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The graphs a TriG file names are its own (so each published dump goes back in); the triples of its
    default graph go to the graph named after the file, which must not be a shipped one."""
    reference = _write(tmp_path / "reference.trig", TRIPLE)
    for argv in (["validate", str(reference)], ["load", str(reference), "--store-path", str(tmp_path / "s")]):
        assert main(argv) == 2
        err = one_paragraph(capsys.readouterr().err)
        assert "<https://w3id.org/libertera/graph/reference>, which the shipped reference.trig fills" in err
    assert not (tmp_path / "s").exists()
    named = _write(tmp_path / "reference.trig", "<https://example.org/graph/g> {\n" + TRIPLE + "}\n")
    assert main(["validate", str(named)]) == 0, "named after a shipped file, but filling only its own graph"


@pytest.mark.parametrize("command", ["validate", "load"])
def test_a_file_named_like_a_shipped_graph_or_like_another_file_is_refused(
    command: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for folder in ("a", "b"):
        (tmp_path / folder).mkdir()
    ontology = _write(tmp_path / "a" / "ontology.ttl", TRIPLE)
    first, second = _write(tmp_path / "a" / "x.ttl", TRIPLE), _write(tmp_path / "b" / "x.ttl", TRIPLE)
    store = ["--store-path", str(tmp_path / "s")] if command == "load" else []
    assert main([command, str(ontology), *store]) == 2
    assert "graph/ontology>, which the ontology fills" in one_paragraph(capsys.readouterr().err)
    assert main([command, str(first), str(second), *store]) == 2
    err = one_paragraph(capsys.readouterr().err)
    assert err.startswith(f"libertera-kg: error: {second}: its triples would go into the graph")
    assert f"which {first} fills" in err
    assert not (tmp_path / "s").exists()


def test_graph_chooses_the_graph_a_file_goes_into(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    ontology = _write(tmp_path / "ontology.ttl", TRIPLE)
    store = tmp_path / "s"
    chosen = "https://example.org/graph/my-ontology"
    assert main(["load", str(ontology), "--store-path", str(store), "--graph", chosen]) == 0
    capsys.readouterr()
    query = _write(tmp_path / "q.rq", "SELECT ?g WHERE { GRAPH ?g { <https://example.org/a> ?p ?o } }")
    assert (
        main(["sparql", str(query), "--store", "oxigraph", "--store-path", str(store), "--format", "csv"])
        == 0
    )
    assert capsys.readouterr().out.splitlines() == ["g", chosen]
    with pytest.raises(SystemExit):
        main(["load", str(ontology), "--store-path", str(store), "--graph", "not an iri"])
    assert main(["load", str(ontology), str(query), "--store-path", str(store), "--graph", chosen]) == 2
    assert "--graph names the graph of one file" in capsys.readouterr().err


def test_a_file_name_with_a_space_becomes_a_valid_graph_iri(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spaced = _write(tmp_path / "my report.ttl", TRIPLE)
    store = tmp_path / "s"
    assert main(["load", str(spaced), "--store-path", str(store)]) == 0
    capsys.readouterr()
    query = _write(tmp_path / "q.rq", "SELECT ?g WHERE { GRAPH ?g { <https://example.org/a> ?p ?o } }")
    assert (
        main(["sparql", str(query), "--store", "oxigraph", "--store-path", str(store), "--format", "csv"])
        == 0
    )
    assert capsys.readouterr().out.splitlines() == ["g", "https://w3id.org/libertera/graph/my%20report"]
    assert main(["validate", str(spaced)]) == 0
    assert "does not look like a valid URI" not in capsys.readouterr().err


def test_only_load_creates_a_store(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    typo = tmp_path / "stroe"
    assert main(["query", "timeline", "--store", "oxigraph", "--store-path", str(typo)]) == 2
    err = one_paragraph(capsys.readouterr().err)
    assert f"{typo}: no such store; only load creates one" in err
    assert not typo.exists()
    a_file = _write(tmp_path / "notes.txt", "hello")
    assert main(["serve", "--store", "oxigraph", "--store-path", str(a_file)]) == 2
    assert "this is a file, not a store folder" in one_paragraph(capsys.readouterr().err)
    folder = tmp_path / "folder.nq"
    folder.mkdir()
    assert main(["load", str(folder), "--store-path", str(tmp_path / "s")]) == 2
    assert f"{folder}: this is a folder, not an RDF file" in one_paragraph(capsys.readouterr().err)


@pytest.mark.parametrize(
    "argv",
    [
        ["export", "network", "-o", "{blocked}/view.graphml"],
        ["draw", "network", "-o", "{blocked}/view.png"],
        ["synth", "--operations", "2", "-o", "{blocked}/synthetic.nq"],
        ["docs", "-o", "{blocked}/docs"],
        ["build", "-o", "{blocked}/dist"],
    ],
    ids=lambda argv: argv[0],
)
def test_an_output_that_cannot_be_written_is_one_clear_error(
    argv: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    blocked = _write(tmp_path / "a-file", "not a folder")  # even root cannot write under a file
    assert main([part.format(blocked=blocked) for part in argv]) == 2
    err = one_paragraph(capsys.readouterr().err)
    assert f"{blocked} is not a folder" in err or "Not a directory" in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a-file"]


def test_export_takes_its_format_from_the_file_name(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["export", "network", "-o", str(tmp_path / "view.gexf")]) == 0
    assert (tmp_path / "view.gexf").read_text(encoding="utf-8").startswith("<gexf")
    capsys.readouterr()
    assert main(["export", "network", "--format", "csv", "-o", str(tmp_path / "x.graphml")]) == 2
    assert "--format csv contradicts the file name" in one_paragraph(capsys.readouterr().err)
    assert main(["export", "network", "-o", str(tmp_path / "view.txt")]) == 2
    assert "Cannot tell the format" in one_paragraph(capsys.readouterr().err)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["view.gexf"]
    assert main(["export", "network", "--format", "csv", "-o", str(tmp_path / "edges")]) == 0


def test_push_refuses_an_address_that_is_not_a_url(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["push", "--endpoint", "not-a-url"])
    assert exit_info.value.code == 2
    assert "'not-a-url' is not an http:// or https:// URL" in capsys.readouterr().err


def test_push_with_a_user_but_no_password_is_refused_naming_the_variable(
    unused_loopback_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("STORE_PASSWORD", raising=False)
    argv = ["push", "--endpoint", unused_loopback_url, "--user", "ana", "--password-env", "STORE_PASSWORD"]
    assert main(argv) == 2
    err = one_paragraph(capsys.readouterr().err)
    assert "the environment variable STORE_PASSWORD, which must hold the password, is not set" in err


@pytest.mark.parametrize("command", [["validate", "--alone"], ["check", "--alone"], ["build"]])
def test_an_empty_rdf_file_is_named_as_empty(
    tmp_path: Path, command: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    empty = tmp_path / "empty.ttl"
    empty.write_bytes(b"")
    out = tmp_path / "dist"
    assert main([*command, str(empty), *(["-o", str(out)] if command == ["build"] else [])]) == 2
    err = one_paragraph(capsys.readouterr().err)
    assert f"{empty}: the file is empty" in err
    assert not out.exists()


def test_an_empty_query_file_is_named_as_empty(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    empty = tmp_path / "empty.rq"
    empty.write_text("  \n# only a comment\n", encoding="utf-8")
    assert main(["sparql", str(empty)]) == 2
    err = one_paragraph(capsys.readouterr().err)
    assert f"{empty}: the query file holds no query" in err
    assert "update" not in err


def test_a_parameter_given_twice_is_an_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["query", "cases-by-country", "-p", "country=BR", "-p", "country=MZ"]) == 2
    err = one_paragraph(capsys.readouterr().err)
    assert "The parameter 'country' is given twice" in err


@pytest.mark.parametrize("command", [["queries"], ["query", "source-quotes", "--format", "csv"]])
def test_a_closed_pipe_ends_the_command_quietly(command: list[str]) -> None:
    """As Unix tools do (``libertera-kg queries | head -1``): the reader is gone before the command
    writes, and the command ends without a word, with the status of a command ended by SIGPIPE."""
    reader = subprocess.Popen([COMMAND, *command], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert reader.stdout is not None
    assert reader.stderr is not None
    reader.stdout.close()  # long before the command has loaded anything to write
    err = reader.stderr.read()
    reader.stderr.close()
    reader.wait(timeout=120)
    assert err == b""
    assert reader.returncode == 141, "128 + SIGPIPE"


class Listener:
    """A TCP port on 127.0.0.1 that counts the connections made to it (and closes each at once)."""

    def __init__(self) -> None:
        self.socket = socket.create_server(("127.0.0.1", 0))
        self.port = self.socket.getsockname()[1]
        self.connections = 0
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                connection, _ = self.socket.accept()
            except OSError:
                return
            self.connections += 1
            connection.close()


@pytest.mark.parametrize("store", ["memory", "oxigraph"])
def test_sparql_calls_no_service_unless_allowed(
    store: str, sparql_endpoint: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    listener = Listener()
    elsewhere = f"http://127.0.0.1:{listener.port}/sparql"
    query = _write(tmp_path / "q.rq", f"SELECT * WHERE {{ SERVICE <{elsewhere}> {{ ?s ?p ?o }} }}")
    assert main(["sparql", str(query), "--store", store]) == 2
    err = one_paragraph(capsys.readouterr().err)
    assert f"calls SERVICE <{elsewhere}>, which is not allowed here" in err
    assert "--allow-service PREFIX" in err
    assert listener.connections == 0
    allowed = _write(
        tmp_path / "allowed.rq",
        f"SELECT ?label WHERE {{ SERVICE <{sparql_endpoint}> {{ <{OPERATION}> <{PREF_LABEL}> ?label }} }}",
    )
    assert (
        main(
            ["sparql", str(allowed), "--store", store, "--allow-service", sparql_endpoint, "--format", "csv"]
        )
        == 0
    )
    assert "Liberterra III" in capsys.readouterr().out
    variable = _write(
        tmp_path / "v.rq", "SELECT * WHERE { VALUES ?e { <http://127.0.0.1:9/> } SERVICE ?e { ?s ?p ?o } }"
    )
    assert main(["sparql", str(variable), "--store", store, "--allow-service", "http://127.0.0.1:"]) == 2
    assert "calls SERVICE ?e" in one_paragraph(capsys.readouterr().err)


@pytest.mark.parametrize("kind", ["memory", "oxigraph", "oxigraph-on-disk"])
def test_a_from_graph_the_store_does_not_hold_is_refused_on_every_local_store(
    kind: str, stores: dict[str, Store]
) -> None:
    listener = Listener()
    elsewhere = f"http://127.0.0.1:{listener.port}/graph"
    graphs = "SELECT DISTINCT ?g WHERE { GRAPH ?g {} } ORDER BY ?g"
    held = stores[kind].sparql(graphs)
    for text in (
        f"SELECT * FROM <{elsewhere}> WHERE {{ ?s ?p ?o }}",
        f"SELECT * FROM NAMED <{elsewhere}> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}",
    ):
        with pytest.raises(
            QueryRefusedError, match=f"names the graph <{re.escape(elsewhere)}>, which this store"
        ):
            stores[kind].sparql(text)
    assert listener.connections == 0
    assert stores[kind].sparql(graphs) == held, "a refused graph leaves no trace a later answer sees"


def test_select_star_gives_its_columns_in_one_order_on_every_store(stores: dict[str, Store]) -> None:
    text = (
        f"SELECT * WHERE {{ VALUES (?zeta ?operation) {{ (2 <{OPERATION}>) }} "
        f"?operation <{PREF_LABEL}> ?name "
        "BIND(1 AS ?b) }"
    )
    answers = {kind: store.sparql(text) for kind, store in stores.items()}
    for kind, answer in answers.items():
        assert answer.columns == ("b", "name", "operation", "zeta"), kind
        assert answer.rows == answers["memory"].rows, kind


@pytest.mark.parametrize(
    "decoy",
    [
        'BIND("{elsewhere}> {{" AS ?decoy)',
        "# {elsewhere}> {{\n",
        'FILTER(?label != "SERVICE <{elsewhere}> {{ }}")',
    ],
    ids=["literal", "comment", "literal with service"],
)
@pytest.mark.parametrize("kind", ["memory", "oxigraph"])
def test_an_allowed_service_cannot_be_turned_into_a_call_elsewhere(
    kind: str, decoy: str, sparql_endpoint: str, stores: dict[str, Store]
) -> None:
    """The allow-check and the call see the same address: rdflib's engine reads the address from the
    clause's text, where a decoy could stand, so there such a clause is refused; Oxigraph calls the IRI it
    parsed, so there the query runs. Nothing reaches the decoy on either."""
    listener = Listener()
    elsewhere = f"http://127.0.0.1:{listener.port}/sparql"
    text = (
        f"SELECT ?label WHERE {{ SERVICE <{sparql_endpoint}> {{ <{OPERATION}> <{PREF_LABEL}> ?label "
        f"{decoy.format(elsewhere=elsewhere)} }} }}"
    )
    if kind == "memory":
        with pytest.raises(QueryRefusedError, match="rdflib's engine would read as a call to another"):
            stores[kind].sparql(text, allowed_services=(sparql_endpoint,))
    else:
        assert [str(row[0]) for row in stores[kind].sparql(text, allowed_services=(sparql_endpoint,))] == [
            "Liberterra III"
        ]
    assert listener.connections == 0
    honest = text.replace(decoy.format(elsewhere=elsewhere), "")
    answer = stores[kind].sparql(honest, allowed_services=(sparql_endpoint,))
    assert [str(row[0]) for row in answer] == ["Liberterra III"]


@pytest.mark.parametrize("kind", ["memory", "oxigraph"])
def test_a_literal_cannot_send_an_allowed_service_to_another_host(
    kind: str, stores: dict[str, Store], unused_loopback_url: str
) -> None:
    """The address rdflib's engine would call for this clause is not the allowed IRI but
    ``http://localhost>{…"@127.0.0.1:PORT/x``; before the fix it tried to call it (and failed only
    because the host part does not resolve). Now the clause is refused there; Oxigraph calls the IRI it
    parsed (nothing listens there: the call fails). The listener is contacted by neither."""
    listener = Listener()
    nobody = unused_loopback_url.replace("127.0.0.1", "localhost")
    text = f'SELECT * WHERE {{ SERVICE <{nobody}>{{$s$p$o.FILTER($o!="@127.0.0.1:{listener.port}/x>{{")}} }}'
    expected = "rdflib's engine would read" if kind == "memory" else "cannot run on pyoxigraph"
    with pytest.raises(QueryError, match=expected):
        stores[kind].sparql(text, allowed_services=(nobody,))
    assert listener.connections == 0

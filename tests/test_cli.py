"""The command line as a user meets it: output, exit codes, and one-paragraph errors without tracebacks."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from rdflib import RDF, Graph, URIRef

from libertera_kg import connect, list_queries, load_into_store
from libertera_kg.cli import main
from libertera_kg.errors import UsageError
from libertera_kg.views import list_views


def test_build_summarises_the_graph_and_passes_its_checks(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["build", "-o", str(tmp_path / "dist")]) == 0
    out = capsys.readouterr().out
    assert re.search(r"^\d+ triples in \d+ named graphs$", out, re.MULTILINE)
    assert "https://w3id.org/libertera/graph/ontology" in out
    assert re.search(r"ontology: \d+ classes, \d+ properties, 12 concept schemes", out)
    assert "OWL 2 RL consistency pass" in out
    assert re.search(r"wrote \d+ canned query results to .*/queries/ \(CSV\)", out)
    results = sorted(path.stem for path in (tmp_path / "dist" / "queries").glob("*.csv"))
    assert results == [query.name for query in list_queries()]
    overview = (tmp_path / "dist" / "queries" / "operation-overview.csv").read_bytes().decode("utf-8")
    assert overview == connect().query("operation-overview").to_csv()
    assert f"wrote {len(list_views())} graph views to" in out
    written = sorted(path.name for path in (tmp_path / "dist" / "views").iterdir())
    assert written == sorted(f"{v.name}.{suffix}" for v in list_views() for suffix in ("graphml", "png"))


def test_check_accepts_a_correct_contribution(fixtures: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", str(fixtures / "valid" / "sample.trig")]) == 0
    assert "checks:" in capsys.readouterr().out


def test_check_reports_problems_with_exit_code_1(fixtures: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", str(fixtures / "broken" / "person-is-a-place.ttl")]) == 1
    err = capsys.readouterr().err
    assert "[owl-rl-consistency]" in err
    assert "Disjoint classes" in err


def test_unparsable_file_names_file_line_and_column(
    fixtures: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = fixtures / "broken" / "unparsable.ttl"
    assert main(["check", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"libertera-kg: error: {path}, line 6, column 1: not valid Turtle:")
    assert "Traceback" not in err
    assert len(err.strip().splitlines()) == 1, "the error is one paragraph"


def test_missing_file_is_named(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    missing = tmp_path / "nowhere.ttl"
    assert main(["check", str(missing)]) == 2
    assert capsys.readouterr().err == f"libertera-kg: error: {missing}: the file does not exist\n"


def test_unknown_file_type_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "data.csv"
    path.write_text("a,b\n", encoding="utf-8")
    assert main(["check", str(path)]) == 2
    assert "unknown RDF file type '.csv'" in capsys.readouterr().err


def test_invalid_utf8_names_its_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "latin1.ttl"
    path.write_bytes(b'# comment\n<urn:a> <urn:b> "caf\xe9" .\n')
    assert main(["check", str(path)]) == 2
    assert capsys.readouterr().err == f"libertera-kg: error: {path}, line 2: the file is not valid UTF-8\n"


def test_unknown_command_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["frobnicate"])
    assert exit_info.value.code == 2
    assert "invalid choice: 'frobnicate'" in capsys.readouterr().err


def test_docs_into_an_unwritable_place_fails_cleanly(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("", encoding="utf-8")
    assert main(["docs", "-o", str(blocker / "docs")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("libertera-kg: error: Cannot write the output folder")
    assert not (tmp_path / "docs").exists()


VALID_SAMPLE = Path(__file__).parent / "fixtures" / "valid" / "sample.trig"


def test_validate_our_graph_conforms(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("The data conforms: 0 violation(s), 8 warning(s), 2 note(s).")
    assert "Info: ltsh:Case-namesAnOffence (2)" in out
    assert "Children found working in a glass factory in Belize" in out, "nodes are named by label"


def test_validate_a_contributors_file_alone(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", "--alone", str(VALID_SAMPLE), "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out) == {"conforms": True, "results": []}


def test_validate_a_contributors_file_with_our_graph(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", str(VALID_SAMPLE), "--format", "json"]) == 0
    results = json.loads(capsys.readouterr().out)["results"]
    # only our own graph's results: its notes, and the warnings where our sources disagree
    assert {r["rule"] for r in results} == {
        "ltsh:Case-namesAnOffence",
        "ltsh:ExactFigureAgreesWithOtherSources",
        "ltsh:SourcesGiveDifferentValues",
    }
    assert not any("/id/test/" in r["focus"] for r in results)


def test_validate_reports_violations_with_exit_code_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = tmp_path / "broken.ttl"
    broken.write_text(
        "@prefix lt: <https://w3id.org/libertera/ontology#> .\n"
        "@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n"
        '<https://w3id.org/libertera/id/country/XA> a lt:Country ; skos:prefLabel "Exampleland"@en ;\n'
        '    lt:isoAlpha2 "xa" .\n',
        encoding="utf-8",
    )
    assert main(["validate", "--alone", str(broken)]) == 1
    out = capsys.readouterr().out
    assert out.startswith("The data does not conform: 1 violation(s), 2 warning(s), 0 note(s).")
    assert "Violation: ltsh:Country-isoAlpha2 (1)" in out
    assert "Exampleland <https://w3id.org/libertera/id/country/XA> lt:isoAlpha2 = xa" in out


def test_validate_turtle_output_is_a_shacl_report(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", str(VALID_SAMPLE), "--format", "turtle"]) == 0
    graph = Graph().parse(data=capsys.readouterr().out, format="turtle")
    shacl = "http://www.w3.org/ns/shacl#"
    (report,) = graph.subjects(RDF.type, URIRef(shacl + "ValidationReport"))
    assert graph.value(report, URIRef(shacl + "conforms")).toPython() is True


def test_validate_bad_input_is_exit_code_2(
    fixtures: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["validate", str(tmp_path / "missing.ttl")]) == 2
    assert "the file does not exist" in capsys.readouterr().err
    assert main(["validate", str(fixtures / "broken" / "unparsable.ttl")]) == 2
    assert ", line 6, column 1: not valid Turtle" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exit_info:
        main(["validate", "--format", "xml"])
    assert exit_info.value.code == 2


# Queries


def test_queries_lists_every_query_with_its_parameters(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["queries"]) == 0
    out = capsys.readouterr().out
    for query in list_queries():
        assert f"{query.name}\n    {query.summary}" in out
    assert "-p country=<country-code>  (optional)" in out


@pytest.mark.parametrize("fmt", ["csv", "tsv", "json"])
def test_query_prints_the_result_in_each_format(fmt: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["query", "cases-by-country", "-p", "country=SV", "--format", fmt]) == 0
    assert capsys.readouterr().out == connect().query("cases-by-country", country="SV").format(fmt)


def test_query_table_names_the_row_count(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["query", "network-links"]) == 0
    assert capsys.readouterr().out.rstrip().endswith("(4 rows)")


def test_query_tables_show_iris_as_the_prefixed_names_parameters_take(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["query", "what-sources-say", "-p", "entity=person:david-caunter"]) == 0
    table = capsys.readouterr().out
    assert "source:stern-liberterra-iii" in table
    assert "https://w3id.org/" not in table
    long_iri = connect().sparql(
        "SELECT ?x WHERE { BIND (<https://example.org/a/long/path/to/thing-42> AS ?x) }"
    )
    assert long_iri.to_table(width=20).splitlines()[2] == "https://e…o/thing-42"


def test_query_on_oxigraph_on_disk_and_on_an_endpoint(
    sparql_endpoint: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    expected = connect().query("timeline").to_csv()
    location = str(tmp_path / "store")
    load_into_store(Path(location), [], progress=False)
    assert (
        main(["query", "timeline", "--store", "oxigraph", "--store-path", location, "--format", "csv"]) == 0
    )
    assert main(["query", "timeline", "--endpoint", sparql_endpoint, "--format", "csv"]) == 0
    assert capsys.readouterr().out == expected + expected


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["query", "nope"], "There is no canned query called 'nope'"),
        (["query", "cases-by-country", "-p", "country=Brazil"], "The parameter 'country' must be an ISO"),
        (["query", "cases-by-country", "-p", "country"], "The parameter '-p' must be written key=value"),
        (["query", "cases-by-country", "-p", "colour=red"], "The parameter 'colour' must be a parameter"),
        (["query", "timeline", "--store-path", "x"], "Only the oxigraph store can live on disk"),
        (["sparql", "no-such-file.rq"], "no-such-file.rq: the file does not exist"),
    ],
)
def test_query_mistakes_exit_2_with_one_line(
    argv: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert message in err
    assert len(err.strip().splitlines()) == 1
    assert "Traceback" not in err


def test_query_against_an_endpoint_that_is_down_exits_3(
    unused_loopback_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["query", "timeline", "--endpoint", unused_loopback_url]) == 3, (
        "a remote failure has its own code"
    )
    err = capsys.readouterr().err
    assert unused_loopback_url in err
    assert len(err.strip().splitlines()) == 1


def test_sparql_runs_a_file_or_standard_input(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import io

    text = "SELECT (COUNT(*) AS ?cases) WHERE { ?c a <https://w3id.org/libertera/ontology#Case> }"
    (tmp_path / "cases.rq").write_text(text, encoding="utf-8")
    assert main(["sparql", str(tmp_path / "cases.rq"), "--format", "csv"]) == 0
    monkeypatch.setattr("sys.stdin", io.StringIO(text))
    assert main(["sparql", "-", "--format", "csv", "--store", "oxigraph"]) == 0
    assert capsys.readouterr().out == "cases\r\n6\r\n" * 2


@pytest.mark.parametrize("store", ["memory", "oxigraph"])
def test_sparql_syntax_error_says_the_sparql_is_invalid(
    store: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The message names where the query came from, then what is wrong with it."""
    import io

    monkeypatch.setattr("sys.stdin", io.StringIO("SELECT * WHERE { ?s ?p"))
    broken = tmp_path / "broken.rq"
    broken.write_text("SELECT ?s WHERE {\n  ?s ?p ?o\n  FILTER(\n}\n", encoding="utf-8")
    for given, named in (("-", "standard input"), (str(broken), str(broken))):
        assert main(["sparql", given, "--store", store]) == 2
        err = capsys.readouterr().err
        assert err.startswith(f"libertera-kg: error: {named}: The query is not valid SPARQL 1.1: "), err
        assert len(err.strip().splitlines()) == 1


def test_every_error_class_the_readme_names_is_importable_from_the_package() -> None:
    import libertera_kg

    readme = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    named = set(re.findall(r"`(\w+Error)`", readme))
    assert {"LiberteraError", "UsageError", "EndpointError", "OutputError", "DataFileError"} <= named
    for name in sorted(named):
        error = getattr(libertera_kg, name)
        assert issubclass(error, libertera_kg.LiberteraError), name
        assert name in libertera_kg.__all__


def test_the_library_never_raises_the_base_error_class_itself() -> None:
    source = Path(__file__).parent.parent / "src" / "libertera_kg"
    offenders = [
        f"{path.name}:{number}"
        for path in sorted(source.rglob("*.py"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if re.search(r"raise LiberteraError\b", line)
    ]
    assert offenders == [], "raise a specific class of the error tree"


def test_a_dataset_goes_only_with_an_endpoint(capsys: pytest.CaptureFixture[str]) -> None:
    """--default-graph and --named-graph name a remote endpoint's dataset; a local store refuses them."""
    graph = "https://w3id.org/libertera/graph/merged"
    assert main(["query", "countries", "--default-graph", graph]) == 2
    error = capsys.readouterr().err
    assert "name a remote endpoint's dataset; they go with an endpoint" in error
    assert "Traceback" not in error
    with pytest.raises(SystemExit) as exited:
        main(["query", "countries", "--endpoint", "http://127.0.0.1:9/q", "--named-graph", "no iri"])
    assert exited.value.code == 2
    assert "'no iri' is not an absolute IRI" in capsys.readouterr().err
    with pytest.raises(UsageError, match="FROM NAMED"):
        connect(default_graphs=[graph])

"""The canned query catalogue: headers and parameters, expected answers, and the same answers on every store.

Expected answers live in ``tests/expected/queries/<query>.<example>.tsv`` (SPARQL TSV, so types and
language tags are compared too). After a deliberate change to the data or a query, rewrite them with
``LIBERTERA_UPDATE_EXPECTED=1 pytest tests/test_queries.py`` and review the diff.
"""

from __future__ import annotations

import gc
import os
import re
from datetime import date
from decimal import Decimal
from pathlib import Path

import pyoxigraph
import pytest
from rdflib.plugins.sparql import prepareQuery

from libertera_kg import (
    DataFileError,
    EndpointError,
    QueryParameterError,
    Store,
    UnknownNameError,
    UsageError,
    connect,
    get_query,
    list_queries,
    load_into_store,
)
from libertera_kg.catalogue import parse_query_file
from libertera_kg.errors import QueryRefusedError, QuerySyntaxError, ReadOnlyError
from libertera_kg.inspection import QueryDataset
from libertera_kg.resources import resource_root
from libertera_kg.stores import with_values

EXPECTED = Path(__file__).parent / "expected" / "queries"
QUERIES_README = Path(__file__).parents[1] / "queries" / "README.md"

#: Every query runs with its defaults ("default"); these add parameter values worth checking.
EXAMPLES: dict[str, dict[str, dict[str, object]]] = {
    "cases-by-country": {"mozambique": {"country": "mz"}, "france-has-none": {"country": "FR"}},
    "cases-by-offence": {
        "kidnapping": {"offence": "offence:kidnapping"},
        "organ-removal": {"offence": "offence:trafficking-for-organ-removal"},
    },
    "exploitation-trends": {"increasing": {"direction": "trend:increasing"}},
    "figures-at-least": {"all": {"minimum": 0}, "over-5000": {"minimum": "5000"}},
    "provenance": {
        "brazil": {"entity": "country:BR"},
        "exact-arrests": {"entity": "figure:liberterra-iii-arrests-exact"},
        "belize-case": {"entity": "https://w3id.org/libertera/id/case/belize-glass-factory"},
    },
    "timeline": {
        "from-15th": {"from": "2025-11-15"},
        "to-15th": {"to": date(2025, 11, 15)},
        "whole-period": {"from": "2025-11-10", "to": "2025-11-21"},
    },
    "search-labels": {"quote-in-text": {"text": 'El "Gordo'}, "labour": {"text": "LABOUR"}},
}

CASES = [(q.name, "default", {}) for q in list_queries()] + [
    (name, label, params) for name, examples in EXAMPLES.items() for label, params in examples.items()
]


# The catalogue itself


def test_the_catalogue_answers_at_least_fifteen_questions() -> None:
    assert len(list_queries()) >= 15


@pytest.mark.parametrize("name", [q.name for q in list_queries()])
def test_every_query_is_documented(name: str) -> None:
    query = get_query(name)
    assert query.summary
    assert not query.summary.endswith(".")
    assert len(query.description) > 60, "the description should say what the columns hold and the order"
    assert query.tags
    for parameter in query.parameters:
        assert parameter.description
        if parameter.required:
            assert parameter.default is not None, (
                "the build runs every query, so required ones need a default"
            )
    assert name in QUERIES_README.read_text(encoding="utf-8"), "queries/README.md should list every query"


@pytest.mark.parametrize("name", [q.name for q in list_queries()])
def test_every_query_is_plain_sparql_11_for_any_engine(name: str) -> None:
    """Both rdflib's and Oxigraph's parsers accept it, so it uses no engine's own extensions."""
    text = get_query(name).text
    prepareQuery(text)
    pyoxigraph.Store().query(text)  # parses, runs on an empty store
    assert re.search(r"^ORDER BY ", text, re.MULTILINE), "rows must come in a stated order"


def test_examples_name_only_real_queries_and_parameters() -> None:
    for name, examples in EXAMPLES.items():
        known = {p.name for p in get_query(name).parameters}
        for params in examples.values():
            assert set(params) <= known


HEADER = "#+ summary: Things\n#+ description: Every thing.\n#+ tags:\n#+   - things\n"


def _parse(text: str) -> object:
    return parse_query_file(text, path="queries/things.rq")


def test_a_query_without_a_summary_is_refused() -> None:
    with pytest.raises(DataFileError, match="no '#\\+ summary:'"):
        _parse("#+ description: x\n\nSELECT * WHERE { ?s ?p ?o } ORDER BY ?s")


def test_an_undocumented_parameter_is_refused() -> None:
    with pytest.raises(DataFileError, match=r"parameter 'thing' .* not documented"):
        _parse(HEADER + "\nSELECT * WHERE { ?_thing_iri ?p ?o } ORDER BY ?p")


def test_a_documented_parameter_the_query_does_not_use_is_refused() -> None:
    with pytest.raises(DataFileError, match="documents a parameter 'ghost'"):
        _parse(HEADER + "#+ parameters:\n#+   ghost: a ghost\n\nSELECT * WHERE { ?s ?p ?o } ORDER BY ?s")


def test_an_unknown_parameter_type_is_refused() -> None:
    with pytest.raises(DataFileError, match="unknown parameter type suffix '_colour_scheme'"):
        _parse(HEADER + "#+ parameters:\n#+   thing: x\n\nSELECT * WHERE { ?s ?p ?_thing_colour_scheme }")


def test_an_unknown_header_key_is_refused() -> None:
    with pytest.raises(DataFileError, match="unknown header key"):
        _parse(HEADER + "#+ colour: blue\n\nSELECT * WHERE { ?s ?p ?o } ORDER BY ?s")


def test_a_header_that_is_not_yaml_names_the_line() -> None:
    with pytest.raises(DataFileError) as caught:
        _parse("#+ summary: Things\n#+ tags: [unclosed\n\nSELECT * WHERE { ?s ?p ?o }")
    assert caught.value.line == 2
    assert "\n" not in str(caught.value)


def test_parameters_follow_the_grlc_names() -> None:
    query = _parse(
        HEADER
        + "#+ parameters:\n#+   a: an IRI\n#+   b: a number\n#+   c: a date\n#+   d: words\n#+   e: a label\n"
        "\nSELECT * WHERE { ?_a_iri ?p ?_b_integer . ?x ?y ?__c_xsd_date . ?z ?w ?_d . ?v ?u ?__e_fr }"
    )
    kinds = [(p.name, p.kind, p.required) for p in query.parameters]  # type: ignore[attr-defined]
    assert kinds == [
        ("a", "iri", True),
        ("b", "integer", True),
        ("c", "date", False),
        ("d", "string", True),
        ("e", "@fr", False),
    ]


# Parameters are checked and bound safely


def test_unknown_parameter_names_the_parameter_and_the_allowed_ones() -> None:
    with pytest.raises(
        QueryParameterError, match=r"'colour' must be a parameter of query 'provenance'.*entity"
    ):
        connect().query("provenance", colour="blue")


@pytest.mark.parametrize(
    ("name", "params", "message"),
    [
        ("cases-by-country", {"country": "BRA"}, "'country' must be an ISO 3166-1 alpha-2 country code"),
        ("cases-by-country", {"country": "B1"}, "'country' must be an ISO 3166-1 alpha-2"),
        ("figures-at-least", {"minimum": "lots"}, "'minimum' must be a whole number"),
        ("figures-at-least", {"minimum": "1.5"}, "'minimum' must be a whole number"),
        ("figures-at-least", {"minimum": True}, "'minimum' must be a whole number"),
        ("timeline", {"from": "21/11/2025"}, "'from' must be a date written YYYY-MM-DD"),
        ("provenance", {"entity": "nowhere:thing"}, "'entity' must be an absolute IRI"),
        ("provenance", {"entity": "https://example.org/a> } <b"}, "'entity' must be an absolute IRI"),
        ("provenance", {"entity": "not an iri"}, "'entity' must be an absolute IRI"),
    ],
)
def test_values_of_the_wrong_kind_are_refused_naming_the_parameter(
    name: str, params: dict[str, object], message: str
) -> None:
    with pytest.raises(QueryParameterError, match=message):
        get_query(name).bind(params)


def test_a_missing_required_parameter_without_default_is_refused() -> None:
    query = _parse(HEADER + "#+ parameters:\n#+   thing: the thing\n\nSELECT * WHERE { ?_thing_iri ?p ?o }")
    with pytest.raises(QueryParameterError, match="'thing' must be given: the thing; no value was given"):
        query.bind({})  # type: ignore[attr-defined]


def test_text_values_are_bound_as_terms_never_as_query_text() -> None:
    """A value full of SPARQL syntax is one literal: it finds nothing and changes nothing."""
    store = connect()
    hostile = '"))} } DELETE WHERE { ?s ?p ?o } #'
    assert len(store.query("search-labels", text=hostile)) == 0
    assert len(store.query("search-labels", text="Brazil")) == 5


def test_unknown_query_lists_the_catalogue() -> None:
    with pytest.raises(UnknownNameError, match=r"no canned query called 'nope'.*cases-by-country"):
        connect().query("nope")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("SELECT * WHERE { ?s ?p ?o }", "SELECT * WHERE { VALUES (?_x) { (<urn:x:1>) } ?s ?p ?o }"),
        (
            "# a { in a comment\nSELECT * WHERE {}",
            "# a { in a comment\nSELECT * WHERE { VALUES (?_x) { (<urn:x:1>) }}",
        ),
        (
            "SELECT (\"{\" AS ?b) ('''}{''' AS ?c) WHERE {}",
            "SELECT (\"{\" AS ?b) ('''}{''' AS ?c) WHERE { VALUES (?_x) { (<urn:x:1>) }}",
        ),
        (
            "PREFIX e: <http://example.org/#x> SELECT * { }",
            "PREFIX e: <http://example.org/#x> SELECT * { VALUES (?_x) { (<urn:x:1>) } }",
        ),
        ("SELECT (?a < 3 AS ?b) WHERE {}", "SELECT (?a < 3 AS ?b) WHERE { VALUES (?_x) { (<urn:x:1>) }}"),
        (
            "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }",
            "CONSTRUCT { ?s ?p ?o } WHERE { VALUES (?_x) { (<urn:x:1>) } ?s ?p ?o }",
        ),
        (
            "construct {\n ?s ?p [ ?q ?o ] } { ?s ?p ?o }",
            "construct {\n ?s ?p [ ?q ?o ] } { VALUES (?_x) { (<urn:x:1>) } ?s ?p ?o }",
        ),
    ],
)
def test_values_open_the_outermost_group(text: str, expected: str) -> None:
    from rdflib import URIRef

    assert with_values(text, {"_x": URIRef("urn:x:1")}) == expected


# Expected answers


def _expected_file(name: str, label: str) -> Path:
    return EXPECTED / f"{name}.{label}.tsv"


@pytest.mark.parametrize(("name", "label", "params"), CASES, ids=[f"{n}.{lbl}" for n, lbl, _ in CASES])
def test_each_query_gives_its_expected_answer(name: str, label: str, params: dict[str, object]) -> None:
    answer = connect().query(name, **params).to_tsv()
    path = _expected_file(name, label)
    if os.environ.get("LIBERTERA_UPDATE_EXPECTED") == "1":
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(answer, encoding="utf-8")
    assert path.is_file(), f"no expected answer for {name} ({label}); see this module's docstring"
    assert answer == path.read_text(encoding="utf-8")


def test_no_expected_answer_is_left_without_its_query() -> None:
    expected = {path.name for path in EXPECTED.glob("*.tsv")}
    assert expected == {_expected_file(name, label).name for name, label, _ in CASES}


def test_the_overview_keeps_every_figure_as_the_article_states_it() -> None:
    rows = connect().query("operation-overview").to_dicts()
    stated = {(r["quantity"], r["value"], r["bound"], r["statedAs"]) for r in rows}
    assert ("suspects arrested", 3744, "=", "3,744") in stated
    assert ("suspects arrested", 3700, ">", "more than 3,700") in stated
    assert ("law-enforcement personnel", 14000, ">", "More than 14,000") in stated
    assert ("participating countries", 119, "=", "119") in stated
    assert ("potential victims protected or rescued", 4414, "=", "4,414") in stated  # INTERPOL's release
    # Only the figures of "According to initial reports ..." are preliminary.
    preliminary = {r["statedAs"] for r in rows if r["status"] == "preliminary"}
    assert preliminary == {"3,744", "over 1,800", "more than 1,800"}
    text = (resource_root() / "data" / "source" / "news-article-libertera-3.txt").read_text(encoding="utf-8")
    quoted = [row for row in rows if row["quote"] is not None]
    assert len(quoted) == 8, "the article's figures, each pinned to its words"
    for row in quoted:
        assert text[row["start"] : row["end"]] == row["quote"]  # type: ignore[misc]


def test_cases_by_country_gives_the_six_cases_with_their_offences() -> None:
    rows = {r["alpha2"]: r for r in connect().query("cases-by-country").to_dicts()}
    assert sorted(rows) == ["BR", "BZ", "CR", "MM", "MZ", "SV"]
    assert rows["MZ"]["offences"] == "kidnapping; trafficking in persons for organ removal"
    assert rows["SV"]["victimsCounted"] == 1
    assert rows["BZ"]["victimsCounted"] is None  # "children": no number given, so none is made up
    assert rows["BR"]["victimGroups"] == 0


def test_network_links_names_the_four_countries() -> None:
    rows = connect().query("network-links").to_dicts()
    assert sorted(r["alpha2"] for r in rows) == ["AF", "MX", "PK", "US"]
    assert {r["caseCountry"] for r in rows} == {"BR"}
    assert all(str(r["wikidata"]).startswith("http://www.wikidata.org/entity/Q") for r in rows)


def test_provenance_of_a_claim_points_at_its_words() -> None:
    rows = connect().query("provenance", entity="case:belize-glass-factory").to_dicts()
    quotes = {r["quote"] for r in rows}
    assert quotes == {"In Belize, children were found working in a glass factory under appalling conditions"}


# The same answers on every store


@pytest.mark.parametrize(("name", "label", "params"), CASES, ids=[f"{n}.{lbl}" for n, lbl, _ in CASES])
def test_every_store_gives_the_same_answer(
    stores: dict[str, Store], name: str, label: str, params: dict[str, object]
) -> None:
    answers = {kind: store.query(name, **params) for kind, store in stores.items()}
    reference = answers["memory"]
    for kind, answer in answers.items():
        assert answer.columns == reference.columns, kind
        assert answer.rows == reference.rows, f"{kind} differs from rdflib on {name} ({label})"


def test_ask_and_construct_answer_alike_on_every_store(stores: dict[str, Store]) -> None:
    ask = "ASK { ?case a <https://w3id.org/libertera/ontology#Case> }"
    construct = (
        "CONSTRUCT { ?c <urn:x:in> ?country } "
        "WHERE { ?c <https://w3id.org/libertera/ontology#occurredIn> ?country }"
    )
    for kind, store in stores.items():
        assert store.sparql(ask).to_dicts() == [{"ask": True}], kind
        triples = store.sparql(construct)
        assert triples.columns == ("subject", "predicate", "object")
        assert len(triples) == 6, kind


ONTOLOGY_GRAPH = "https://w3id.org/libertera/graph/ontology"
ARTICLE_GRAPH = "https://w3id.org/libertera/graph/news-article-libertera-3"
COUNT_CASES = "SELECT (COUNT(?c) AS ?n) {from_} WHERE {{ ?c a <https://w3id.org/libertera/ontology#Case> }}"


def test_from_and_protocol_datasets_choose_the_graphs_on_every_store(stores: dict[str, Store]) -> None:
    for kind, store in stores.items():
        everything = store.sparql(COUNT_CASES.format(from_=""))
        assert everything.to_dicts() == [{"n": 6}], kind
        only_ontology = store.sparql(COUNT_CASES.format(from_=f"FROM <{ONTOLOGY_GRAPH}>"))
        assert only_ontology.to_dicts() == [{"n": 0}], kind
        # The protocol's dataset wins over the query's own FROM.
        chosen = QueryDataset(default_graphs=(ARTICLE_GRAPH,))
        overridden = store.sparql(COUNT_CASES.format(from_=f"FROM <{ONTOLOGY_GRAPH}>"), dataset=chosen)
        assert overridden.to_dicts() == [{"n": 5}], kind
        named = store.sparql(
            "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g",
            dataset=QueryDataset(named_graphs=(ARTICLE_GRAPH,)),
        )
        assert [row["g"] for row in named.to_dicts()] == [ARTICLE_GRAPH], kind


def test_the_rdflib_store_never_fetches_a_graph_it_does_not_hold(unused_loopback_url: str) -> None:
    with pytest.raises(QueryRefusedError, match="never fetched"):
        connect().sparql(f"SELECT * FROM <{unused_loopback_url}/data.ttl> WHERE {{ ?s ?p ?o }}")


def test_max_rows_keeps_the_first_rows_and_says_there_were_more(stores: dict[str, Store]) -> None:
    text = "SELECT ?s WHERE { ?s a ?type } ORDER BY ?s"
    for kind, store in stores.items():
        whole = store.sparql(text)
        capped = store.sparql(text, max_rows=3)
        assert capped.rows == whole.rows[:3], kind
        assert capped.truncated, kind
        assert not store.sparql(text, max_rows=len(whole)).truncated, kind


def test_an_update_is_refused_as_read_only(stores: dict[str, Store]) -> None:
    for kind, store in stores.items():
        for update in ("INSERT DATA { <urn:x:a> <urn:x:b> <urn:x:c> }", "DELETE WHERE { ?s ?p ?o }"):
            with pytest.raises(ReadOnlyError, match=r"read-only|only queried"):
                store.sparql(update)
        assert store.sparql("ASK { <urn:x:a> ?p ?o }").to_dicts() == [{"ask": False}], kind


def test_the_remote_store_is_read_only_and_local_ones_are_not(stores: dict[str, Store]) -> None:
    assert stores["endpoint"].read_only
    assert not stores["memory"].read_only


def test_invalid_sparql_is_a_clear_error_on_every_store(stores: dict[str, Store]) -> None:
    for kind, store in stores.items():
        with pytest.raises(QuerySyntaxError, match=r"not valid SPARQL") as raised:
            store.sparql("SELECT * WHERE { ?s ?p")
        assert type(raised.value) is QuerySyntaxError, kind


def test_an_unreachable_endpoint_is_named_in_the_error(unused_loopback_url: str) -> None:
    url = unused_loopback_url
    with pytest.raises(EndpointError, match=re.escape(url)):
        connect(endpoint=url).sparql("ASK {}")


def test_an_oxigraph_store_on_disk_is_reused(tmp_path: Path) -> None:
    load_into_store(tmp_path / "store", [], progress=False)
    first = connect("oxigraph", path=tmp_path / "store")
    count = first.sparql("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }").to_dicts()[0]["n"]
    del first
    gc.collect()  # rdflib's SPARQL parser (pyparsing) leaves cycles holding its callers' frames
    again = connect("oxigraph", path=tmp_path / "store")
    assert again.sparql("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }").to_dicts()[0]["n"] == count


def test_a_store_kind_that_does_not_exist_is_refused() -> None:
    with pytest.raises(UnknownNameError, match="no store called 'postgres'"):
        connect("postgres")
    with pytest.raises(UsageError, match="Only the oxigraph store can live on disk"):
        connect("memory", path="somewhere")


# Result formats


def test_results_keep_column_order_and_python_types() -> None:
    result = connect().query("figures-at-least", minimum=5_000_000)
    assert result.columns == ("value", "bound", "boundLabel", "quantity", "statedAs", "figure")
    (row,) = result.to_dicts()
    assert row["value"] == 8_000_000
    assert isinstance(row["value"], int)
    assert row["figure"] == "https://w3id.org/libertera/id/figure/liberterra-ii-database-checks-interpol"
    timeline = connect().query("timeline").to_dicts()
    assert [r["date"] for r in timeline if r["eventLabel"] == "Liberterra III"] == [
        date(2025, 11, 10),
        date(2025, 11, 21),
    ]


def test_csv_and_tsv_follow_the_sparql_results_formats() -> None:
    result = connect().query("timeline")
    csv_lines = result.to_csv().split("\r\n")
    assert csv_lines[0] == "date,moment,eventLabel,event,instant"
    assert csv_lines[1].startswith("2021-07-05,start,Liberterra,https://w3id.org/")
    tsv_lines = result.to_tsv().splitlines()
    assert tsv_lines[0] == "?date\t?moment\t?eventLabel\t?event\t?instant"
    assert tsv_lines[1].startswith(
        '"2021-07-05"^^<http://www.w3.org/2001/XMLSchema#date>\t"start"\t"Liberterra"@en'
    )


def test_json_results_read_back_as_the_same_answer(stores: dict[str, Store]) -> None:
    """Our JSON is standard enough for SPARQLWrapper's own reader, through the endpoint's format."""
    import json

    result = connect().query("case-victims")
    document = json.loads(result.to_json())
    assert document["head"]["vars"] == list(result.columns)
    assert len(document["results"]["bindings"]) == len(result)
    counted = [b for b in document["results"]["bindings"] if "count" in b]
    assert counted[0]["count"] == {
        "type": "literal",
        "value": "1",
        "datatype": "http://www.w3.org/2001/XMLSchema#integer",
    }
    assert stores["endpoint"].query("case-victims") == result


def test_results_become_a_dataframe() -> None:
    frame = connect().query("figures-at-least", minimum=0).to_dataframe()
    assert list(frame.columns) == ["value", "bound", "boundLabel", "quantity", "statedAs", "figure"]
    (total,) = (
        connect()
        .sparql(
            "SELECT (SUM(?v) AS ?total) WHERE { ?f a <https://w3id.org/libertera/ontology#Figure> ; "
            "<https://w3id.org/libertera/ontology#statedValue> ?v }"
        )
        .rows[0]
    )
    assert frame["value"].sum() == int(total)


def test_tables_fit_the_width_they_are_given() -> None:
    table = connect().query("cases-by-country").to_table(width=100)
    assert all(len(line) <= 100 for line in table.splitlines())
    assert table.splitlines()[-1] == "(6 rows)"


def test_decimal_and_missing_values_convert_cleanly() -> None:
    result = connect().sparql("SELECT ?a ?b WHERE { BIND (1.50 AS ?a) OPTIONAL { ?x <urn:x:none> ?b } }")
    assert result.to_dicts() == [{"a": Decimal("1.5"), "b": None}]

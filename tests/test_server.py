"""The HTTP server, over real HTTP on 127.0.0.1: the SPARQL 1.1 Protocol, content negotiation, the
read-only and safety limits, linked-data pages, the VoID description, dumps and canned queries."""

from __future__ import annotations

import csv
import io
import json
import socket
from pathlib import Path
from typing import TYPE_CHECKING

import httpx
import pytest
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF, VOID

from libertera_kg import connect
from libertera_kg.cli import main

if TYPE_CHECKING:
    from conftest import Launcher, RunningServer

LT = Namespace("https://w3id.org/libertera/ontology#")
SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
CASES = (
    "PREFIX lt: <https://w3id.org/libertera/ontology#> SELECT ?case WHERE { ?case a lt:Case } ORDER BY ?case"
)
RESULTS_JSON = "application/sparql-results+json"
EVERYTHING = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"
ARTICLE_GRAPH = "https://w3id.org/libertera/graph/news-article-libertera-3"
ONTOLOGY_GRAPH = "https://w3id.org/libertera/graph/ontology"


def _client(server: RunningServer) -> httpx.Client:
    return httpx.Client(base_url=server.url, timeout=60)


def _cases(answer: httpx.Response) -> list[str]:
    assert answer.status_code == 200, answer.text
    return [b["case"]["value"] for b in answer.json()["results"]["bindings"]]


# The SPARQL 1.1 Protocol


def test_get_post_form_and_post_direct_give_the_same_answer(our_server: RunningServer) -> None:
    with _client(our_server) as client:
        by_get = client.get("sparql", params={"query": CASES}, headers={"Accept": RESULTS_JSON})
        by_form = client.post("sparql", data={"query": CASES}, headers={"Accept": RESULTS_JSON})
        by_body = client.post(
            "sparql",
            content=CASES.encode(),
            headers={"Content-Type": "application/sparql-query", "Accept": RESULTS_JSON},
        )
    expected = [str(row[0]) for row in connect().sparql(CASES).rows]
    assert len(expected) == 6
    assert _cases(by_get) == _cases(by_form) == _cases(by_body) == expected


@pytest.mark.parametrize(
    ("accept", "media_type"),
    [
        (RESULTS_JSON, RESULTS_JSON),
        ("application/sparql-results+xml", "application/sparql-results+xml"),
        ("text/csv", "text/csv"),
        ("text/tab-separated-values", "text/tab-separated-values"),
        ("application/json", RESULTS_JSON),
        ("application/sparql-results+xml;q=0.5, text/csv;q=0.9", "text/csv"),
        ("text/html;q=0.5, text/csv;q=0.9", "text/csv"),
        ("*/*", RESULTS_JSON),
        # What browsers send: a page for people, never for clients that take */*.
        ("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", "text/html"),
    ],
)
def test_select_answers_in_the_negotiated_format(
    our_server: RunningServer, accept: str, media_type: str
) -> None:
    with _client(our_server) as client:
        answer = client.get("sparql", params={"query": CASES}, headers={"Accept": accept})
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"].split(";")[0] == media_type
    assert "accept" in answer.headers["vary"].lower()
    text = answer.text
    if media_type == "text/csv":
        rows = list(csv.reader(io.StringIO(text)))
        assert rows[0] == ["case"]
        assert len(rows) == 7  # the header and six cases
    elif media_type == "text/tab-separated-values":
        assert text.splitlines()[0] == "?case"
        assert len(text.splitlines()) == 7
    elif media_type == RESULTS_JSON:
        assert len(json.loads(text)["results"]["bindings"]) == 6
    elif media_type == "text/html":
        assert text.count('<td class="iri"><a href="/id/case/') == 6
    else:
        assert text.count("<result>") == 6
        assert "http://www.w3.org/2005/sparql-results#" in text


@pytest.mark.parametrize(
    ("accept", "rdflib_format"),
    [
        ("text/turtle", "turtle"),
        ("application/n-triples", "nt"),
        ("application/ld+json", "json-ld"),
        ("application/rdf+xml", "xml"),
    ],
)
def test_construct_answers_in_every_rdf_format(
    our_server: RunningServer, accept: str, rdflib_format: str
) -> None:
    query = f"CONSTRUCT {{ ?case a <{LT.Case}> }} WHERE {{ ?case a <{LT.Case}> }}"
    with _client(our_server) as client:
        answer = client.get("sparql", params={"query": query}, headers={"Accept": accept})
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"].split(";")[0] == accept
    graph = Graph().parse(data=answer.text, format=rdflib_format)
    assert len(graph) == 6
    assert set(graph.objects(None, RDF.type)) == {LT.Case}


def test_ask_answers_a_boolean(our_server: RunningServer) -> None:
    with _client(our_server) as client:
        yes = client.get("sparql", params={"query": f"ASK {{ ?c a <{LT.Case}> }}"})
        no = client.get(
            "sparql", params={"query": "ASK { ?c a <urn:x:nothing> }"}, headers={"Accept": "text/xml"}
        )
    assert yes.json() == {"head": {}, "boolean": True}
    assert "<boolean>false</boolean>" in no.text


def test_the_format_parameter_chooses_for_clients_without_headers(our_server: RunningServer) -> None:
    with _client(our_server) as client:
        csv_answer = client.get("sparql", params={"query": CASES, "format": "csv"})
        unknown = client.get("sparql", params={"query": CASES, "format": "pdf"})
        unfit = client.get("sparql", params={"query": EVERYTHING, "format": "csv"})
    assert csv_answer.headers["content-type"].startswith("text/csv")
    assert unknown.status_code == 400
    assert "Unknown format 'pdf'" in unknown.text
    assert unfit.status_code == 406
    assert "text/turtle" in unfit.text


def test_an_accept_header_nothing_fits_is_406(our_server: RunningServer) -> None:
    with _client(our_server) as client:
        answer = client.get("sparql", params={"query": CASES}, headers={"Accept": "image/png"})
    assert answer.status_code == 406
    assert "application/sparql-results+json" in answer.text


def test_the_protocol_dataset_chooses_the_graphs(our_server: RunningServer) -> None:
    with _client(our_server) as client:
        only_ontology = client.get("sparql", params={"query": CASES, "default-graph-uri": ONTOLOGY_GRAPH})
        article = client.get("sparql", params={"query": CASES, "default-graph-uri": ARTICLE_GRAPH})
        named = client.get(
            "sparql",
            params={
                "query": "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }",
                "named-graph-uri": [ARTICLE_GRAPH],
            },
        )
    assert _cases(only_ontology) == []
    assert len(_cases(article)) == 5
    assert [b["g"]["value"] for b in named.json()["results"]["bindings"]] == [ARTICLE_GRAPH]


def test_a_get_without_query_describes_the_service(our_server: RunningServer) -> None:
    with _client(our_server) as client:
        answer = client.get("sparql", headers={"Accept": "text/turtle"})
    assert answer.status_code == 200
    graph = Graph().parse(data=answer.text, format="turtle")
    service = next(graph.subjects(RDF.type, SD.Service))
    assert graph.value(service, SD.endpoint) == URIRef(our_server.url + "sparql")
    assert (service, SD.supportedLanguage, SD.SPARQL11Query) in graph
    names = {str(graph.value(named, SD.name)) for named in graph.objects(None, SD.namedGraph)}
    assert {ARTICLE_GRAPH, ONTOLOGY_GRAPH} <= names


def test_browsers_on_other_sites_may_call_the_endpoint(our_server: RunningServer) -> None:
    with _client(our_server) as client:
        preflight = client.options(
            "sparql",
            headers={
                "Origin": "https://yasgui.example.org",
                "Access-Control-Request-Method": "POST",
                "Access-Control-Request-Headers": "content-type",
            },
        )
        answer = client.get(
            "sparql", params={"query": CASES}, headers={"Origin": "https://yasgui.example.org"}
        )
    assert preflight.status_code == 200
    assert "POST" in preflight.headers["access-control-allow-methods"]
    assert answer.headers["access-control-allow-origin"] == "*"


# Read-only and safe by default


def test_no_route_accepts_an_update_and_the_data_stays_the_same(our_server: RunningServer) -> None:
    before = our_server.dataset_hash()
    insert = "INSERT DATA { <urn:x:a> <urn:x:b> <urn:x:c> }"
    with _client(our_server) as client:
        attempts = [
            client.post("sparql", data={"update": insert}),
            client.post("sparql", content=insert, headers={"Content-Type": "application/sparql-update"}),
            client.get("sparql", params={"query": insert}),
            client.post("sparql", data={"query": "DROP ALL"}),
            client.post("update", data={"update": insert}),
            client.put(
                "store",
                params={"default": ""},
                content="<urn:x:a> <urn:x:b> <urn:x:c> .",
                headers={"Content-Type": "application/n-triples"},
            ),
        ]
        refused_methods = [client.put("sparql", content=insert), client.delete("sparql")]
    for answer in attempts:
        assert answer.status_code == 403, answer.text
        assert "read-only" in answer.text
    for answer in refused_methods:
        assert answer.status_code == 405
    assert our_server.dataset_hash() == before


def test_a_malformed_query_gets_400_with_the_parsers_message(our_server: RunningServer) -> None:
    with _client(our_server) as client:
        answer = client.get("sparql", params={"query": "SELECT * WHERE { ?s ?p "})
        after = client.get("sparql", params={"query": CASES})
    assert answer.status_code == 400
    assert "not valid SPARQL" in answer.text
    assert "line" in answer.text.lower()
    assert len(_cases(after)) == 6


def test_a_query_past_the_time_limit_is_stopped_and_the_server_goes_on(
    launch: Launcher, tmp_path_factory: pytest.TempPathFactory
) -> None:
    cartesian = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
    server = launch.ours(tmp_path_factory.mktemp("time-limit"), "--timeout", "2")
    try:
        with _client(server) as client:
            answer = client.get("sparql", params={"query": cartesian})
            after = [client.get("sparql", params={"query": CASES}) for _ in range(3)]
    finally:
        server.stop()
    assert answer.status_code == 503
    assert "time limit of 2 seconds" in answer.text
    for each in after:
        assert len(_cases(each)) == 6


def test_a_ten_megabyte_query_is_refused_unread(our_server: RunningServer) -> None:
    huge = "SELECT * WHERE { ?s ?p ?o } #" + "x" * 10_000_000
    with _client(our_server) as client:
        direct = client.post("sparql", content=huge, headers={"Content-Type": "application/sparql-query"})
        form = client.post("sparql", data={"query": huge})
        after = client.get("sparql", params={"query": CASES})
    assert direct.status_code == 413
    assert form.status_code == 413
    assert "100,000 bytes" in direct.text
    assert len(_cases(after)) == 6


def test_text_that_is_not_utf8_is_refused(our_server: RunningServer) -> None:
    with _client(our_server) as client:
        in_url = client.get("sparql?query=SELECT%20%FF%20WHERE%20%7B%7D")
        in_body = client.post(
            "sparql",
            content=b"SELECT * WHERE { ?s ?p '\xff' }",
            headers={"Content-Type": "application/sparql-query"},
        )
        in_form = client.post(
            "sparql",
            content=b"query=ASK%20%7B%7D%FF",
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )
    for answer in (in_url, in_body, in_form):
        assert answer.status_code == 400, answer.text
        assert "UTF-8" in answer.text


def test_unknown_parameters_and_content_types_are_refused(our_server: RunningServer) -> None:
    with _client(our_server) as client:
        unknown = client.get("sparql", params={"query": CASES, "timeout": "0"})
        twice = client.get("sparql", params={"query": [CASES, CASES]})
        wrong_type = client.post("sparql", content=CASES, headers={"Content-Type": "text/plain"})
        empty_post = client.post(
            "sparql", content=b"", headers={"Content-Type": "application/x-www-form-urlencoded"}
        )
    assert unknown.status_code == 400
    assert "Unknown parameter 'timeout'" in unknown.text
    assert twice.status_code == 400
    assert "exactly one" in twice.text
    assert wrong_type.status_code == 415
    assert "application/sparql-query" in wrong_type.text
    assert empty_post.status_code == 400


@pytest.mark.parametrize(
    "pattern",
    [
        "SERVICE <{url}> {{ ?s ?p ?o }}",
        "SERVICE SILENT <{url}> {{ ?s ?p ?o }}",
        "?s ?p ?o FILTER EXISTS {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
        "{{ SELECT ?s WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }} }}",
        "SERVICE ?where {{ ?s ?p ?o }}",
    ],
)
def test_service_is_refused_unless_allowed(
    our_server: RunningServer, unused_loopback_url: str, pattern: str
) -> None:
    query = "SELECT * WHERE { " + pattern.format(url=unused_loopback_url) + " }"
    with _client(our_server) as client:
        answer = client.get("sparql", params={"query": query})
    assert answer.status_code == 403
    assert "which is not allowed here" in answer.text
    assert ("?where" if "?where" in pattern else unused_loopback_url) in answer.text


def test_from_never_fetches_a_graph_from_the_web(our_server: RunningServer, unused_loopback_url: str) -> None:
    with _client(our_server) as client:
        answer = client.get(
            "sparql", params={"query": f"SELECT * FROM <{unused_loopback_url}> WHERE {{ ?s ?p ?o }}"}
        )
    assert answer.status_code == 400  # the protocol's answer for a dataset the service will not load
    assert "never fetched" in answer.text


def test_long_answers_are_cut_at_the_row_cap_and_say_so(our_server: RunningServer) -> None:
    with _client(our_server) as client:
        answer = client.get("sparql", params={"query": "SELECT * WHERE { ?s ?p ?o }"})
        short = client.get("sparql", params={"query": CASES})
    assert answer.status_code == 200
    assert len(answer.json()["results"]["bindings"]) == 500
    assert answer.headers["x-sparql-maxrows"] == "500"
    assert "x-sparql-maxrows" not in short.headers


# Linked data, self-description, dumps


def test_an_entity_iri_gives_browsers_a_page_with_links_and_quotes(our_server: RunningServer) -> None:
    with _client(our_server) as client:
        page = client.get("id/case/brazil-network-dismantled", headers={"Accept": "text/html"})
    assert page.status_code == 200
    html = page.text
    assert "<h1>Dismantling in Brazil" in html
    assert 'href="/id/country/BR"' in html  # links to related entities stay on this server
    assert "https://w3id.org/libertera/id/case/brazil-network-dismantled" in html
    assert "<blockquote>" in html
    assert "Brazil" in html


def test_an_entity_iri_gives_rdf_clients_turtle_or_json_ld(our_server: RunningServer) -> None:
    iri = URIRef("https://w3id.org/libertera/id/country/BR")
    with _client(our_server) as client:
        turtle = client.get("id/country/BR", headers={"Accept": "text/turtle"})
        jsonld = client.get("id/country/BR", headers={"Accept": "application/ld+json"})
    for answer, fmt in ((turtle, "turtle"), (jsonld, "json-ld")):
        assert answer.status_code == 200, answer.text
        graph = Graph().parse(data=answer.text, format=fmt)
        assert (iri, LT.isoAlpha2, Literal("BR")) in graph
        assert any(graph.triples((None, None, iri)))  # links into the entity as well


def test_an_unknown_iri_is_404(our_server: RunningServer) -> None:
    with _client(our_server) as client:
        page = client.get("id/country/XX", headers={"Accept": "text/html"})
        turtle = client.get("id/country/XX", headers={"Accept": "text/turtle"})
    assert page.status_code == 404
    assert "nothing about" in page.text
    assert turtle.status_code == 404


def test_void_describes_the_data_computed_from_it(our_server: RunningServer) -> None:
    with _client(our_server) as client:
        answer = client.get(".well-known/void", headers={"Accept": "text/turtle"})
        total = client.get("sparql", params={"query": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"})
    graph = Graph().parse(data=answer.text, format="turtle")
    dataset = URIRef("https://w3id.org/libertera/dataset")
    assert graph.value(dataset, VOID.triples).toPython() == int(
        total.json()["results"]["bindings"][0]["n"]["value"]
    )
    assert graph.value(dataset, VOID.sparqlEndpoint) == URIRef(our_server.url + "sparql")
    cases = next(
        p for p in graph.objects(dataset, VOID.classPartition) if graph.value(p, VOID["class"]) == LT.Case
    )
    assert graph.value(cases, VOID.entities).toPython() == 6
    wikidata = next(
        s
        for s in graph.objects(dataset, VOID.subset)
        if graph.value(s, VOID.objectsTarget) == URIRef("http://www.wikidata.org/")
    )
    assert graph.value(wikidata, VOID.triples).toPython() > 10
    assert str(graph.value(dataset, URIRef("http://purl.org/dc/terms/license"))).startswith(
        "https://creativecommons.org"
    )
    dumps = sorted(str(d) for d in graph.objects(dataset, VOID.dataDump))
    assert our_server.url + "dumps/libertera.nt" in dumps


def test_the_dumps_download_and_hold_the_served_data(our_server: RunningServer) -> None:
    with _client(our_server) as client:
        dump = client.get("dumps/libertera.nq")
        missing = client.get("dumps/libertera.zip")
    assert dump.status_code == 200
    assert dump.headers["content-type"].startswith("application/n-quads")
    assert len([line for line in dump.text.splitlines() if line]) > 3000
    assert missing.status_code == 404
    assert "libertera.trig" in missing.text


# Canned queries over HTTP, and the home page


def test_the_canned_queries_are_listed_with_their_parameters(our_server: RunningServer) -> None:
    with _client(our_server) as client:
        listing = client.get("queries").json()["queries"]
    names = [item["name"] for item in listing]
    assert "cases-by-country" in names
    assert len(names) >= 15
    by_country = next(item for item in listing if item["name"] == "cases-by-country")
    assert by_country["parameters"][0]["name"] == "country"
    assert by_country["url"] == our_server.url + "queries/cases-by-country"


def test_a_canned_query_runs_with_its_parameters_like_the_library(our_server: RunningServer) -> None:
    with _client(our_server) as client:
        answer = client.get(
            "queries/cases-by-country", params={"country": "BR"}, headers={"Accept": "text/csv"}
        )
        bad = client.get("queries/cases-by-country", params={"country": "Brazil!"})
        unknown_parameter = client.get("queries/cases-by-country", params={"colour": "red"})
        unknown_query = client.get("queries/no-such-query")
    assert answer.status_code == 200
    assert answer.text == connect().query("cases-by-country", country="BR").to_csv()
    assert bad.status_code == 400
    assert "'country'" in bad.text
    assert unknown_parameter.status_code == 400
    assert "colour" in unknown_parameter.text
    assert unknown_query.status_code == 404
    assert "cases-by-country" in unknown_query.text


def test_the_home_page_has_the_editor_its_assets_and_the_canned_queries(our_server: RunningServer) -> None:
    with _client(our_server) as client:
        home = client.get("")
        assets = [client.get(path) for path in _asset_paths(home.text)]
        prefilled = client.get("", params={"query": "ASK { ?s ?p ?o }"})
    assert home.status_code == 200
    assert '<textarea id="query" name="query"' in home.text
    assert '<option value="cases-by-country">' in home.text
    assert len(assets) >= 4
    assert all(asset.status_code == 200 for asset in assets), [a.url for a in assets if a.status_code != 200]
    assert ">ASK { ?s ?p ?o }</textarea>" in prefilled.text


def _asset_paths(html: str) -> list[str]:
    """The scripts and stylesheets a page loads from this server."""
    import re

    return [path.lstrip("/") for path in re.findall(r'(?:src|href)="(/static/[^"]+)"', html)]


def test_a_browser_gets_pages_and_scripts_get_data_from_the_same_addresses(our_server: RunningServer) -> None:
    browser = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}
    with _client(our_server) as client:
        canned_page = client.get("queries/cases-by-country", params={"country": "BZ"}, headers=browser)
        canned_data = client.get("queries/cases-by-country", params={"country": "BZ"})
        listing = client.get("queries", headers=browser)
        void_page = client.get(".well-known/void", headers=browser)
        void_turtle = client.get(".well-known/void", params={"format": "text/turtle"}, headers=browser)
        description_page = client.get("sparql", headers=browser)
        dataset = client.get("dataset", headers=browser)
    assert canned_page.headers["content-type"].startswith("text/html")
    assert "<h1>cases-by-country</h1>" in canned_page.text
    assert 'value="BZ"' in canned_page.text, "the form keeps the parameter given"
    assert 'href="/queries/cases-by-country?country=BZ&amp;format=json"' in canned_page.text
    assert canned_data.headers["content-type"].startswith("application/sparql-results+json")
    assert len(canned_data.json()["results"]["bindings"]) == 1
    assert 'href="/queries/cases-by-country"' in listing.text
    assert "?format=csv" not in listing.text.split('href="/queries/cases-by-country"')[1].split("</dt>")[0]
    assert void_page.headers["content-type"].startswith("text/html")
    assert "<h1>The dataset (VoID)</h1>" in void_page.text
    assert void_turtle.headers["content-type"].startswith("text/turtle")
    assert "void:Dataset" in void_turtle.text
    assert "<h1>Service description</h1>" in description_page.text
    assert dataset.status_code == 303
    assert dataset.headers["location"] == "/.well-known/void"


def test_the_oxigraph_store_serves_the_same_answers(
    our_server: RunningServer, our_oxigraph_server: RunningServer
) -> None:
    for query in (CASES, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"):
        answers = []
        for server in (our_server, our_oxigraph_server):
            with _client(server) as client:
                answers.append(
                    client.get("sparql", params={"query": query}, headers={"Accept": "text/csv"}).text
                )
        assert answers[0] == answers[1]
    with _client(our_oxigraph_server) as client:
        page = client.get("id/country/BR", headers={"Accept": "text/html"})
        canned = client.get(
            "queries/cases-by-country", params={"country": "BR"}, headers={"Accept": "text/csv"}
        )
    assert page.status_code == 200
    assert "<h1>Brazil" in page.text
    assert canned.text == connect().query("cases-by-country", country="BR").to_csv()


# The command line


def test_serve_refuses_an_address_in_use(capsys: pytest.CaptureFixture[str]) -> None:
    with socket.create_server(("127.0.0.1", 0)) as busy:
        port = busy.getsockname()[1]
        assert main(["serve", "--port", str(port)]) == 2
    error = capsys.readouterr().err
    assert f"Cannot listen on 127.0.0.1:{port}" in error
    assert "Traceback" not in error


@pytest.mark.parametrize(
    "options",
    [["--port", "0"], ["--port", "70000"], ["--timeout", "-1"], ["--store", "postgres"], ["--max-rows", "x"]],
)
def test_serve_refuses_bad_options(options: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stopped:
        main(["serve", *options])
    assert stopped.value.code == 2
    assert options[0] in capsys.readouterr().err


def test_beyond_loopback_the_server_needs_its_public_address(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["serve", "--host", "0.0.0.0", "--port", "1"]) == 2  # refused before anything listens
    err = capsys.readouterr().err
    assert "Serving on 0.0.0.0, beyond this machine, needs --base-url" in err
    assert len(err.strip().splitlines()) == 1


def test_descriptions_name_the_configured_address_never_the_clients_host(
    tmp_path_factory: pytest.TempPathFactory, launch: Launcher
) -> None:
    server = launch.ours(tmp_path_factory.mktemp("based"), "--base-url", "https://data.example.org/kg/")
    try:
        for path in ("sparql", ".well-known/void", "queries"):
            answer = httpx.get(
                server.url + path, headers={"Host": "evil.example", "Accept": "text/turtle"}, timeout=60
            )
            assert answer.status_code == 200, (path, answer.text)
            assert "https://data.example.org/kg/" in answer.text, path
            assert "evil.example" not in answer.text, path
    finally:
        server.stop()


def test_serve_checks_its_data_files_before_anything_listens(
    fixtures: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = fixtures / "broken" / "unparsable.ttl"
    assert main(["serve", "--port", "1", "--data", str(broken)]) == 2
    assert str(broken) in capsys.readouterr().err
    assert main(["serve", "--store", "oxigraph", "--store-path", "x", "--data", str(broken)]) == 2
    assert "--data adds files to the graph served from memory" in capsys.readouterr().err


def test_an_entity_page_shows_each_source_side_by_side_and_marks_differences(
    our_server: RunningServer,
) -> None:
    with _client(our_server) as client:
        page = client.get("id/person/david-caunter", headers={"Accept": "text/html"})
    assert page.status_code == 200
    table = page.text.split('<table class="sources">')[1].split("</table>")[0]
    assert 'href="/id/source/stern-liberterra-iii"' in table
    assert 'href="/id/source/news-article-libertera-3"' in table
    differing = [row for row in table.split("<tr") if 'class="differs"' in row]
    assert any(" name</th>" in row and "David Conter" in row and "David Caunter" in row for row in differing)
    assert not any("quotation" in row for row in differing), "each source's own statements differ by nature"


def test_the_editor_component_is_the_pinned_codemirror_with_its_licence() -> None:
    import re
    from importlib.resources import files

    makefile = Path(__file__).parent.parent / "Makefile"
    pinned = re.search(r"^CODEMIRROR := (\S+)$", makefile.read_text(), re.MULTILINE)
    assert pinned is not None
    vendor = files("libertera_kg.server") / "static" / "vendor"
    shipped = (vendor / "codemirror" / "lib" / "codemirror.js").read_text(encoding="utf-8")
    assert f'CodeMirror.version = "{pinned.group(1)}"' in shipped
    assert "MIT License" in (vendor / "codemirror" / "LICENSE").read_text(encoding="utf-8")
    assert f"CodeMirror {pinned.group(1)}" in (vendor / "README.md").read_text(encoding="utf-8")

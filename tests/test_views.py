"""Graph views: the nodes and edges each view gives on the article, the same on every store, and files that
read back into the same graph."""

from __future__ import annotations

import io
import json
from pathlib import Path

import networkx as nx
import pytest

from libertera_kg import LiberteraError, Store, UnknownNameError, connect, load
from libertera_kg import views as views_module
from libertera_kg.cli import main
from libertera_kg.view_files import EXPORT_FORMATS, gexf_typed, serialise_view
from libertera_kg.views import list_views, view

ID = "https://w3id.org/libertera/id/"
CONCEPT = "https://w3id.org/libertera/concept/"


def _short(iri: str) -> str:
    return iri.removeprefix(ID).removeprefix(CONCEPT)


def _edges(graph: nx.MultiDiGraph) -> set[tuple[str, str, str]]:
    return {(_short(u), key, _short(v)) for u, v, key in graph.edges(keys=True)}


@pytest.fixture(scope="module")
def views() -> dict[str, nx.MultiDiGraph]:
    return {item.name: view(item.name) for item in list_views()}


def test_the_views_are_the_ones_analysts_ask_for() -> None:
    assert [v.name for v in list_views()] == [
        "cases",
        "entities",
        "flows",
        "network",
        "offences",
        "organisation",
        "participation",
        "provenance",
        "series",
        "sources",
    ]
    for item in list_views():
        assert item.summary
        assert len(item.description) > 60


@pytest.mark.parametrize("name", [v.name for v in list_views()])
def test_each_view_has_a_function_of_its_name(
    views: dict[str, nx.MultiDiGraph], stores: dict[str, Store], name: str
) -> None:
    function = getattr(views_module, name)
    assert function.__doc__
    made = function(stores["oxigraph"])
    assert nx.utils.edges_equal(made.edges(keys=True, data=True), views[name].edges(keys=True, data=True))
    assert dict(made.nodes(data=True)) == dict(views[name].nodes(data=True))


def test_participation_links_operation_coordinator_countries_and_cases(
    views: dict[str, nx.MultiDiGraph],
) -> None:
    cases = {
        "belize-glass-factory": "BZ",
        "brazil-network-dismantled": "BR",
        "costa-rica-el-gordo-arrested": "CR",
        "el-salvador-girl-rescued": "SV",
        "mozambique-boy-kidnapped": "MZ",
        "myanmar-scam-compound-raid": "MM",
    }
    units = {"liberterra-i": "AE PA SD", "liberterra-ii": "AR MK PH SN", "liberterra-iii": "DZ GB LA SV"}
    expected = {(f"operation/{op}", "lt:coordinatedBy", "organization/interpol") for op in units}
    expected |= {
        (f"operation/{op}", "lt:coordinationUnitIn", f"country/{c}")
        for op, cs in units.items()
        for c in cs.split()
    }
    # No source says which countries took part (the cases' countries are not participants by any sentence).
    expected |= {(f"case/{case}", "sem:subEventOf", "operation/liberterra-iii") for case in cases}
    expected |= {(f"case/{case}", "lt:occurredIn", f"country/{code}") for case, code in cases.items()}
    assert _edges(views["participation"]) == expected


def test_network_links_the_four_countries(views: dict[str, nx.MultiDiGraph]) -> None:
    network = "network/brazil-network"
    assert _edges(views["network"]) == {
        ("case/brazil-network-dismantled", "lt:dismantledNetwork", network),
        ("case/brazil-network-dismantled", "lt:occurredIn", "country/BR"),
        (network, "lt:linksCountry", "country/AF"),
        (network, "lt:linksCountry", "country/MX"),
        (network, "lt:linksCountry", "country/PK"),
        (network, "lt:linksCountry", "country/US"),
    }


def test_flows_run_from_origin_to_exploitation_region(views: dict[str, nx.MultiDiGraph]) -> None:
    shift, release = "finding/liberterra-iii-route-shift", "finding/liberterra-iii-route-shift-interpol"
    reversal = "finding/liberterra-iii-americas-migration-reversed-interpol"
    southward = "flow/south-america-southward-through-central-america"
    assert _edges(views["flows"]) == {
        (shift, "lt:historicalFlow", "flow/africa-to-abroad"),
        (shift, "lt:observedFlow", "flow/asia-to-africa"),
        (shift, "lt:observedFlow", "flow/south-america-to-africa"),
        # INTERPOL's release: the Americas, not South America, beside Asia
        (release, "lt:historicalFlow", "flow/africa-to-abroad"),
        (release, "lt:observedFlow", "flow/asia-to-africa"),
        (release, "lt:observedFlow", "flow/americas-to-africa"),
        (reversal, "lt:observedFlow", southward),
        ("flow/africa-to-abroad", "lt:flowOrigin", "continent/africa"),
        ("flow/asia-to-africa", "lt:flowOrigin", "continent/asia"),
        ("flow/asia-to-africa", "lt:flowDestination", "continent/africa"),
        ("flow/south-america-to-africa", "lt:flowOrigin", "continent/south-america"),
        ("flow/south-america-to-africa", "lt:flowDestination", "continent/africa"),
        ("flow/americas-to-africa", "lt:flowOrigin", "continent/americas"),
        ("flow/americas-to-africa", "lt:flowDestination", "continent/africa"),
        (southward, "lt:flowOrigin", "continent/south-america"),
    }


def test_organisation_shows_unit_post_holder_and_words(views: dict[str, nx.MultiDiGraph]) -> None:
    unit = "organization/interpol-organised-and-emerging-crime"
    post = "post/interpol-director-organised-and-emerging-crime"
    quotation = "quotation/conter-criminal-groups-adapt"
    graph = views["organisation"]
    edges = _edges(graph)
    assert {
        ("organization/interpol", "lt:headquarteredIn", "city/lyon"),
        (unit, "org:unitOf", "organization/interpol"),
        (post, "org:postIn", unit),
        (post, "org:heldBy", "person/david-caunter"),
        (quotation, "lt:spokenBy", "person/david-caunter"),
        (quotation, "lt:spokenInCapacity", post),
        ("post/interpol-secretary-general", "org:heldBy", "person/valdecy-urquiza"),
        ("post/interpol-secretary-general", "org:heldBy", "person/jurgen-stock"),
    } <= edges
    assert graph.nodes[ID + quotation]["text"].startswith("These criminal groups are entrenched")
    assert "text" not in graph.nodes[ID + "quotation/urquiza-liberterra-iii-trends"], "its words are not ours"


def test_offences_form_a_tree_with_codes_and_the_cases_that_use_them(
    views: dict[str, nx.MultiDiGraph],
) -> None:
    graph = views["offences"]
    edges = _edges(graph)
    assert (
        "offence/trafficking-for-organ-removal",
        "skos:broader",
        "offence/trafficking-in-persons",
    ) in edges
    assert ("case/mozambique-boy-kidnapped", "lt:involvesOffence", "offence/kidnapping") in edges
    assert ("case/costa-rica-el-gordo-arrested", "lt:involvesOffence", "offence/child-pornography") in edges
    assert graph.nodes[CONCEPT + "offence/trafficking-in-persons"]["notation"] == "0204"
    assert CONCEPT + "offence/smuggling-of-migrants" in graph  # kept apart, and a node though no case uses it
    tree = graph.edge_subgraph([(u, v, k) for u, v, k in graph.edges(keys=True) if k == "skos:broader"])
    assert nx.is_forest(nx.DiGraph(tree).to_undirected())


def test_cases_show_people_victims_offences_and_setting(views: dict[str, nx.MultiDiGraph]) -> None:
    graph = views["cases"]
    case = "case/costa-rica-el-gordo-arrested"
    assert {edge for edge in _edges(graph) if edge[0] in (case, "person/el-gordo")} == {
        (case, "lt:arrested", "person/el-gordo"),
        (case, "lt:carriedOutBy", "organization/costa-rica-authorities"),
        (case, "lt:hasVictims", "victims/costa-rica-girls"),
        (case, "lt:involvesOffence", "offence/child-pornography"),
        (case, "lt:occurredIn", "country/CR"),
        (case, "lt:outcome", "case-outcome/arrest"),
        (case, "lt:setting", "setting/technical-school"),
        (case, "lt:arrested", "person/costa-rica-teacher"),
        ("person/el-gordo", "lt:accusedOf", "offence/child-pornography"),
    }
    boy = graph.nodes[ID + "victims/mozambique-boy"]
    assert boy["victimCount"] == 1
    assert boy["minAge"] == 8
    assert boy["label"] == "an eight-year-old boy"
    assert graph.nodes[ID + "person/el-gordo"]["nickname"] == "El Gordo"


def test_nodes_carry_labels_types_codes_and_wikidata_ids(views: dict[str, nx.MultiDiGraph]) -> None:
    brazil = views["network"].nodes[ID + "country/BR"]
    assert brazil == {
        "label": "Brazil",
        "type": "lt:Country",
        "isoAlpha2": "BR",
        "isoAlpha3": "BRA",
        "wikidata": "Q155",
        "geonames": "3469034",
    }


def test_edges_carry_predicate_label_and_source(views: dict[str, nx.MultiDiGraph]) -> None:
    edge = views["network"].edges[ID + "network/brazil-network", ID + "country/PK", "lt:linksCountry"]
    assert edge == {
        "predicate": "https://w3id.org/libertera/ontology#linksCountry",
        "label": "links country",
        "stated_in": ID + "source/news-article-libertera-3",
    }


def test_edge_labels_come_from_the_graph_in_the_store_not_the_shipped_files() -> None:
    """A store holding another graph names its edges as that graph labels its properties."""
    from rdflib import RDFS, Literal, URIRef

    kg = load()
    links = URIRef("https://w3id.org/libertera/ontology#linksCountry")
    kg.ontology.set((links, RDFS.label, Literal("ties together", lang="en")))
    assert kg.property_labels()[str(links)] == "ties together"
    edge = ("https://w3id.org/libertera/id/network/brazil-network", ID + "country/PK")
    assert view("network", connect(graph=kg)).edges[(*edge, "lt:linksCountry")]["label"] == "ties together"
    assert view("network").edges[(*edge, "lt:linksCountry")]["label"] == "links country"


def test_entities_folds_literals_and_types_into_nodes_and_leaves_plumbing_out(
    views: dict[str, nx.MultiDiGraph],
) -> None:
    graph = views["entities"]
    types = {data["type"] for _, data in graph.nodes(data=True)}
    assert {"lt:Operation", "lt:Case", "lt:Country", "lt:Figure", "lt:VictimGroup", "skos:Concept"} <= types
    assert not types & {"lt:Claim", "oa:SpecificResource", "oa:TextQuoteSelector", "lt:NewsArticle"}
    assert all(node.startswith(("https://w3id.org/libertera/id/", CONCEPT)) for node in graph)
    keys = {key for _, _, key in graph.edges(keys=True)}
    assert not keys & {"lt:statedIn", "lt:evidence", "rdf:type", "owl:sameAs"}
    assert ("operation/liberterra-iii", "lt:coordinatedBy", "organization/interpol") in _edges(graph)
    assert graph.nodes[ID + "figure/liberterra-iii-arrests-exact"]["statedValue"] == 3744


@pytest.mark.parametrize("name", [v.name for v in list_views()])
def test_every_store_gives_the_same_view(stores: dict[str, Store], name: str) -> None:
    reference = view(name)
    for kind, store in stores.items():
        graph = view(name, store)
        assert dict(graph.nodes(data=True)) == dict(reference.nodes(data=True)), kind
        assert list(graph.edges(keys=True, data=True)) == list(reference.edges(keys=True, data=True)), kind


def test_views_on_pyoxigraph_keep_strings_from_the_store_to_the_graph(
    stores: dict[str, Store], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A view of a large graph spent most of its time making an rdflib term of every answer's term and
    reading it back as text: on pyoxigraph no rdflib term is made at all now."""
    from libertera_kg.oxigraph import OxigraphTerms

    def refuse(self: OxigraphTerms, term: object) -> None:
        raise AssertionError(f"an rdflib term was made of {term!r}")

    monkeypatch.setattr(OxigraphTerms, "__call__", refuse)
    graph = view("entities", stores["oxigraph"])
    assert graph.nodes[ID + "figure/liberterra-iii-arrests-exact"]["statedValue"] == 3744


@pytest.mark.parametrize("kind", ["memory", "oxigraph", "oxigraph-on-disk", "endpoint"])
def test_bindings_are_the_query_results_as_sparql_json(stores: dict[str, Store], kind: str) -> None:
    """Rows read as strings (the views' path) are the same rows as the results' terms, on every store:
    IRIs, language tags and datatypes alike."""
    from rdflib import URIRef

    from libertera_kg.catalogue import with_value_rows
    from libertera_kg.resources import shipped_query

    store = stores[kind]
    nodes = [
        (URIRef(ID + "operation/liberterra-iii"),),
        (URIRef(ID + "figure/liberterra-iii-arrests-exact"),),
    ]
    text = with_value_rows(shipped_query("lookups/node-attributes.rq"), ("node",), nodes)
    rows = store.bindings(text)
    expected = connect().sparql(text).bindings()
    assert {"datatype", "xml:lang"} <= {key for row in expected for term in row.values() for key in term}
    assert sorted(rows, key=json.dumps) == sorted(expected, key=json.dumps)


@pytest.mark.parametrize(
    ("lexical", "datatype"),
    [
        ("42", "integer"),
        ("-7", "integer"),
        ("007", "integer"),
        ("+5", "integer"),
        ("x", "integer"),
        ("²", "integer"),
        ("2025-13-45", "date"),
        ("12", "nonNegativeInteger"),
        ("2.50", "decimal"),
        ("1.5E3", "double"),
        ("true", "boolean"),
        ("0", "boolean"),
        ("2025-06-30", "date"),
        ("2025-6-30", "date"),
        ("2025-06-30Z", "date"),
        ("2025-06-30T10:00:00", "dateTime"),
        ("2025-06-30T10:00:00Z", "dateTime"),
        ("2025-06", "gYearMonth"),
        ("PT5M", "duration"),
        ("text", "string"),
    ],
)
def test_node_attributes_read_literals_as_rdflib_does(lexical: str, datatype: str) -> None:
    """The views read literals from strings without rdflib terms where they can; the value must be the one
    rdflib's own reading gives (a number, a truth value, an ISO date, or the text)."""
    from decimal import Decimal

    from rdflib import XSD, Literal

    from libertera_kg.results import normalise_term

    literal = Literal(lexical, datatype=XSD[datatype])
    python = normalise_term(literal).toPython()
    if isinstance(python, Decimal):
        python = float(python)
    elif hasattr(python, "isoformat"):
        python = python.isoformat()
    elif not isinstance(python, bool | int | float):
        python = str(normalise_term(literal))
    term = {"type": "literal", "value": lexical, "datatype": str(XSD[datatype])}
    assert views_module._plain(term) == python


def _read_back(text: str, fmt: str) -> nx.MultiDiGraph:
    if fmt == "graphml":
        return nx.read_graphml(io.StringIO(text), force_multigraph=True)
    if fmt == "gexf":
        return nx.MultiDiGraph(nx.read_gexf(io.StringIO(text)))
    if fmt == "json":
        return nx.node_link_graph(json.loads(text), edges="edges")
    return nx.cytoscape_graph(json.loads(text))


# Attributes a file format adds of its own when read back (GEXF edge ids, Cytoscape's element ids).
LT_CLAIM = "https://w3id.org/libertera/ontology#Claim"
FORMAT_OWN = {"id", "name", "value", "source", "target", "key", "networkx_key"}


@pytest.mark.parametrize("fmt", ["graphml", "gexf", "json", "cyjs"])
@pytest.mark.parametrize("name", ["cases", "entities"])
def test_files_read_back_into_the_same_graph(views: dict[str, nx.MultiDiGraph], name: str, fmt: str) -> None:
    graph = views[name]
    back = _read_back(serialise_view(graph, fmt), fmt)

    def nodes(g: nx.MultiDiGraph) -> dict[str, dict[str, object]]:
        return {n: {k: v for k, v in d.items() if k not in FORMAT_OWN} for n, d in g.nodes(data=True)}

    def edges(g: nx.MultiDiGraph) -> list[tuple[str, str, tuple[tuple[str, object], ...]]]:
        return sorted(
            (u, v, tuple(sorted((k, x) for k, x in d.items() if k not in FORMAT_OWN)))
            for u, v, d in g.edges(data=True)
        )

    # GEXF types each attribute once: one that a node holds as text is text on every node.
    written = gexf_typed(graph) if fmt == "gexf" else graph
    assert nodes(back) == nodes(written)
    assert edges(back) == edges(graph)
    if fmt != "gexf":  # GEXF keeps no edge keys once it reads a graph without parallel edges
        assert sorted(back.edges(keys=True)) == sorted(graph.edges(keys=True))


def test_the_edge_list_has_one_row_per_edge_with_both_labels(views: dict[str, nx.MultiDiGraph]) -> None:
    import csv

    rows = list(csv.DictReader(io.StringIO(serialise_view(views["network"], "csv"))))
    assert len(rows) == 6
    (pakistan,) = [row for row in rows if row["target_label"] == "Pakistan"]
    assert pakistan["source_label"] == "Network dismantled in Brazil"
    assert pakistan["key"] == "lt:linksCountry"
    assert rows[0].keys() == {
        "source",
        "target",
        "key",
        "predicate",
        "label",
        "stated_in",
        "source_label",
        "target_label",
    }


@pytest.mark.parametrize("fmt", sorted(EXPORT_FORMATS))
def test_files_are_byte_identical_for_the_same_graph(views: dict[str, nx.MultiDiGraph], fmt: str) -> None:
    assert serialise_view(views["cases"], fmt) == serialise_view(view("cases"), fmt)


def test_an_unknown_view_lists_the_views() -> None:
    with pytest.raises(UnknownNameError, match=r"no view called 'routes'.*flows"):
        view("routes")


# The command line


def test_views_lists_every_view(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["views"]) == 0
    out = capsys.readouterr().out
    for item in list_views():
        assert f"{item.name}\n    {item.summary}" in out


def test_export_writes_a_file_networkx_reads(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "network.graphml"
    assert main(["export", "network", "--format", "graphml", "-o", str(target)]) == 0
    assert "7 nodes, 6 edges" in capsys.readouterr().out
    assert nx.read_graphml(target, force_multigraph=True).number_of_edges() == 6


def test_export_of_an_unknown_view_exits_2_and_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "x.gexf"
    assert main(["export", "routes", "--format", "gexf", "-o", str(target)]) == 2
    assert "There is no view called 'routes'" in capsys.readouterr().err
    assert not target.exists()


def test_export_in_an_unknown_format_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["export", "network", "--format", "pdf", "-o", "x.pdf"])
    assert exited.value.code == 2
    assert "invalid choice: 'pdf'" in capsys.readouterr().err


# Pictures


PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


@pytest.mark.parametrize("name", [v.name for v in list_views()])
def test_every_view_draws_a_valid_png(views: dict[str, nx.MultiDiGraph], name: str, tmp_path: Path) -> None:
    pytest.importorskip("matplotlib", reason="drawing needs matplotlib: pip install 'libertera-kg[viz]'")
    from libertera_kg.drawing import draw_view

    path = draw_view(views[name], name, tmp_path / f"{name}.png")
    data = path.read_bytes()
    assert data.startswith(PNG_SIGNATURE)
    width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    assert width >= 800
    assert height >= 500


def test_svg_pictures_name_the_nodes_and_are_byte_identical(
    views: dict[str, nx.MultiDiGraph], tmp_path: Path
) -> None:
    pytest.importorskip("matplotlib", reason="drawing needs matplotlib: pip install 'libertera-kg[viz]'")
    import xml.etree.ElementTree as ET

    from libertera_kg.drawing import render_view

    first = render_view(views["network"], "network", "svg")
    assert first == render_view(view("network"), "network", "svg")
    ET.fromstring(first)  # well-formed XML
    text = first.decode("utf-8")
    for label in ("Pakistan", "Afghanistan", "Mexico", "United States", "lt:Country", "links country"):
        assert label in text


def test_draw_refuses_an_unknown_picture_format(views: dict[str, nx.MultiDiGraph], tmp_path: Path) -> None:
    from libertera_kg.drawing import draw_view

    with pytest.raises(LiberteraError, match=r"must end with \.png or \.svg"):
        draw_view(views["network"], "network", tmp_path / "network.pdf")
    assert not (tmp_path / "network.pdf").exists()


def test_draw_on_the_command_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pytest.importorskip("matplotlib", reason="drawing needs matplotlib: pip install 'libertera-kg[viz]'")
    assert main(["draw", "offences", "-o", str(tmp_path / "offences.svg")]) == 0
    assert (tmp_path / "offences.svg").read_bytes().startswith(b"<?xml")
    assert main(["draw", "routes", "-o", str(tmp_path / "routes.png")]) == 2
    assert "There is no view called 'routes'" in capsys.readouterr().err


# Back to RDF


def test_a_view_with_a_computed_attribute_goes_back_to_rdf(views: dict[str, nx.MultiDiGraph]) -> None:
    from rdflib import OWL, RDF, Literal, URIRef
    from rdflib.namespace import SKOS

    from libertera_kg.view_files import view_to_rdf

    graph = views["network"].copy()
    for node, score in nx.degree_centrality(graph).items():
        graph.nodes[node]["centrality"] = score
    name = "https://example.org/graph/centrality"
    data = view_to_rdf(graph, name, "https://example.org/def#").graph(URIRef(name))
    pakistan = URIRef(ID + "country/PK")
    lt = "https://w3id.org/libertera/ontology#"
    assert (URIRef(ID + "network/brazil-network"), URIRef(lt + "linksCountry"), pakistan) in data
    assert (pakistan, RDF.type, URIRef(lt + "Country")) in data
    assert (pakistan, SKOS.prefLabel, Literal("Pakistan", lang="en")) in data
    assert (pakistan, URIRef(lt + "isoAlpha2"), Literal("PK")) in data
    assert (pakistan, OWL.sameAs, URIRef("http://www.wikidata.org/entity/Q843")) in data
    (score,) = data.objects(pakistan, URIRef("https://example.org/def#centrality"))
    assert float(score) == pytest.approx(1 / 6)
    assert len(data) == 6 + sum(len(d) for _, d in graph.nodes(data=True))


def test_entities_with_provenance_reach_the_exact_words(views: dict[str, nx.MultiDiGraph]) -> None:
    graph = view("entities", provenance=True)
    assert set(views["entities"]) < set(graph)
    figure = ID + "figure/liberterra-iii-arrests-exact"
    quote = ID + "quote/news-article-libertera-3/arrests-exact"
    assert graph.has_edge(figure, quote, "lt:evidence")
    selectors = [graph.nodes[s] for _, s, k in graph.out_edges(quote, keys=True) if k == "oa:hasSelector"]
    words = {s.get("exact") for s in selectors} - {None}
    offsets = {(s.get("start"), s.get("end")) for s in selectors} - {(None, None)}
    assert words == {"3,744 suspects were arrested"}
    assert offsets == {(1019, 1047)}
    claims = [n for n, d in graph.nodes(data=True) if d["type"] == "lt:Claim"]
    (count,) = connect().sparql(f"SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE {{ ?c a <{LT_CLAIM}> }}").rows[0]
    assert len(claims) == int(count) > 234, "every claim of every source, the article's 234 among them"


def test_drawing_leaves_pyparsing_as_it_found_it() -> None:
    """pyplot switches pyparsing's packrat cache on for the whole process, which halves the speed of
    rdflib's SPARQL parser (and so of validation) for everything after a drawing. In a fresh process, so
    that no earlier import of pyplot hides it."""
    import subprocess
    import sys

    script = (
        "import pyparsing\n"
        "from libertera_kg.drawing import render_view\n"
        "from libertera_kg.views import network\n"
        "render_view(network(), 'network')\n"
        "print(pyparsing.ParserElement._packratEnabled)\n"
    )
    answer = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert answer.stdout.strip() == "False"


@pytest.mark.parametrize("enabled", [True, False])
def test_a_view_leaves_the_garbage_collector_as_it_found_it(enabled: bool) -> None:
    """Views pause Python's cyclic collector while they build (a third of their time at scale went to
    it); the caller's setting comes back, even when the view fails."""
    import gc

    try:
        gc.enable() if enabled else gc.disable()
        view("network")
        assert gc.isenabled() is enabled
        with pytest.raises(UnknownNameError):
            view("no-such-view")
        assert gc.isenabled() is enabled
    finally:
        gc.enable()

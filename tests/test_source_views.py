"""The views of the sources and of the Liberterra series, the chart of the series, and what every picture
of a view must tell apart."""

from __future__ import annotations

import networkx as nx
import pytest

from libertera_kg import CONCEPT, ID
from libertera_kg.charts import series_chart_figures
from libertera_kg.drawing import node_label, render_view, type_colours
from libertera_kg.views import list_views, series, sources, view

COUNT = "https://w3id.org/libertera/concept/quantity-kind/"
OPERATION = str(ID) + "operation/"
SOURCE = str(ID) + "source/"


@pytest.fixture(scope="module")
def series_view() -> nx.MultiDiGraph:
    return series()


def test_the_series_view_holds_the_three_operations_and_every_figure(series_view: nx.MultiDiGraph) -> None:
    numbers = {n: d["seriesNumber"] for n, d in series_view.nodes(data=True) if "seriesNumber" in d}
    assert numbers == {
        OPERATION + "liberterra-i": 1,
        OPERATION + "liberterra-ii": 2,
        OPERATION + "liberterra-iii": 3,
    }
    exact = str(ID) + "figure/liberterra-iii-victims-interpol"
    assert series_view.nodes[exact]["statedAs"] == "4,414"
    edges = {key: target for _, target, key in series_view.out_edges(exact, keys=True)}
    assert edges["lt:statedIn"] == SOURCE + "interpol-release-liberterra-iii"
    assert edges["lt:quantityKind"] == COUNT + "victims-protected-or-rescued"
    # the article's rounding is there too, beside the release's figure
    assert series_view.nodes[str(ID) + "figure/liberterra-iii-victims-protected"]["statedAs"] == "over 4,400"


def test_the_sources_view_links_reports_to_releases_and_what_they_speak_of() -> None:
    graph = sources()
    relays = {(u, v) for u, v, key in graph.edges(keys=True) if key == "prov:hadPrimarySource"}
    assert (SOURCE + "news-article-libertera-3", SOURCE + "interpol-release-liberterra-iii") in relays
    assert len(relays) == 11
    about = {(u, v) for u, v, key in graph.edges(keys=True) if key == "schema:about"}
    assert (SOURCE + "stern-liberterra-iii", str(ID) + "person/david-caunter") in about
    assert (SOURCE + "interpol-release-liberterra-i", OPERATION + "liberterra-i") in about
    assert SOURCE + "un-m49" not in graph, "reference sources are not reports"


def test_the_chart_shows_each_release_s_own_figure_with_its_bound(series_view: nx.MultiDiGraph) -> None:
    chosen = series_chart_figures(series_view)
    iii, ii, i = (OPERATION + name for name in ("liberterra-iii", "liberterra-ii", "liberterra-i"))
    # the release's exact figures, not its headline's roundings nor a report's 4,419
    assert chosen[(iii, COUNT + "victims-protected-or-rescued")] == (4414.0, "4,414", "=", True)
    assert chosen[(iii, COUNT + "irregular-migrants-detected")] == (12992.0, "12,992", "=", True)
    assert chosen[(iii, COUNT + "arrests-linked-to-trafficking-or-smuggling")] == (
        1800.0, "more than 1,800 *", ">", True,
    )  # fmt: skip
    assert chosen[(i, COUNT + "victims-protected-or-rescued")] == (430.0, "about 430", "~", True)
    assert chosen[(ii, COUNT + "suspects-arrested")][1] == "2,517 *"
    assert (ii, COUNT + "investigations-opened") not in chosen, "no source gives it: the chart says so"


def test_the_chart_is_the_same_bytes_every_time(series_view: nx.MultiDiGraph) -> None:
    pytest.importorskip("matplotlib", reason="drawing needs matplotlib: pip install 'libertera-kg[viz]'")
    first = render_view(series_view, "series", "svg")
    assert first == render_view(series(), "series", "svg")
    assert b"4,414" in first
    assert b"not given" in first


def test_every_type_in_a_picture_has_a_colour_of_its_own() -> None:
    """The legend told 38 types apart with 20 colours: Assessment and OrganizationalUnit looked alike."""
    pytest.importorskip("matplotlib", reason="drawing needs matplotlib: pip install 'libertera-kg[viz]'")
    for item in list_views():
        types = sorted({str(d.get("type") or "other") for _, d in view(item.name).nodes(data=True)})
        colours = type_colours(types)
        assert len(set(colours.values())) == len(types), item.name
    assert len(set(type_colours([f"type {n}" for n in range(90)]).values())) == 90


def test_a_drawn_label_is_whole_and_an_offence_shows_its_iccs_code() -> None:
    graph = view("offences")
    labels = {node: node_label(data) for node, data in graph.nodes(data=True)}
    assert labels[str(CONCEPT) + "offence/child-pornography"] == "child pornography\n(030221)"
    for node, data in graph.nodes(data=True):
        assert " ".join(labels[node].split()).startswith(" ".join(str(data["label"]).split())), node

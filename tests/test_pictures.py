"""The pictures a person looks at: no two node labels overlap in any graph picture (measured on the drawn
labels), every label is whole, the provenance picture is a chart a person can read, and the long
commands say how far they are on a terminal."""

from __future__ import annotations

import io
import os
import pty
from pathlib import Path

import networkx as nx
import pytest

from libertera_kg import ID
from libertera_kg.progress import terminal_progress
from libertera_kg.views import list_views, view

#: The views drawn as graphs; series and provenance are charts.
GRAPH_VIEWS = [item.name for item in list_views() if item.name not in ("series", "provenance")]


@pytest.fixture(autouse=True)
def _needs_matplotlib() -> None:
    pytest.importorskip("matplotlib", reason="drawing needs matplotlib: pip install 'libertera-kg[viz]'")


@pytest.mark.parametrize("name", GRAPH_VIEWS)
def test_no_two_node_labels_overlap_and_every_label_is_whole(name: str) -> None:
    from libertera_kg.drawing import label_boxes, node_label

    graph = view(name)
    boxes = label_boxes(graph, name)
    assert len(boxes) == graph.number_of_nodes()
    meeting = [(a.text, b.text) for i, a in enumerate(boxes) for b in boxes[i + 1 :] if a.overlaps(b)]
    assert not meeting, f"{len(meeting)} pairs of labels overlap in {name}, such as {meeting[:3]}"
    for box in boxes:
        assert box.text == node_label(graph.nodes[box.node]), "a label is drawn whole, wrapped, never cut"


def test_the_cases_picture_draws_the_brazil_and_el_salvador_cases_apart() -> None:
    from libertera_kg.drawing import label_boxes

    boxes = {box.node: box for box in label_boxes(view("cases"), "cases")}
    brazil, salvador = (
        boxes[ID + "case/brazil-network-dismantled"],
        boxes[ID + "case/el-salvador-girl-rescued"],
    )
    assert not brazil.overlaps(salvador)
    assert "Pakistan, Afghanistan,\nMexico and the United\nStates" in brazil.text, "the countries are kept"


@pytest.fixture(scope="module")
def provenance() -> nx.MultiDiGraph:
    return view("provenance")


def test_the_provenance_chart_counts_each_source_s_facts_by_what_they_are_about(
    provenance: nx.MultiDiGraph,
) -> None:
    from libertera_kg.charts import provenance_counts

    sources, kinds, facts, quoted = provenance_counts(provenance)
    types = [str(provenance.nodes[s]["type"]) for s in sources]
    assert all("lt:PressRelease" in t for t in types[:3]), "INTERPOL's releases first"
    assert all("lt:ReferenceSource" in t for t in types[-5:]), "reference sources last"
    stated = sum(1 for _, _, key in provenance.edges(keys=True) if key == "lt:statedIn")
    assert sum(facts.values()) == stated, "every fact counted once per source that states it"
    article = str(ID) + "source/news-article-libertera-3"
    assert quoted[article] == sum(count for (source, _), count in facts.items() if source == article) > 200
    assert not any(quoted.get(s) for s in sources if "ReferenceSource" in str(provenance.nodes[s]["type"]))
    assert kinds[0] == "country", "the kinds are ordered by how many facts are about them"
    assert facts[(str(ID) + "source/iso-3166-1", "country")] == 42


def test_the_provenance_picture_is_a_chart_naming_every_source(provenance: nx.MultiDiGraph) -> None:
    from libertera_kg.charts import provenance_counts
    from libertera_kg.drawing import render_view

    picture = render_view(provenance, "provenance", "svg").decode("utf-8")
    assert "where the facts come from" in picture
    for source in provenance_counts(provenance)[0]:
        first_words = str(provenance.nodes[source]["label"]).split(" (")[0][:30]
        assert first_words in picture.replace("\n", " "), first_words
    assert "id/claim/" not in picture, "no hashed claim names"
    assert render_view(provenance, "provenance", "svg").decode("utf-8") == picture


def test_progress_shows_on_a_terminal_and_nowhere_else() -> None:
    quiet = io.StringIO()
    with terminal_progress("draw cases", file=quiet, delay=0) as progress:
        progress("laying out 37 nodes")
    assert quiet.getvalue() == "", "no progress where standard error is not a terminal"
    leader, follower = pty.openpty()
    with (
        os.fdopen(follower, "w") as terminal,
        terminal_progress("draw cases", file=terminal, delay=0) as progress,
    ):
        progress("laying out 37 nodes")
        progress("drawing 37 nodes and 33 edges")
    shown = os.read(leader, 10_000).decode("utf-8")
    os.close(leader)
    assert "draw cases: laying out 37 nodes" in shown
    assert "draw cases: drawing 37 nodes and 33 edges [2 steps" in shown


def test_draw_and_build_report_each_step(tmp_path: Path) -> None:
    from libertera_kg.drawing import draw_view

    steps: list[str] = []
    draw_view(view("cases"), "cases", tmp_path / "cases.png", progress=steps.append)
    assert steps == [
        "measuring 37 labels",
        "laying out 37 nodes so that no labels overlap",
        "drawing 37 nodes and 33 edges",
        "writing the PNG",
    ]


def test_draw_on_a_terminal_says_each_step_as_it_goes(tmp_path: Path) -> None:
    """On a terminal (here a pseudo-terminal of size 0, as some give, which made the bar vanish), a draw
    that takes more than a second shows its steps on standard error, and clears them at the end."""
    import subprocess
    import sys

    leader, follower = pty.openpty()
    command = [
        str(Path(sys.executable).parent / "libertera-kg"),
        "draw",
        "entities",
        "-o",
        str(tmp_path / "e.png"),
    ]
    with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=follower) as process:
        os.close(follower)
        shown = b""
        while True:
            try:
                chunk = os.read(leader, 4096)
            except OSError:  # the terminal closed: the command has ended
                break
            if not chunk:
                break
            shown += chunk
        printed = process.stdout.read() if process.stdout else b""
    os.close(leader)
    assert process.returncode == 0
    assert printed.decode() == f"wrote {tmp_path / 'e.png'}\n", "the steps stay off standard output"
    text = shown.decode("utf-8")
    assert "draw entities: laying out 214 nodes so that no labels overlap" in text
    assert text.rstrip(" ").endswith("\r"), "the line is cleared at the end"

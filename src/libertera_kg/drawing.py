"""Pictures of the graph views (matplotlib, the ``viz`` extra): nodes coloured by type, with a legend.

The layout suits the view: offences as a tree (broader offences above narrower ones, cases below),
participation in three columns (cases, operation, then countries and organisations), the rest with each
connected part laid out on its own, force-directed with a fixed seed, side by side. The same graph gives
the same picture, byte for byte, with the same matplotlib.
"""

from __future__ import annotations

import io
import math
import textwrap
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import networkx as nx

from .errors import MissingDependencyError, UsageError
from .publish import write_atomically

#: The picture formats :func:`draw_view` writes, by file suffix.
PICTURE_SUFFIXES = (".png", ".svg")

Position = tuple[float, float]


def draw_view(graph: nx.MultiDiGraph, name: str, path: Path) -> Path:
    """Draw the view ``name`` (its ``graph``) into a ``.png`` or ``.svg`` file, whole or not at all."""
    picture = render_view(graph, name, picture_format(path))
    write_atomically(path, picture)
    return path


def picture_format(path: Path) -> str:
    """``png`` or ``svg``, as the picture's file name ends; any other name is refused."""
    if path.suffix.lower() not in PICTURE_SUFFIXES:
        raise UsageError(f"Cannot draw into {path}: the file must end with .png or .svg.")
    return path.suffix.lower().lstrip(".")


def render_view(graph: nx.MultiDiGraph, name: str, fmt: str = "png") -> bytes:
    """The picture of the view ``name`` (its ``graph``) as PNG or SVG bytes."""
    plt = _pyplot()
    positions = _layout(graph, name)
    types = sorted({str(data.get("type") or "other") for _, data in graph.nodes(data=True)})
    palette = plt.get_cmap("tab20")
    colours = {kind: palette(index % 20) for index, kind in enumerate(types)}
    size = max(8.0, min(24.0, 4 + graph.number_of_nodes() * 0.25))
    figure, axes = plt.subplots(figsize=(size, size * 0.7), dpi=100)
    try:
        simple = nx.DiGraph(graph)  # one arrow per pair of nodes; the keys stay in the files
        nx.draw_networkx_edges(simple, positions, ax=axes, edge_color="#999999", arrowsize=10, width=0.8)
        for kind in types:
            members = [n for n, d in graph.nodes(data=True) if str(d.get("type") or "other") == kind]
            nx.draw_networkx_nodes(
                graph,
                positions,
                nodelist=members,
                node_color=[colours[kind]],
                node_size=260,
                ax=axes,
                label=kind,
            )
        labels = {
            node: "\n".join(textwrap.wrap(str(data["label"]), 22)[:3])
            for node, data in graph.nodes(data=True)
        }
        nx.draw_networkx_labels(graph, positions, labels=labels, font_size=7, ax=axes)
        if name != "entities" and graph.number_of_edges() <= 40:
            edge_labels = {(u, v): data["label"] for u, v, data in graph.edges(data=True)}
            nx.draw_networkx_edge_labels(simple, positions, edge_labels=edge_labels, font_size=6, ax=axes)
        axes.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=8, title="type", frameon=False)
        axes.set_title(f"libertera_kg view: {name}", fontsize=11)
        axes.margins(x=0.12, y=0.08)
        axes.set_axis_off()
        figure.tight_layout()
        # No creation date or software version in the file, so the same graph gives the same bytes.
        metadata: Mapping[str, str | None] = (
            {"Date": None, "Creator": None} if fmt == "svg" else {"Software": None}
        )
        out = io.BytesIO()
        with plt.rc_context({"svg.hashsalt": "libertera", "svg.fonttype": "none"}):
            figure.savefig(out, format=fmt, metadata=dict(metadata))
    finally:
        plt.close(figure)
    return out.getvalue()


def _pyplot() -> Any:
    """matplotlib's pyplot on the Agg backend, imported so that pyparsing stays as it was.

    Importing pyplot switches on pyparsing's packrat cache for the whole process (for its mathtext), and
    rdflib's SPARQL parser, which pySHACL calls for every focus node, then runs about twice as slowly: a
    validation after a drawing took 10.9 s instead of 5.1 s. The cache is switched off again unless it
    was on before.
    """
    import pyparsing

    packrat_before = bool(getattr(pyparsing.ParserElement, "_packratEnabled", False))
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        raise MissingDependencyError("matplotlib", "viz", "Drawing a view") from None
    if not packrat_before and getattr(pyparsing.ParserElement, "_packratEnabled", False):
        pyparsing.ParserElement.disable_memoization()
    return plt


def _layout(graph: nx.MultiDiGraph, name: str) -> dict[str, Position]:
    """Node positions suited to the view."""
    if graph.number_of_nodes() == 0:
        return {}
    if name == "offences":
        return _tree_layout(graph)
    if name == "participation":
        # three columns: the cases, the operation, and the countries and organisations taking part
        column = {"lt:Case": 0, "lt:Operation": 1}
        columns: dict[int, list[str]] = {}
        for node in sorted(graph, key=lambda n: (str(graph.nodes[n]["label"]), n)):
            columns.setdefault(column.get(str(graph.nodes[node].get("type")), 2), []).append(node)
        return {
            node: (float(x), 1 - 2 * (index + 1) / (len(members) + 1))
            for x, members in columns.items()
            for index, node in enumerate(members)
        }
    return _components_in_a_grid(graph)


def _components_in_a_grid(graph: nx.MultiDiGraph) -> dict[str, Position]:
    """Each connected part laid out on its own (force-directed, fixed seed), the parts side by side."""
    undirected = nx.Graph(graph)
    parts = sorted(nx.connected_components(undirected), key=lambda part: (-len(part), min(part)))
    columns = math.ceil(math.sqrt(len(parts)))
    positions: dict[str, Position] = {}
    for index, part in enumerate(parts):
        row, column = divmod(index, columns)
        # a new graph built in sorted order: a subgraph view would iterate a set, in hash order
        piece = nx.Graph()
        piece.add_nodes_from(sorted(part))
        piece.add_edges_from(sorted(tuple(sorted(edge)) for edge in undirected.edges(part)))
        layout = nx.spring_layout(piece, seed=7, k=4 / math.sqrt(len(part)), iterations=200)
        for node, (x, y) in layout.items():
            positions[str(node)] = (column * 2.6 + float(x), -row * 2.6 + float(y))
    return positions


def _tree_layout(graph: nx.MultiDiGraph) -> dict[str, Position]:
    """Broader offences on top, narrower ones below them, the cases that use them at the bottom."""
    broader = nx.DiGraph()
    broader.add_nodes_from(graph)
    broader.add_edges_from((v, u) for u, v, key in graph.edges(keys=True) if key == "skos:broader")
    depth: dict[str, int] = {}
    for node in nx.topological_sort(broader):
        parents = list(broader.predecessors(node))
        depth[node] = 1 + max(depth[p] for p in parents) if parents else 0
    cases = {n for n, d in graph.nodes(data=True) if d.get("type") == "lt:Case"}
    bottom = 1 + max((depth[n] for n in depth if n not in cases), default=0)
    for node in cases:
        depth[node] = bottom
    rows: dict[int, list[str]] = {}
    for node in sorted(graph, key=lambda n: str(graph.nodes[n]["label"])):
        rows.setdefault(depth[node], []).append(node)
    positions: dict[str, Position] = {}
    for level, members in rows.items():
        for index, node in enumerate(members):
            positions[node] = ((index + 1) / (len(members) + 1), -float(level))
    return positions

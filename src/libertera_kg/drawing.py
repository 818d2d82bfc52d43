"""Pictures of the graph views (matplotlib, the ``viz`` extra): nodes coloured by type, with a legend, laid
out as suits the view (:mod:`.layout`) with no two labels overlapping; the series and provenance views
as charts (:mod:`.charts`). The same graph gives the same picture, byte for byte, with the same
matplotlib.
"""

from __future__ import annotations

import io
import math
import textwrap
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import networkx as nx

from .errors import MissingDependencyError, UsageError
from .progress import Progress
from .publish import write_atomically

#: The picture formats :func:`draw_view` writes, by file suffix.
PICTURE_SUFFIXES = (".png", ".svg")


def draw_view(graph: nx.MultiDiGraph, name: str, path: Path, *, progress: Progress | None = None) -> Path:
    """Draw the view ``name`` (its ``graph``) into a ``.png`` or ``.svg`` file, whole or not at all;
    ``progress`` hears of each step."""
    picture = render_view(graph, name, picture_format(path), progress=progress)
    write_atomically(path, picture)
    return path


def picture_format(path: Path) -> str:
    """``png`` or ``svg``, as the picture's file name ends; any other name is refused."""
    if path.suffix.lower() not in PICTURE_SUFFIXES:
        raise UsageError(f"Cannot draw into {path}: the file must end with .png or .svg.")
    return path.suffix.lower().lstrip(".")


def render_view(
    graph: nx.MultiDiGraph, name: str, fmt: str = "png", *, progress: Progress | None = None
) -> bytes:
    """The picture of the view ``name`` (its ``graph``) as PNG or SVG bytes: for ``series`` and
    ``provenance`` a chart of the view, for any other view the graph itself, no two labels overlapping."""
    from .charts import provenance_chart, series_chart

    if name == "series":
        return series_chart(graph, fmt)
    if name == "provenance":
        return provenance_chart(graph, fmt)
    plt = pyplot()
    figure, _ = _graph_figure(plt, graph, name, progress)
    try:
        if progress:
            progress(f"writing the {fmt.upper()}")
        return saved(plt, figure, fmt)
    finally:
        plt.close(figure)


@dataclass(frozen=True)
class LabelBox:
    """Where a node's label is drawn, in pixels of the picture (origin at the bottom left)."""

    node: str
    text: str
    x0: float
    y0: float
    x1: float
    y1: float

    def overlaps(self, other: LabelBox) -> bool:
        return self.x0 < other.x1 and other.x0 < self.x1 and self.y0 < other.y1 and other.y0 < self.y1


def label_boxes(graph: nx.MultiDiGraph, name: str) -> list[LabelBox]:
    """The box of every node label as the picture of view ``name`` draws it, measured on the drawing
    itself: no two overlap."""
    plt = pyplot()
    figure, labels = _graph_figure(plt, graph, name, None)
    try:
        renderer = figure.canvas.get_renderer()
        boxes = []
        for node, text in sorted(labels.items()):
            extent = text.get_window_extent(renderer)
            boxes.append(LabelBox(node, text.get_text(), extent.x0, extent.y0, extent.x1, extent.y1))
        return boxes
    finally:
        plt.close(figure)


#: Inches kept around the drawing, and to its right for the legend, and above it for the title.
_MARGIN, _TITLE = 0.3, 0.5


def _graph_figure(
    plt: Any, graph: nx.MultiDiGraph, name: str, progress: Progress | None
) -> tuple[Any, dict[str, Any]]:
    """A figure of the view's graph at one inch per unit of the layout, sized to hold it: nodes coloured
    by type with a legend, every label whole and apart from the others. Returns the figure and the
    labels' text artists by node."""
    from .layout import layout_in_inches

    types = sorted({str(data.get("type") or "other") for _, data in graph.nodes(data=True)})
    colours = type_colours(types)
    labels = {node: node_label(data) for node, data in graph.nodes(data=True)}
    if progress:
        progress(f"measuring {len(labels)} labels")
    sizes = _label_sizes(plt, labels)
    if progress:
        progress(f"laying out {graph.number_of_nodes()} nodes so that no labels overlap")
    boxes = layout_in_inches(graph, name, sizes)
    # each box holds the node's marker on top and its label below it
    marker = _marker_inches()
    positions = {n: (x, y + sizes[n][1] / 2 - marker / 2) for n, (x, y) in boxes.items()}
    left, bottom, right, top = _extent(boxes, sizes)
    legend_width = 0.9 + 0.075 * max((len(kind) for kind in types), default=0)
    width, height = right - left + 2 * _MARGIN, top - bottom + 2 * _MARGIN
    figure = plt.figure(figsize=(max(width + legend_width, 8.0), max(height + _TITLE, 5.0)), dpi=_DPI)
    fig_width, fig_height = figure.get_size_inches()
    # one inch of the layout is one inch of the picture, so the boxes measured are the boxes drawn
    axes = figure.add_axes((0, 0, width / fig_width, height / fig_height))
    axes.set_xlim(left - _MARGIN, right + _MARGIN)
    axes.set_ylim(bottom - _MARGIN, top + _MARGIN)
    axes.set_axis_off()
    if progress:
        progress(f"drawing {graph.number_of_nodes()} nodes and {graph.number_of_edges()} edges")
    simple = nx.DiGraph(graph)  # one arrow per pair of nodes; the keys stay in the files
    edges = nx.draw_networkx_edges(
        simple, positions, ax=axes, edge_color="#999999", arrowsize=10, width=0.8, node_size=_NODE_SIZE
    )
    for edge in edges if isinstance(edges, list) else [edges]:
        edge.set_zorder(1)
    for kind in types:
        members = [n for n, d in graph.nodes(data=True) if str(d.get("type") or "other") == kind]
        nx.draw_networkx_nodes(
            graph,
            positions,
            nodelist=members,
            node_color=[colours[kind]],
            node_size=_NODE_SIZE,
            ax=axes,
            label=kind,
        ).set_zorder(3)
    if name != "entities" and graph.number_of_edges() <= 40:
        edge_labels = {(u, v): data["label"] for u, v, data in graph.edges(data=True)}
        nx.draw_networkx_edge_labels(simple, positions, edge_labels=edge_labels, font_size=6, ax=axes)
    drawn = {
        node: axes.text(
            x,
            y - marker / 2,
            labels[node],
            fontsize=_FONT_SIZE,
            ha="center",
            va="top",
            zorder=4,
            bbox={"boxstyle": "square,pad=0.05", "facecolor": "white", "edgecolor": "none", "alpha": 0.85},
        )
        for node, (x, y) in sorted(positions.items())
    }
    figure.legend(
        *axes.get_legend_handles_labels(), loc="upper right", fontsize=8, title="type", frameon=False
    )
    figure.suptitle(f"libertera_kg view: {name}", fontsize=11)
    return figure, drawn


def _marker_inches() -> float:
    """A node marker's diameter, in inches (its area is given in points squared)."""
    return math.sqrt(_NODE_SIZE) / 72


#: The picture's resolution, the nodes' area (points squared) and the labels' font size.
_DPI, _NODE_SIZE, _FONT_SIZE = 100, 260, 7


def _label_sizes(plt: Any, labels: dict[str, str]) -> dict[str, tuple[float, float]]:
    """The box each node takes, in inches: its marker on top of its label, measured by matplotlib's
    renderer as the picture draws the label."""
    figure = plt.figure(figsize=(4, 4), dpi=_DPI)
    try:
        renderer = figure.canvas.get_renderer()
        marker = _marker_inches()
        sizes = {}
        for node, text in labels.items():
            extent = figure.text(0, 0, text, fontsize=_FONT_SIZE).get_window_extent(renderer)
            sizes[node] = (max(extent.width / _DPI, marker), marker + extent.height / _DPI)
        return sizes
    finally:
        plt.close(figure)


def _extent(
    positions: dict[str, tuple[float, float]], sizes: dict[str, tuple[float, float]]
) -> tuple[float, float, float, float]:
    """The box (left, bottom, right, top) holding every label, in inches."""
    return (
        min(x - sizes[n][0] / 2 for n, (x, _) in positions.items()),
        min(y - sizes[n][1] / 2 for n, (_, y) in positions.items()),
        max(x + sizes[n][0] / 2 for n, (x, _) in positions.items()),
        max(y + sizes[n][1] / 2 for n, (_, y) in positions.items()),
    )


def node_label(attributes: Mapping[str, object]) -> str:
    """A node's label as drawn: its whole label, wrapped at 22 characters (never cut), and a concept's
    code (an offence's ICCS code) after it."""
    text = str(attributes.get("label", ""))
    if attributes.get("notation"):
        text += f" ({attributes['notation']})"
    return "\n".join(textwrap.wrap(text, 22))


def type_colours(types: list[str]) -> dict[str, tuple[float, ...]]:
    """A colour for each of ``types``, no two alike: matplotlib's three qualitative palettes of twenty
    (tab20, tab20b, tab20c) one after the other, then evenly spaced hues for any beyond sixty."""
    from matplotlib import colormaps
    from matplotlib.colors import hsv_to_rgb

    listed = (colormaps[name](index) for name in ("tab20", "tab20b", "tab20c") for index in range(20))
    palette: list[tuple[float, ...]] = list(
        dict.fromkeys(tuple(float(c) for c in colour) for colour in listed)
    )
    extra = len(types) - len(palette)
    if extra > 0:
        palette += [(*map(float, hsv_to_rgb((i / extra, 0.55, 0.85))), 1.0) for i in range(extra)]
    return {kind: palette[index] for index, kind in enumerate(types)}


def saved(plt: Any, figure: Any, fmt: str) -> bytes:
    """The figure as PNG or SVG bytes, with no creation date or software version in the file, so that the
    same graph gives the same bytes."""
    metadata: Mapping[str, str | None] = (
        {"Date": None, "Creator": None} if fmt == "svg" else {"Software": None}
    )
    out = io.BytesIO()
    with plt.rc_context({"svg.hashsalt": "libertera", "svg.fonttype": "none"}):
        figure.savefig(out, format=fmt, metadata=dict(metadata))
    return out.getvalue()


def pyplot() -> Any:
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

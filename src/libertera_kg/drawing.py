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
    """The picture of the view ``name`` (its ``graph``) as PNG or SVG bytes: for ``series`` a chart of
    its figures, for any other view the graph itself."""
    if name == "series":
        return _series_chart(graph, fmt)
    plt = _pyplot()
    positions = _layout(graph, name)
    types = sorted({str(data.get("type") or "other") for _, data in graph.nodes(data=True)})
    colours = type_colours(types)
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
        labels = {node: node_label(data) for node, data in graph.nodes(data=True)}
        nx.draw_networkx_labels(graph, positions, labels=labels, font_size=7, ax=axes)
        if name != "entities" and graph.number_of_edges() <= 40:
            edge_labels = {(u, v): data["label"] for u, v, data in graph.edges(data=True)}
            nx.draw_networkx_edge_labels(simple, positions, edge_labels=edge_labels, font_size=6, ax=axes)
        axes.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=8, title="type", frameon=False)
        axes.set_title(f"libertera_kg view: {name}", fontsize=11)
        axes.margins(x=0.12, y=0.08)
        axes.set_axis_off()
        figure.tight_layout()
        return _saved(plt, figure, fmt)
    finally:
        plt.close(figure)


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


def _saved(plt: Any, figure: Any, fmt: str) -> bytes:
    """The figure as PNG or SVG bytes, with no creation date or software version in the file, so that the
    same graph gives the same bytes."""
    metadata: Mapping[str, str | None] = (
        {"Date": None, "Creator": None} if fmt == "svg" else {"Software": None}
    )
    out = io.BytesIO()
    with plt.rc_context({"svg.hashsalt": "libertera", "svg.fonttype": "none"}):
        figure.savefig(out, format=fmt, metadata=dict(metadata))
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


#: The counts the series chart shows, in its order.
SERIES_COUNTS = tuple(
    f"https://w3id.org/libertera/concept/quantity-kind/{name}"
    for name in (
        "participating-countries",
        "suspects-arrested",
        "arrests-linked-to-trafficking-or-smuggling",
        "victims-protected-or-rescued",
        "irregular-migrants-detected",
        "investigations-opened",
    )
)
#: How a bar shows its bound: solid for an exact count, hatched for an estimate, an open top for a bound.
_BOUND_HATCH = {"=": "", "~": "...", ">": "//", ">=": "//", "<": "\\\\", "<=": "\\\\"}


def _series_chart(graph: nx.MultiDiGraph, fmt: str) -> bytes:
    """The main counts of each operation of the series side by side, one panel per count: each bar is the
    figure of INTERPOL's release (its exact one where it gives one), hatched by its bound and labelled
    with the release's words; a count only a report gives says so, a count no source gives says that."""
    plt = _pyplot()
    operations = _operations_in_order(graph)
    chosen = series_chart_figures(graph)
    figure, panels = plt.subplots(2, 3, figsize=(13, 7.5), dpi=100)
    try:
        names = [str(graph.nodes[n]["label"]) for n in operations]
        for count, axes in zip(SERIES_COUNTS, panels.flat, strict=True):
            title = str(graph.nodes[count]["label"]) if count in graph else count.rsplit("/", 1)[-1]
            axes.set_title("\n".join(textwrap.wrap(title, 34)), fontsize=9)
            for index, operation in enumerate(operations):
                found = chosen.get((operation, count))
                if found is None:
                    axes.text(index, 0, "not given", ha="center", va="bottom", fontsize=7, color="#777777")
                    continue
                value, words, notation, primary = found
                axes.bar(
                    index,
                    value,
                    color="#4c72b0" if primary else "#dd8452",
                    edgecolor="black",
                    hatch=_BOUND_HATCH.get(notation, ""),
                    width=0.6,
                )
                label = words if primary else f"{words}\n(a report)"
                axes.text(index, value, label, ha="center", va="bottom", fontsize=7)
            axes.set_xticks(range(len(operations)), names, fontsize=8)
            axes.margins(y=0.25)
            axes.tick_params(axis="y", labelsize=7)
        handles = [
            plt.Rectangle((0, 0), 1, 1, facecolor="white", edgecolor="black", hatch=hatch)
            for hatch in ("", "...", "//")
        ] + [plt.Rectangle((0, 0), 0, 0, fill=False, edgecolor="none")]
        figure.legend(
            handles,
            ["exact", "about", "more than (a lower bound)", "* preliminary, as the source says"],
            loc="lower center",
            ncol=4,
            fontsize=8,
            frameon=False,
        )
        figure.suptitle(
            "The Liberterra series: each operation's figures as INTERPOL's releases give them", fontsize=11
        )
        figure.tight_layout(rect=(0, 0.05, 1, 0.97))
        return _saved(plt, figure, fmt)
    finally:
        plt.close(figure)


def _operations_in_order(graph: nx.MultiDiGraph) -> list[str]:
    """The operations of the series view, by their number in the series."""
    numbered = [n for n, d in graph.nodes(data=True) if d.get("seriesNumber") is not None]
    return sorted(numbered, key=lambda n: int(graph.nodes[n]["seriesNumber"]))


def series_chart_figures(graph: nx.MultiDiGraph) -> dict[tuple[str, str], tuple[float, str, str, bool]]:
    """For each (operation, count) of the ``series`` view, the figure its chart shows: (number, words, bound
    notation, whether a press release states it), the release's before a report's and an exact figure
    before a rounding; " *" ends the words of a figure its source calls preliminary."""
    operations = _operations_in_order(graph)
    part_of = {u: v for u, v, key in graph.edges(keys=True) if key == "sem:subEventOf"}
    candidates: dict[tuple[str, str], list[tuple[tuple[int, int, str], tuple[float, str, str, bool]]]] = {}
    for node, data in graph.nodes(data=True):
        if data.get("statedValue") is None:
            continue
        out = {key: target for _, target, key in graph.out_edges(node, keys=True)}
        counted, count = out.get("lt:figureOf"), out.get("lt:quantityKind")
        while counted in part_of and counted not in operations:
            counted = part_of[counted]
        if counted not in operations or count not in SERIES_COUNTS:
            continue
        notation = str(graph.nodes[out["lt:boundKind"]].get("notation", "")) if "lt:boundKind" in out else ""
        source_type = str(graph.nodes[out["lt:statedIn"]].get("type", "")) if "lt:statedIn" in out else ""
        primary = "lt:PressRelease" in source_type
        rank = (0 if primary else 1, 0 if notation == "=" else 1, node)
        words = str(data.get("statedAs", ""))
        if "lt:reportStatus" in out and graph.nodes[out["lt:reportStatus"]].get("label") == "preliminary":
            words += " *"
        figure = (float(data["statedValue"]), words, notation, primary)
        candidates.setdefault((str(counted), str(count)), []).append((rank, figure))
    return {key: min(found)[1] for key, found in candidates.items()}

"""Where a picture puts each node: a layout suited to the view, then the nodes moved apart until no two
labels overlap.

The layout suits the view: offences as a tree (broader offences above narrower ones, cases below),
participation in three columns (cases, operation, then countries and organisations), the rest with each
connected part laid out on its own, force-directed with a fixed seed, side by side. Positions are then
taken to inches, and :func:`spread_labels` pushes apart every two nodes whose label boxes meet, along the
rows of a tree or the columns of a column layout, so that the layout's shape stays. The same graph gives
the same positions.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import networkx as nx
import numpy as np

Position = tuple[float, float]
#: A label box's width and height, in inches.
Size = tuple[float, float]

#: The gap left between two label boxes, in inches.
GAP = 0.06


def layout_in_inches(graph: nx.MultiDiGraph, name: str, sizes: Mapping[str, Size]) -> dict[str, Position]:
    """Positions in inches for the nodes of view ``name``, such that the label boxes of ``sizes`` (centred
    on their nodes) do not overlap."""
    if graph.number_of_nodes() == 0:
        return {}
    if name == "offences":
        positions, axis = _tree_layout(graph), "x"
    elif name == "participation":
        positions, axis = _columns_layout(graph), "y"
    else:
        positions, axis = _components_in_a_grid(graph), "both"
    widest = max(width for width, _ in sizes.values())
    tallest = max(height for _, height in sizes.values())
    if axis == "x":  # rows one label apart, siblings side by side
        scale = (widest * max(_row_lengths(positions)), tallest * 2.5)
    elif axis == "y":  # columns a label apart, members stacked one above the other
        return spread_labels(_stacked(positions, sizes, widest * 1.4), sizes, axis)
    else:
        side = math.sqrt(sum(w * h for w, h in sizes.values()) / max(1, len(positions))) * 3.0
        scale = (side, side)
    scaled = {node: (x * scale[0], y * scale[1]) for node, (x, y) in positions.items()}
    return spread_labels(scaled, sizes, axis)


def spread_labels(
    positions: Mapping[str, Position], sizes: Mapping[str, Size], axis: str = "both", rounds: int = 3000
) -> dict[str, Position]:
    """``positions`` moved, a little at a time, until no two label boxes of ``sizes`` overlap: each pair
    that meets is pushed apart along ``axis`` (``x``, ``y``, or ``both``: the one where they overlap
    least), each node by half the overlap. Deterministic: nodes in sorted order, ties broken by it."""
    nodes = sorted(positions)
    if len(nodes) < 2:
        return dict(positions)
    centres = np.array([positions[n] for n in nodes], dtype=float)
    halves = np.array([sizes[n] for n in nodes], dtype=float) / 2 + GAP / 2
    order = np.arange(len(nodes))
    tie = np.sign(order[:, None] - order[None, :]).astype(float)  # who moves which way when centres meet
    for _ in range(rounds):
        apart = centres[:, None, :] - centres[None, :, :]
        overlap = halves[:, None, :] + halves[None, :, :] - np.abs(apart)
        meeting = (overlap[:, :, 0] > 1e-9) & (overlap[:, :, 1] > 1e-9)
        np.fill_diagonal(meeting, False)
        if not meeting.any():
            break
        if axis == "x":
            along_x = np.ones_like(meeting)
        elif axis == "y":
            along_x = np.zeros_like(meeting)
        else:
            along_x = overlap[:, :, 0] <= overlap[:, :, 1]
        direction = np.where(apart == 0, tie[:, :, None], np.sign(apart))
        push = np.zeros_like(apart)
        push[:, :, 0] = np.where(meeting & along_x, direction[:, :, 0] * overlap[:, :, 0] / 2, 0)
        push[:, :, 1] = np.where(meeting & ~along_x, direction[:, :, 1] * overlap[:, :, 1] / 2, 0)
        # a node meeting several others moves by the largest push each way, not their sum, so it never
        # overshoots; a little extra keeps the rounds few
        step = np.where(push.max(axis=1) > -push.min(axis=1), push.max(axis=1), push.min(axis=1))
        centres += step * 1.05
    return {node: (float(x), float(y)) for node, (x, y) in zip(nodes, centres, strict=True)}


def _stacked(
    positions: Mapping[str, Position], sizes: Mapping[str, Size], spacing: float
) -> dict[str, Position]:
    """Columns ``spacing`` inches apart, each column's members stacked from the top in their order, each
    taking its own label's height, the columns centred on one another."""
    columns: dict[float, list[str]] = {}
    for node in sorted(positions, key=lambda n: (positions[n][0], -positions[n][1], n)):
        columns.setdefault(positions[node][0], []).append(node)
    stacked: dict[str, Position] = {}
    for x, members in columns.items():
        top = sum(sizes[n][1] + 3 * GAP for n in members) / 2
        for node in members:
            stacked[node] = (x * spacing, top - sizes[node][1] / 2)
            top -= sizes[node][1] + 3 * GAP
    return stacked


def _row_lengths(positions: Mapping[str, Position]) -> list[int]:
    """How many nodes share each row (the same y)."""
    rows: dict[float, int] = {}
    for _, y in positions.values():
        rows[round(y, 6)] = rows.get(round(y, 6), 0) + 1
    return list(rows.values())


def _columns_layout(graph: nx.MultiDiGraph) -> dict[str, Position]:
    """Three columns: the cases, the operation, and the countries and organisations taking part."""
    column = {"lt:Case": 0, "lt:Operation": 1}
    columns: dict[int, list[str]] = {}
    for node in sorted(graph, key=lambda n: (str(graph.nodes[n]["label"]), n)):
        columns.setdefault(column.get(str(graph.nodes[node].get("type")), 2), []).append(node)
    return {
        node: (float(x), (len(members) - 1) / 2 - index)
        for x, members in columns.items()
        for index, node in enumerate(members)
    }


def _components_in_a_grid(graph: nx.MultiDiGraph) -> dict[str, Position]:
    """Each connected part laid out on its own (force-directed, fixed seed) in a square whose side grows
    with the root of its size, the squares in rows, largest first."""
    undirected = nx.Graph(graph)
    parts = sorted(nx.connected_components(undirected), key=lambda part: (-len(part), min(part)))
    sides = [2 * max(1.0, math.sqrt(len(part) / 3)) for part in parts]
    row_width = max(max(sides), math.sqrt(sum(side * side for side in sides)) * 1.2)
    positions: dict[str, Position] = {}
    left, top, row_height = 0.0, 0.0, 0.0
    for part, side in zip(parts, sides, strict=True):
        if left > 0 and left + side > row_width:
            left, top, row_height = 0.0, top - row_height - 0.6, 0.0
        # a new graph built in sorted order: a subgraph view would iterate a set, in hash order
        piece = nx.Graph()
        piece.add_nodes_from(sorted(part))
        piece.add_edges_from(sorted(tuple(sorted(edge)) for edge in undirected.edges(part)))
        layout = nx.spring_layout(piece, seed=7, k=4 / math.sqrt(len(part)), iterations=200)
        for node, (x, y) in layout.items():
            positions[str(node)] = (left + side / 2 * (1 + float(x)), top - side / 2 * (1 - float(y)))
        left += side + 0.6
        row_height = max(row_height, side)
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
    for node in sorted(
        graph, key=lambda n: (str(graph.nodes[n].get("notation") or ""), str(graph.nodes[n]["label"]))
    ):
        rows.setdefault(depth[node], []).append(node)
    # each row below the first in the order of the mean place of what it links to above (the barycentre
    # heuristic), so that narrower offences sit under broader ones and cases under their offences
    undirected = nx.Graph(graph)
    place: dict[str, float] = {}
    positions: dict[str, Position] = {}
    for level in sorted(rows):
        members = rows[level]
        if place:
            above = {n: [place[m] for m in undirected[n] if m in place and depth[m] < level] for n in members}
            members.sort(key=lambda n: sum(above[n]) / len(above[n]) if above[n] else 0.5)
        for index, node in enumerate(members):
            place[node] = (index + 1) / (len(members) + 1)
            positions[node] = (place[node], -float(level))
    return positions

"""Pictures that are charts rather than graphs: the Liberterra series (each operation's counts as
INTERPOL's releases give them) and the provenance of the facts (how many each source states, about what,
and how many with their exact words).
"""

from __future__ import annotations

import textwrap
from collections import Counter

import networkx as nx

from .drawing import pyplot, saved
from .namespaces import in_words

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


def series_chart(graph: nx.MultiDiGraph, fmt: str) -> bytes:
    """The main counts of each operation of the series side by side, one panel per count: each bar is the
    figure of INTERPOL's release (its exact one where it gives one), hatched by its bound and labelled
    with the release's words; a count only a report gives says so, a count no source gives says that."""
    plt = pyplot()
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
        return saved(plt, figure, fmt)
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


#: The standing of a source by its type, in the order the provenance chart lists them.
_STANDINGS = (
    ("lt:PressRelease", "INTERPOL's releases"),
    ("lt:NewsArticle", "reports relaying them"),
    ("lt:ReferenceSource", "reference sources"),
)


def provenance_counts(
    graph: nx.MultiDiGraph,
) -> tuple[list[str], list[str], dict[tuple[str, str], int], dict[str, int]]:
    """What the provenance chart shows, from the ``provenance`` view: the sources (releases, then reports,
    then reference sources, each by label), the kinds of thing their facts are about (most facts first),
    the facts each source states about each kind, and how many of each source's facts come with its
    exact words. A fact is a claim (about its subject) or a statement such as a figure (about itself)."""
    facts: Counter[tuple[str, str]] = Counter()
    quoted: Counter[str] = Counter()
    for node, data in graph.nodes(data=True):
        out = [(target, key) for _, target, key in graph.out_edges(node, keys=True)]
        sources = [target for target, key in out if key == "lt:statedIn"]
        if not sources:
            continue
        subjects = [target for target, key in out if key == "lt:claimSubject"]
        about = subjects[0] if data.get("type") == "lt:Claim" and subjects else node
        kind = _kind_label(graph, about)
        for source in sources:
            facts[(source, kind)] += 1
            if any(key == "lt:evidence" for _, key in out):
                quoted[source] += 1
    sources = sorted({source for source, _ in facts}, key=lambda s: (_standing(graph, s), _name(graph, s)))
    by_kind: Counter[str] = Counter()
    for (_, kind), count in facts.items():
        by_kind[kind] += count
    kinds = sorted(by_kind, key=lambda kind: (-by_kind[kind], kind))
    return sources, kinds, dict(facts), dict(quoted)


def provenance_chart(graph: nx.MultiDiGraph, fmt: str) -> bytes:
    """Where the facts come from: a table of counts, one row per source (INTERPOL's releases first) and one
    column per kind of thing, each cell the number of facts that source states about that kind; beside it,
    each source's facts as a bar, the part with its exact words (quotes we hold) in a darker shade."""
    plt = pyplot()
    sources, kinds, facts, quoted = provenance_counts(graph)
    rows = [[facts.get((source, kind), 0) for kind in kinds] for source in sources]
    height = 2.2 + 0.42 * len(sources)
    figure, (table, bars) = plt.subplots(
        1,
        2,
        figsize=(4 + 0.55 * len(kinds) + 4, height),
        dpi=100,
        gridspec_kw={"width_ratios": [len(kinds), 6]},
    )
    try:
        table.imshow(rows, cmap="Blues", aspect="auto", vmin=0, vmax=max(max(r) for r in rows) * 1.3)
        for y, row in enumerate(rows):
            for x, count in enumerate(row):
                if count:
                    table.text(x, y, str(count), ha="center", va="center", fontsize=7)
        table.set_xticks(range(len(kinds)), kinds, rotation=50, ha="right", fontsize=8)
        standings = [name for _, name in _STANDINGS] + ["other sources"]
        names = [f"{_name(graph, s)}  ({standings[_standing(graph, s)]})" for s in sources]
        table.set_yticks(
            range(len(sources)), ["\n".join(textwrap.wrap(name, 60)) for name in names], fontsize=7
        )
        table.set_title("facts each source states, by what they are about", fontsize=9)
        totals = [sum(row) for row in rows]
        positions = list(range(len(sources)))
        bars.barh(positions, totals, color="#9ecae1", label="facts")
        bars.barh(
            positions,
            [quoted.get(s, 0) for s in sources],
            color="#3182bd",
            label="with the source's exact words",
        )
        for y, total in enumerate(totals):
            bars.text(total, y, f" {quoted.get(sources[y], 0)} of {total}", va="center", fontsize=7)
        bars.set_yticks(positions, [])
        bars.invert_yaxis()
        bars.set_ylim(table.get_ylim())
        bars.margins(x=0.3)
        bars.tick_params(axis="x", labelsize=7)
        bars.legend(loc="lower right", fontsize=7, frameon=False)
        bars.set_title("facts with their exact words", fontsize=9)
        figure.suptitle("libertera_kg view: provenance - where the facts come from", fontsize=11)
        figure.tight_layout()
        return saved(plt, figure, fmt)
    finally:
        plt.close(figure)


def _standing(graph: nx.MultiDiGraph, source: str) -> int:
    kind = str(graph.nodes[source].get("type", "")) if source in graph else ""
    return next((index for index, (name, _) in enumerate(_STANDINGS) if name in kind), len(_STANDINGS))


def _name(graph: nx.MultiDiGraph, node: str) -> str:
    return str(graph.nodes[node].get("label") or node.rsplit("/", 1)[-1]) if node in graph else node


def _kind_label(graph: nx.MultiDiGraph, node: str) -> str:
    """What kind of thing ``node`` is, as a column of the chart: its type's local name in words."""
    kind = str(graph.nodes[node].get("type") or "") if node in graph else ""
    first = kind.split()[0] if kind else "other"
    return in_words(first.rsplit(":", 1)[-1])

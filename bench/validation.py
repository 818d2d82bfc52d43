"""How SHACL validation time grows with data size, ours against pySHACL run as a user would call it.

    python bench/validation.py [--sizes 1 10 100] [--baseline-max 10] [--runs 3]

Data: the article's graphs, copied N times with every entity IRI renamed per copy, except the places, which
the copies share as reports of other operations in the same countries would (the ontology once).
Ours: ``libertera_kg.validate``: pySHACL for the core constraints, and each SHACL-SPARQL constraint run
once over the whole graph, its rows given to the focus nodes.
Baseline ("pySHACL default"): ``pyshacl.validate`` on a plain rdflib graph with the same shapes and options,
which runs (and parses) every SPARQL constraint once per focus node. The script checks that both give the
same results before it prints. Figures are medians of ``--runs`` runs, in seconds.
"""

from __future__ import annotations

import argparse
import sys

import pyshacl
from harness import median_seconds
from rdflib import Graph, URIRef

from libertera_kg import load, validate
from libertera_kg.validation import _results as report_results
from libertera_kg.validation import shapes_graph

ENTITY = "https://w3id.org/libertera/id/"
SHARED = tuple(f"{ENTITY}{kind}/" for kind in ("country", "city", "continent", "region"))


def synthetic(copies: int) -> Graph:
    """The ontology plus ``copies`` renamed copies of the article's data."""
    kg = load()
    graph = Graph()
    for triple in kg.ontology:
        graph.add(triple)
    data = [triple for g in kg.data_graphs() for triple in g]
    for copy in range(copies):

        def rename(node: object, copy: int = copy) -> object:
            renamed = copy and isinstance(node, URIRef) and str(node).startswith(ENTITY)
            if renamed and not str(node).startswith(SHARED):
                return URIRef(f"{node}-copy{copy}")
            return node

        for s, p, o in data:
            graph.add((rename(s), p, rename(o)))  # type: ignore[arg-type]
    return graph


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1, 4, 10, 100])
    parser.add_argument(
        "--baseline-max", type=int, default=4, help="largest size to run the slow baseline on"
    )
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)
    shapes = shapes_graph()

    header = f"{'copies':>6} {'triples':>8} {'ours s':>8} {'pySHACL default s':>18} {'speed-up':>9}"
    print(f"{header} {'results':>8}")
    for copies in args.sizes:
        graph = synthetic(copies)
        ours, report = median_seconds(lambda g=graph: validate(g, shapes=shapes), args.runs)
        baseline_text = "-"
        ratio_text = "-"
        if copies <= args.baseline_max:
            runs = 1 if copies > 1 else args.runs
            base, outcome = median_seconds(
                lambda g=graph: pyshacl.validate(
                    g, shacl_graph=shapes, inference="none", allow_warnings=True, allow_infos=True
                ),
                runs,
            )
            reference = set(report_results(outcome[1], graph))
            assert reference == set(report.results), "the baseline and ours disagree"
            baseline_text = f"{base:.2f}"
            ratio_text = f"{base / ours:.1f}x"
        print(
            f"{copies:>6} {len(graph):>8} {ours:>8.2f} {baseline_text:>18} {ratio_text:>9} "
            f"{len(report.results):>8}",
            flush=True,
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())

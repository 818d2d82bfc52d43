"""How SHACL validation time grows with data size, ours against pySHACL run as a user would call it.

    python bench/validation.py [--sizes 1 10 100] [--baseline-max 10] [--runs 3]

Data: the article's graphs, copied N times with every entity IRI renamed per copy, except the places, which
the copies share as reports of other operations in the same countries would (the ontology once).
Ours: ``libertera_kg.validate``, which hands pySHACL a graph that parses each SPARQL text once and plans its
joins from the bound ``$this``.
Baseline ("pySHACL default"): ``pyshacl.validate`` on a plain rdflib graph with the same shapes and options,
which re-parses every SPARQL constraint for every focus node. Both produce the same results; the script
checks that before it prints. Figures are medians of ``--runs`` runs, in seconds.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections import Counter

import pyshacl
from rdflib import Graph, URIRef

from libertera_kg import load, validate
from libertera_kg.validate import shapes_graph

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


def median_seconds(action: object, runs: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(runs):
        start = time.perf_counter()
        result = action()  # type: ignore[operator]
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


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
            sh_result = URIRef("http://www.w3.org/ns/shacl#result")
            base_results = len(list(outcome[1].objects(None, sh_result)))  # type: ignore[index]
            assert base_results == len(report.results), "the baseline and ours disagree"  # type: ignore[attr-defined]
            baseline_text = f"{base:.2f}"
            ratio_text = f"{base / ours:.1f}x"
        print(
            f"{copies:>6} {len(graph):>8} {ours:>8.2f} {baseline_text:>18} {ratio_text:>9} "
            f"{len(report.results):>8}",  # type: ignore[union-attr]
            flush=True,
        )
    return 0


def where_time_goes(copies: int = 1) -> None:
    """Validation time per node shape (ours, with prepared queries) at one size, largest first."""
    from libertera_kg.validate import _PreparedQueryGraph

    graph = _PreparedQueryGraph()
    for triple in synthetic(copies):
        graph.add(triple)
    shapes = shapes_graph()
    sh_node = URIRef("http://www.w3.org/ns/shacl#NodeShape")
    rdf_type = URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
    timing: Counter[str] = Counter()
    for shape in shapes.subjects(rdf_type, sh_node):
        if not isinstance(shape, URIRef):
            continue
        start = time.perf_counter()
        pyshacl.validate(graph, shacl_graph=shapes, inference="none", use_shapes=[shape], inplace=True)
        timing[str(shape).rsplit("#", 1)[-1]] = round(time.perf_counter() - start, 2)
    total = sum(timing.values())
    print(f"{len(graph)} triples, {total:.2f} s over {len(timing)} node shapes; the largest:")
    for name, seconds in timing.most_common(8):
        print(f"  {seconds:>6.2f} s  {100 * seconds / total:>4.0f}%  {name}")


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--where":
        where_time_goes(int(sys.argv[2]) if len(sys.argv) > 2 else 1)
        sys.exit(0)
    sys.exit(main())

"""The ``entities`` view against rdflib's own converter to networkx, at growing data sizes.

    python bench/views.py [--sizes 1 10 100] [--runs 3] [--rdflib-max 10]

Data: the synthetic copies of ``validation.py``. Baseline ("rdflib converter"):
``rdflib.extras.external_graph_libs.rdflib_to_networkx_multidigraph`` on the same triples in an rdflib
graph, which makes every triple an edge and every literal a node. Ours: ``libertera_kg.views.view``,
which runs the view's SPARQL on the rdflib store and, separately, on pyoxigraph. Times are medians in
seconds, including the SPARQL; graph sizes are nodes and edges.
"""

from __future__ import annotations

import argparse
import sys

import pyoxigraph as ox
from harness import median_seconds
from rdflib import Dataset, URIRef
from rdflib.extras.external_graph_libs import rdflib_to_networkx_multidigraph
from validation import synthetic

from libertera_kg.oxigraph import OxigraphStore
from libertera_kg.stores import MemoryStore
from libertera_kg.views import view


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1, 10, 100])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument(
        "--rdflib-max", type=int, default=10, help="largest size to run our view on the (slow) rdflib store"
    )
    args = parser.parse_args(argv)
    print(
        f"{'copies':>6} {'triples':>8} | {'rdflib converter s':>18} {'nodes':>7} {'edges':>7} | "
        f"{'ours rdflib s':>13} {'ours oxigraph s':>15} {'nodes':>7} {'edges':>7} | "
        f"{'speed-up rdflib':>15} {'speed-up oxigraph':>17}"
    )
    for copies in args.sizes:
        graph = synthetic(copies)
        dataset = Dataset()
        named = dataset.graph(URIRef("https://w3id.org/libertera/graph/bench"))
        for triple in graph:
            named.add(triple)
        oxigraph = ox.Store()
        oxigraph.bulk_load(graph.serialize(format="nt").encode("utf-8"), format=ox.RdfFormat.N_TRIPLES)
        base, converted = median_seconds(lambda g=graph: rdflib_to_networkx_multidigraph(g), args.runs)
        on_rdflib = float("nan")
        if copies <= args.rdflib_max:
            on_rdflib, _ = median_seconds(lambda d=dataset: view("entities", MemoryStore(d)), args.runs)
        on_oxigraph, ours = median_seconds(lambda s=oxigraph: view("entities", OxigraphStore(s)), args.runs)
        print(
            f"{copies:>6} {len(graph):>8} | {base:>18.2f} {converted.number_of_nodes():>7} "  # type: ignore[attr-defined]
            f"{converted.number_of_edges():>7} | {on_rdflib:>13.2f} {on_oxigraph:>15.2f} "  # type: ignore[attr-defined]
            f"{ours.number_of_nodes():>7} {ours.number_of_edges():>7} | "  # type: ignore[attr-defined]
            f"{base / on_rdflib:>14.2f}x {base / on_oxigraph:>16.1f}x",
            flush=True,
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())

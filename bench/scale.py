"""Loading, the query catalogue, the entities view and validation at scale, ours against the tools a user
would otherwise pick.

    python bench/scale.py [--operations 1200] [--runs 3] [--rdflib-runs 1] [--only loading catalogue ...]

Data: ``libertera-kg synth --operations N`` (1,200 operations: about a million quads) beside the shipped
graph. Each figure is measured in a fresh process (so peak memory is its own), the median of ``--runs``:

- **loading**: ``libertera_kg.disk_store.load_into_store`` into a new on-disk store (which checks the file
  first and adds our graph) against raw ``pyoxigraph.Store.bulk_load`` of the same file;
- **catalogue**: every canned query with its defaults through our oxigraph store, against the same texts
  run directly on pyoxigraph (results listed, union default graph), and against our rdflib store;
- **entities**: the ``entities`` view on our oxigraph store against rdflib's own
  ``rdflib_to_networkx_multidigraph`` on an rdflib graph of the same triples;
- **validation**: ``libertera_kg.validate`` on the rdflib graph. No baseline at this size: pySHACL alone
  runs each SPARQL constraint once per focus node and grows with the square of the data (see
  ``validation.py`` for the sizes it can reach).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

import pyoxigraph as ox
from harness import (
    count_lines,
    in_fresh_processes,
    peak_memory_mb,
    print_header,
    print_row,
    synthetic_with_shipped,
)


def measure(name: str, data: Path, folder: Path) -> dict[str, float]:
    """Run one measurement in this process and return its seconds and peak memory (MB). The baselines
    import only what they use, so their memory is theirs alone."""
    texts = json.loads((data.parent / "queries.json").read_text(encoding="utf-8"))
    if name == "load-ours":
        from libertera_kg.disk_store import load_into_store

        start = time.perf_counter()
        load_into_store(folder / "ours", [data], progress=False)
    elif name == "load-pyoxigraph":
        start = time.perf_counter()
        store = ox.Store(str(folder / "raw"))
        store.bulk_load(path=str(data), format=ox.RdfFormat.N_QUADS)
        store.flush()
    elif name == "catalogue-pyoxigraph":
        store = ox.Store()
        store.bulk_load(path=str(data), format=ox.RdfFormat.N_QUADS)
        start = time.perf_counter()
        for text in texts:
            list(store.query(text, use_default_graph_as_union=True))
    elif name == "catalogue-ours":
        from libertera_kg.oxigraph import OxigraphStore

        store = ox.Store()
        store.bulk_load(path=str(data), format=ox.RdfFormat.N_QUADS)
        ours = OxigraphStore(store)
        start = time.perf_counter()
        for text in texts:
            ours.sparql(text)
    elif name == "catalogue-rdflib":
        from rdflib import Dataset

        from libertera_kg.stores import MemoryStore

        dataset = Dataset()
        dataset.parse(str(data), format="nquads")
        rdflib_store = MemoryStore(dataset)
        start = time.perf_counter()
        for text in texts:
            rdflib_store.sparql(text)
    elif name == "view-converter":
        from rdflib import Graph
        from rdflib.extras.external_graph_libs import rdflib_to_networkx_multidigraph

        graph = Graph()
        graph.parse(str(data.with_suffix(".nt")), format="nt")
        start = time.perf_counter()
        rdflib_to_networkx_multidigraph(graph)
    elif name == "view-ours":
        from libertera_kg.oxigraph import OxigraphStore
        from libertera_kg.views import entities

        store = ox.Store()
        store.bulk_load(path=str(data), format=ox.RdfFormat.N_QUADS)
        ours = OxigraphStore(store)
        start = time.perf_counter()
        entities(ours)
    elif name == "validate-ours":
        from rdflib import Dataset

        from libertera_kg import KnowledgeGraph, validate

        dataset = Dataset()
        dataset.parse(str(data), format="nquads")
        start = time.perf_counter()
        report = validate(KnowledgeGraph(dataset))
        print(f"{len(report.results)} results, conforms: {report.conforms}", file=sys.stderr)
    else:
        raise SystemExit(f"unknown measurement {name}")
    seconds = time.perf_counter() - start
    return {"seconds": seconds, "rss_mb": peak_memory_mb()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--operations", type=int, default=1200)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument(
        "--rdflib-runs", type=int, default=1, help="runs of the (slow) rdflib catalogue; 0 leaves it out"
    )
    parser.add_argument(
        "--only", nargs="+", choices=("loading", "catalogue", "entities", "validation"), help="measure these"
    )
    parser.add_argument("--measure", help=argparse.SUPPRESS)
    parser.add_argument("--data", help=argparse.SUPPRESS)
    parser.add_argument("--folder", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.measure:
        print(json.dumps(measure(args.measure, Path(args.data), Path(args.folder))))
        return 0

    from libertera_kg import list_queries
    from libertera_kg.stores import with_values

    with tempfile.TemporaryDirectory() as folder:
        data = synthetic_with_shipped(args.operations, Path(folder))
        triples = data.with_suffix(".nt")  # the same triples without graph names, for the converter
        triples.write_bytes(
            ox.serialize(
                (q.triple for q in ox.parse(path=str(data), format=ox.RdfFormat.N_QUADS)),
                format=ox.RdfFormat.N_TRIPLES,
            )
            or b""
        )
        texts = [with_values(canned.text, canned.bind({})) for canned in list_queries()]
        (Path(folder) / "queries.json").write_text(json.dumps(texts), encoding="utf-8")
        print(f"{args.operations} synthetic operations plus the shipped graph: {count_lines(data):,} quads")
        print(f"medians of {args.runs} runs (rdflib: {args.rdflib_runs}), each in a fresh process")
        print_header()
        rows = [
            ("loading", "pyoxigraph bulk_load", "load-pyoxigraph", "load-ours", args.runs),
            ("catalogue", "pyoxigraph direct", "catalogue-pyoxigraph", "catalogue-ours", args.runs),
            ("catalogue", "our rdflib store", "catalogue-rdflib", "catalogue-ours", args.rdflib_runs),
            ("entities", "rdflib converter", "view-converter", "view-ours", args.runs),
            ("validation", "(none at this size)", None, "validate-ours", args.rdflib_runs),
        ]
        measured: dict[str, tuple[float, float]] = {}

        def figure(name: str, runs: int) -> tuple[float, float]:
            if name not in measured:
                command = [sys.executable, __file__, "--measure", name, "--data", str(data)]
                measured[name] = in_fresh_processes([*command, "--folder", folder], runs)
            return measured[name]

        for label, baseline, theirs, ours, runs in rows:
            if runs == 0 or (args.only and label not in args.only):
                continue
            our_figure = figure(ours, min(runs, args.runs) if theirs else runs)
            if theirs is None:
                seconds, megabytes = our_figure
                print(f"{label:<10} | {baseline:<24} {'-':>8} {'-':>6} | {seconds:>8.2f} {megabytes:>6.0f} |")
                continue
            print_row(label, baseline, figure(theirs, runs), our_figure)
    return 0


if __name__ == "__main__":
    sys.exit(main())

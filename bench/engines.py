"""The query catalogue at a million quads on OpenLink Virtuoso, against our Oxigraph store on disk.

    python bench/engines.py [--operations 1200] [--runs 3] [--buffers 340000]

Data: ``libertera-kg synth --operations N`` beside the shipped graph (1,200 operations: about a million
quads), and its merged triples (each once). Virtuoso: a private server (``tests/engines/other_engines.py``,
``--buffers`` pages of 8 kB: 340,000 is Virtuoso's advice for 4 GB), filled by its bulk loader (the
N-Quads, and the merged triples into one graph) and queried as the README says: the merged graph as the
default graph (``connect(endpoint=..., default_graphs=[...])``), and our named graphs too for
``graph-statistics``, which counts them.
Ours: ``load_into_store`` and ``connect("oxigraph", path=...)``, the baseline of the ratio. Both answer
every canned query once before the measure (pages read from disk, Virtuoso's plans compiled); then the
catalogue runs ``--runs`` times, and the median is given, with each query's own median.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

import pyoxigraph as ox
from harness import count_lines, synthetic_with_shipped, tree_peak_memory_mb

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests" / "engines"))
from other_engines import Virtuoso

from libertera_kg import Store, connect, list_queries, load_into_store
from libertera_kg.catalogue import with_values
from libertera_kg.endpoint_store import EndpointStore

MERGED = "https://w3id.org/libertera/graph/merged"


def merged_triples(data: Path, target: Path) -> list[str]:
    """Write every triple of the N-Quads file ``data`` once to ``target`` (N-Triples); its named graphs."""
    store = ox.Store()
    store.bulk_load(path=str(data), format=ox.RdfFormat.N_QUADS)
    triples = {ox.Triple(q.subject, q.predicate, q.object) for q in store}
    ox.serialize(sorted(triples, key=str), output=str(target), format=ox.RdfFormat.N_TRIPLES)
    return sorted(str(graph.value) for graph in store.named_graphs())


def catalogue_seconds(stores: dict[str, Store], runs: int) -> tuple[float, dict[str, float]]:
    """Every canned query once to warm up, then the catalogue ``runs`` times, each query on
    ``stores[name]`` (else ``stores["*"]``): the median total, and each query's median."""
    texts = {q.name: with_values(q.text, q.bind({})) for q in list_queries()}
    for name, text in texts.items():
        stores.get(name, stores["*"]).sparql(text)
    each: dict[str, list[float]] = {name: [] for name in texts}
    for _ in range(runs):
        for name, text in texts.items():
            start = time.perf_counter()
            stores.get(name, stores["*"]).sparql(text)
            each[name].append(time.perf_counter() - start)
    totals = [sum(times[i] for times in each.values()) for i in range(runs)]
    return statistics.median(totals), {name: statistics.median(times) for name, times in each.items()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--operations", type=int, default=1200)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--buffers", type=int, default=340_000)
    args = parser.parse_args(argv)
    if shutil.which("virtuoso-t") is None or shutil.which("isql-vt") is None:
        print("skipped: Virtuoso is not installed (Debian: apt-get install virtuoso-opensource)")
        return 0
    with tempfile.TemporaryDirectory(prefix="bench-engines-") as scratch:
        folder = Path(scratch)
        server_folder = folder / "virtuoso"
        server_folder.mkdir()
        data = synthetic_with_shipped(args.operations, server_folder)
        graphs = merged_triples(data, server_folder / "merged.nt")
        print(f"data: {count_lines(data):,} quads in {len(graphs)} named graphs", flush=True)

        start = time.perf_counter()
        load_into_store(folder / "ours", [data], progress=False)
        print(f"loaded ours in {time.perf_counter() - start:.1f} s", flush=True)
        ours = connect("oxigraph", path=folder / "ours")
        ours_total, ours_each = catalogue_seconds({"*": ours}, args.runs)

        server = Virtuoso(server_folder, buffers=args.buffers, max_seconds=3600)
        try:
            start = time.perf_counter()
            server.bulk_load({data: MERGED, server_folder / "merged.nt": MERGED})
            print(f"loaded Virtuoso in {time.perf_counter() - start:.1f} s (bulk loader)", flush=True)
            url = server.url + "sparql"
            theirs = {
                "*": EndpointStore(url, timeout=3600, default_graphs=[MERGED]),
                "graph-statistics": EndpointStore(
                    url, timeout=3600, default_graphs=[MERGED], named_graphs=graphs
                ),
            }
            theirs_total, theirs_each = catalogue_seconds(theirs, args.runs)
            memory = tree_peak_memory_mb(server.process.pid)
        finally:
            server.stop()

    print(f"\ncatalogue of {len(ours_each)} queries, median of {args.runs} runs, warm")
    print(f"{'query':<30} {'Virtuoso s':>11} {'ours s':>9} {'ratio':>7}")
    for name in sorted(ours_each, key=lambda n: -theirs_each[n]):
        ratio = theirs_each[name] / ours_each[name]
        print(f"{name:<30} {theirs_each[name]:>11.3f} {ours_each[name]:>9.3f} {ratio:>6.2f}x")
    print(f"{'all':<30} {theirs_total:>11.2f} {ours_total:>9.2f} {theirs_total / ours_total:>6.2f}x")
    print(f"Virtuoso's peak memory: {memory:,.0f} MB (ratio above 1: ours is faster)")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Loading and the query catalogue at scale, ours against the tools a user would otherwise pick.

    python bench/scale.py [--operations 1200] [--runs 3]

Data: ``libertera-kg synth --operations N`` (1,200 operations: about a million quads) beside the shipped
graph. Each figure is measured in a fresh process (so peak memory is its own), the median of ``--runs``:

- **loading**: ``libertera_kg.loading.load_files`` into a new on-disk store (which checks the file first and
  adds our graph) against raw ``pyoxigraph.Store.bulk_load`` of the same file;
- **catalogue**: every canned query with its defaults through our oxigraph store, against the same texts
  run directly on pyoxigraph (results listed, union default graph), and against our rdflib store.
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def measure(name: str, data: Path, folder: Path) -> dict[str, float]:
    """Run one measurement in this process and return its seconds and peak memory (MB). The baselines
    import only what they use, so their memory is theirs alone."""
    import pyoxigraph as ox

    texts = json.loads((data.parent / "queries.json").read_text(encoding="utf-8"))
    if name == "load-ours":
        from libertera_kg.loading import load_files

        start = time.perf_counter()
        load_files(folder / "ours", [data], progress=False)
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
        from libertera_kg.stores import OxigraphStore

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
    else:
        raise SystemExit(f"unknown measurement {name}")
    seconds = time.perf_counter() - start
    return {"seconds": seconds, "rss_mb": peak_memory_mb()}


def peak_memory_mb() -> float:
    """This process's peak resident memory (Linux VmHWM, which starts afresh at exec, unlike ru_maxrss)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run(name: str, data: Path, runs: int) -> tuple[float, float]:
    """Median seconds and peak memory of ``runs`` fresh processes measuring ``name``."""
    figures = []
    for _ in range(runs):
        with tempfile.TemporaryDirectory() as folder:
            output = subprocess.run(
                [sys.executable, __file__, "--measure", name, "--data", str(data), "--folder", folder],
                check=True,
                capture_output=True,
                text=True,
            ).stdout
        figures.append(json.loads(output.strip().splitlines()[-1]))
    return statistics.median(f["seconds"] for f in figures), max(f["rss_mb"] for f in figures)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--operations", type=int, default=1200)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument(
        "--rdflib-runs", type=int, default=1, help="runs of the (slow) rdflib catalogue; 0 leaves it out"
    )
    parser.add_argument("--measure", help=argparse.SUPPRESS)
    parser.add_argument("--data", help=argparse.SUPPRESS)
    parser.add_argument("--folder", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.measure:
        print(json.dumps(measure(args.measure, Path(args.data), Path(args.folder))))
        return 0

    from libertera_kg import list_queries, load
    from libertera_kg.stores import with_values
    from libertera_kg.synth import write_synthetic

    with tempfile.TemporaryDirectory() as folder:
        data = Path(folder) / "everything.nq"
        synthetic = Path(folder) / "synthetic.nq"
        write_synthetic(args.operations, 2025, synthetic)
        shipped = load().dataset.serialize(format="nquads", encoding="utf-8")
        data.write_bytes(shipped + synthetic.read_bytes())
        texts = [with_values(canned.text, canned.bind({})) for canned in list_queries()]
        (Path(folder) / "queries.json").write_text(json.dumps(texts), encoding="utf-8")
        quads = sum(1 for _ in data.open("rb"))
        print(f"{args.operations} synthetic operations plus the shipped graph: {quads:,} quads")
        print(f"{'measure':<10} | {'baseline':<22} {'s':>7} {'MB':>6} | {'ours s':>7} {'MB':>6} | ratio")
        rows = [
            ("loading", "pyoxigraph bulk_load", "load-pyoxigraph", "load-ours", args.runs),
            ("catalogue", "pyoxigraph direct", "catalogue-pyoxigraph", "catalogue-ours", args.runs),
            ("catalogue", "our rdflib store", "catalogue-rdflib", "catalogue-ours", args.rdflib_runs),
        ]
        for label, baseline, theirs, ours, runs in rows:
            if runs == 0:
                continue
            base_s, base_mb = run(theirs, data, runs)
            our_s, our_mb = run(ours, data, args.runs)
            print(
                f"{label:<10} | {baseline:<22} {base_s:>7.2f} {base_mb:>6.0f} | "
                f"{our_s:>7.2f} {our_mb:>6.0f} | {base_s / our_s:.2f}x",
                flush=True,
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())

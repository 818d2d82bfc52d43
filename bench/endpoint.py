"""Endpoint throughput under a real load generator: our server against Oxigraph's, on the same data.

    python bench/endpoint.py [--operations 0] [--duration 10] [--connections 8] [--workers 2]

Both servers run on 127.0.0.1 over the same store on disk, loaded once by ``libertera-kg load`` from the
shipped graph and ``--operations`` synthetic ones (its default graph holds the merge of the named graphs,
which the queries read): ours is ``libertera-kg serve --store oxigraph --store-path --timeout 300``, once with
its answer cache (the default 64 MB) and once without (``--cache-mb 0``); the baseline is
``oxigraph serve-read-only --location`` on the same folder. ``wrk`` (a load generator written in C; Debian's
``wrk`` package) sends POST requests of ``application/sparql-query`` over ``--connections`` connections for
``--duration`` seconds, each mix in turn on each server:

- **catalogue**: the catalogue queries (26) with their defaults, in turn;
- **small**: one small SELECT (the operations and their labels).

Printed per server and mix: requests per second, p50 and p99 latency, and peak memory (VmHWM of the
server and its worker processes added up). Before each measure every server gets each query of the mix
once, so that each starts in its steady state. Every answer must be 2xx, within wrk's time limit of
300 s: the script stops otherwise.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from harness import count_lines, synthetic_with_shipped, tree_peak_memory_mb

from libertera_kg import list_queries
from libertera_kg.stores import with_values

SMALL = (
    "PREFIX lt: <https://w3id.org/libertera/ontology#> "
    "PREFIX skos: <http://www.w3.org/2004/02/skos/core#> "
    "SELECT ?operation ?label WHERE { ?operation a lt:Operation ; skos:prefLabel ?label } ORDER BY ?operation"
)

#: wrk's Lua script: each request takes the next query of the mix.
LUA = """
queries = {%s}
counter = 0
request = function()
  counter = counter + 1
  local body = queries[(counter %% #queries) + 1]
  return wrk.format("POST", "%s", {["Content-Type"] = "application/sparql-query",
                                  ["Accept"] = "application/sparql-results+json"}, body)
end
"""


def wait_for(url: str, timeout: float = 600) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url + "?query=ASK%7B%7D", timeout=2):
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"{url} did not answer within {timeout} s")


def free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def warm_up(url: str, queries: list[str]) -> None:
    """Send each query of the mix once, as wrk will: every server starts the measure in its steady state
    (ours with the mix's answers kept, any server with its store's pages read from disk)."""
    for text in queries:
        request = urllib.request.Request(
            url,
            data=text.encode("utf-8"),
            headers={"Content-Type": "application/sparql-query", "Accept": "application/sparql-results+json"},
        )
        with urllib.request.urlopen(request, timeout=600) as answer:
            answer.read()


def run_wrk(url: str, path: str, queries: list[str], folder: Path, connections: int, duration: int) -> dict:
    """wrk's requests per second and p50/p99 latency (ms) for the mix ``queries`` sent to ``url``."""
    script = folder / "mix.lua"
    bodies = ", ".join(f"[==[{text}]==]" for text in queries)
    script.write_text(LUA % (bodies, path), encoding="utf-8")
    threads = min(2, connections)
    command = [
        "wrk",
        f"-t{threads}",
        f"-c{connections}",
        f"-d{duration}s",
        "--latency",
        "-s",
        str(script),
        url,
    ]
    output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    if "Non-2xx" in output:
        raise SystemExit(f"{url} answered errors under load:\n{output}")

    def latency(percent: str) -> float:
        found = re.search(rf"^\s+{percent}%\s+([\d.]+)(us|ms|s)\s*$", output, re.MULTILINE)
        assert found, output
        scale = {"us": 0.001, "ms": 1.0, "s": 1000.0}[found.group(2)]
        return float(found.group(1)) * scale

    rate = re.search(r"Requests/sec:\s+([\d.]+)", output)
    assert rate, output
    return {"rps": float(rate.group(1)), "p50": latency("50"), "p99": latency("99")}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--operations", type=int, default=0, help="synthetic operations (1,200: 1M quads)")
    parser.add_argument("--duration", type=int, default=10, help="seconds of load per server and mix")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2, help="our server's query worker processes")
    args = parser.parse_args(argv)
    if shutil.which("wrk") is None:
        print("skipped: wrk is not installed (Debian: apt-get install wrk)")
        return 0
    bin_folder = Path(sys.executable).parent
    mixes = {
        "catalogue": [with_values(canned.text, canned.bind({})) for canned in list_queries()],
        "small": [SMALL],
    }
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        data = synthetic_with_shipped(args.operations, root)
        quads = count_lines(data)
        store = root / "store"
        load = [str(bin_folder / "libertera-kg"), "load", str(data), "--store-path", str(store)]
        subprocess.run(load, check=True, capture_output=True)
        ours = [str(bin_folder / "libertera-kg"), "serve", "--store", "oxigraph", "--store-path", str(store)]
        # wrk's time limit, not the default 30 s: at a million quads two catalogue queries take longer on
        # Oxigraph itself (graph-statistics 37 s), and Oxigraph's server has no limit.
        ours += ["--workers", str(args.workers), "--timeout", "300"]
        servers = {
            "oxigraph serve-read-only": (
                [str(bin_folder / "oxigraph"), "serve-read-only", "--location", str(store), "--bind"],
                "/query",
            ),
            "libertera-kg serve": ([*ours, "--port"], "/sparql"),
            "libertera-kg serve --cache-mb 0": ([*ours, "--cache-mb", "0", "--port"], "/sparql"),
        }
        print(
            f"{quads:,} quads; wrk, {args.connections} connections, {args.duration} s per server and mix; "
            f"ours with {args.workers} query workers"
        )
        print(
            f"{'server':<32} | {'mix':<9} | {'requests/s':>10} | {'p50 ms':>7} | {'p99 ms':>8} | "
            f"{'peak MB':>7}   ratio"
        )
        baseline: dict[str, float] = {}
        for name, (command, path) in servers.items():
            port = free_port()
            address = f"127.0.0.1:{port}" if "oxigraph" in name else str(port)
            process = subprocess.Popen(
                [*command, address], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
            )
            url = f"http://127.0.0.1:{port}"
            try:
                wait_for(url + path)
                for mix, queries in mixes.items():
                    warm_up(url + path, queries)
                    figures = run_wrk(url, path, queries, root, args.connections, args.duration)
                    baseline.setdefault(mix, figures["rps"])
                    ratio = figures["rps"] / baseline[mix]
                    print(
                        f"{name:<32} | {mix:<9} | {figures['rps']:>10,.1f} | {figures['p50']:>7.2f} | "
                        f"{figures['p99']:>8.2f} | {tree_peak_memory_mb(process.pid):>7,.0f}   {ratio:.2f}x",
                        flush=True,
                    )
            finally:
                process.terminate()
                process.wait(timeout=30)
    return 0


if __name__ == "__main__":
    sys.exit(main())

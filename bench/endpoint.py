"""Endpoint throughput: our server against Oxigraph's own server, on the same data and queries.

    python bench/endpoint.py [--operations 0] [--clients 8] [--rounds 3] [--duration 10] [--workers 2]

Both servers run on 127.0.0.1 over the same store on disk, loaded once by ``libertera-kg load`` from the
shipped graph and ``--operations`` synthetic ones (its default graph holds the merge of the named graphs,
which the queries read): ours is ``libertera-kg serve --store oxigraph --store-path``, the baseline
``oxigraph serve-read-only --location`` on the same folder. Both get the query catalogue's default
queries as SPARQL over the protocol, so the figure measures the servers, not the data's layout
(Oxigraph's ``--union-default-graph`` over the named graphs alone is much slower at scale: see
``scale.py``). Concurrent clients send the queries in turn for a fixed time; the figure is answered
queries per second, the median of the rounds, with every answer checked for status 200.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import httpx
from harness import count_lines, synthetic_with_shipped, tree_peak_memory_mb

from libertera_kg import list_queries
from libertera_kg.stores import with_values


def wait_for(url: str, timeout: float = 120) -> None:
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


def throughput(url: str, queries: list[str], clients: int, duration: float) -> float:
    """Answered queries per second with ``clients`` concurrent clients for ``duration`` seconds."""
    stop_at = time.monotonic() + duration

    def client(offset: int) -> int:
        done = 0
        with httpx.Client(timeout=600) as http:
            while time.monotonic() < stop_at:
                query = queries[(offset + done) % len(queries)]
                answer = http.post(
                    url,
                    content=query.encode("utf-8"),
                    headers={
                        "Content-Type": "application/sparql-query",
                        "Accept": "application/sparql-results+json",
                    },
                )
                if answer.status_code != 200:
                    raise SystemExit(f"{url} answered {answer.status_code}: {answer.text[:300]}")
                done += 1
        return done

    started = time.monotonic()
    with concurrent.futures.ThreadPoolExecutor(max_workers=clients) as pool:
        total = sum(pool.map(client, range(clients)))
    return total / (time.monotonic() - started)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--operations",
        type=int,
        default=0,
        help="synthetic operations beside the shipped graph (1,200: 1M quads)",
    )
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--duration", type=float, default=10.0, help="seconds per round")
    parser.add_argument("--workers", type=int, default=2, help="our server's query worker processes")
    args = parser.parse_args(argv)
    bin_folder = Path(sys.executable).parent
    queries = [with_values(canned.text, canned.bind({})) for canned in list_queries()]
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        data = synthetic_with_shipped(args.operations, root)
        quads = count_lines(data)
        subprocess.run(
            [str(bin_folder / "libertera-kg"), "load", str(data), "--store-path", str(root / "ours")],
            check=True,
            capture_output=True,
        )
        their_port, our_port = free_port(), free_port()
        their_server = [str(bin_folder / "oxigraph"), "serve-read-only", "--location", str(root / "ours")]
        their_server += ["--bind", f"127.0.0.1:{their_port}"]
        our_server = [str(bin_folder / "libertera-kg"), "serve", "--store", "oxigraph"]
        our_server += [
            "--store-path",
            str(root / "ours"),
            "--port",
            str(our_port),
            "--workers",
            str(args.workers),
        ]
        servers = [
            subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            for command in (their_server, our_server)
        ]
        theirs, ours = f"http://127.0.0.1:{their_port}/query", f"http://127.0.0.1:{our_port}/sparql"
        try:
            wait_for(theirs)
            wait_for(ours, timeout=600)
            print(
                f"{quads:,} quads; {len(queries)} catalogue queries, {args.clients} clients, "
                f"{args.duration:g} s rounds"
            )
            print(f"{'round':>5} | {'oxigraph serve q/s':>18} | {'ours q/s':>9} | {'ratio':>6}")
            figures = []
            for number in range(1, args.rounds + 1):
                base = throughput(theirs, queries, args.clients, args.duration)
                mine = throughput(ours, queries, args.clients, args.duration)
                figures.append((base, mine))
                print(f"{number:>5} | {base:>18.1f} | {mine:>9.1f} | {mine / base:>5.2f}x", flush=True)
            base = statistics.median(f[0] for f in figures)
            mine = statistics.median(f[1] for f in figures)
            print(f"{'median':>5} | {base:>18.1f} | {mine:>9.1f} | {mine / base:>5.2f}x")
            their_mb, our_mb = (tree_peak_memory_mb(server.pid) for server in servers)
            print(f"{'MB':>5} | {their_mb:>18.0f} | {our_mb:>9.0f} |  (peak, server and its workers)")
        finally:
            for server in servers:
                server.terminate()
                server.wait(timeout=30)
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Server start-up: from starting the process to its first answer, ours against ``oxigraph serve``.

    python bench/server_startup.py [--runs 5]

Each server is started as a user starts it, on a free loopback port, and polled every 10 ms: the figures are
the time until the port first accepts a connection and until ``ASK {}`` is first answered with 200, the
medians of ``--runs``. Ours: ``libertera-kg serve`` on each store (its workers load the graph before the
port opens); the baseline: ``oxigraph serve-read-only`` on a store loaded beforehand with the published
N-Quads (its loading is not counted). A port that accepts connections before the server can answer shows
as a gap between the two columns.
"""

from __future__ import annotations

import argparse
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Sequence
from pathlib import Path

from libertera_kg import load
from libertera_kg.publish import publish


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def time_to_answer(command: Sequence[str], port: int, path: str) -> tuple[float, float]:
    """Seconds until the port accepts a connection, and until ``ASK {}`` gets 200 on ``path``."""
    started = time.monotonic()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    accepted = None
    url = f"http://127.0.0.1:{port}/{path}?query=ASK%20%7B%7D"
    try:
        while time.monotonic() - started < 300:
            if process.poll() is not None:
                raise RuntimeError(f"{command[0]} ended before answering")
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    accepted = accepted or time.monotonic() - started
                with urllib.request.urlopen(url, timeout=5) as answer:
                    if answer.status == 200:
                        return accepted or 0.0, time.monotonic() - started
            except OSError:
                pass
            time.sleep(0.01)
        raise RuntimeError(f"{command[0]} did not answer within 300 s")
    finally:
        process.terminate()
        process.wait(timeout=30)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args(argv)
    ours = str(Path(sys.executable).parent / "libertera-kg")
    oxigraph = shutil.which("oxigraph", path=str(Path(sys.executable).parent)) or shutil.which("oxigraph")
    with tempfile.TemporaryDirectory() as folder:
        publish(load().dataset, Path(folder) / "dist")
        store = Path(folder) / "store"
        if oxigraph:
            dump = str(Path(folder) / "dist" / "libertera.nq")
            subprocess.run([oxigraph, "load", "--location", str(store), "--file", dump], check=True)
        servers: list[tuple[str, list[str], str]] = [
            ("libertera-kg serve (memory)", [ours, "serve", "--port", "{port}"], "sparql"),
            (
                "libertera-kg serve (oxigraph)",
                [ours, "serve", "--store", "oxigraph", "--port", "{port}"],
                "sparql",
            ),
        ]
        if oxigraph:
            servers.append(
                (
                    "oxigraph serve-read-only",
                    [oxigraph, "serve-read-only", "--location", str(store), "--bind", "127.0.0.1:{port}"],
                    "query",
                )
            )
        print(f"medians of {args.runs} starts; seconds from starting the process")
        print(f"{'server':<32} {'port open':>10} {'first answer':>13}")
        for name, template, path in servers:
            figures = []
            for _ in range(args.runs):
                port = free_port()
                command = [part.replace("{port}", str(port)) for part in template]
                figures.append(time_to_answer(command, port, path))
            accepted = statistics.median(f[0] for f in figures)
            answered = statistics.median(f[1] for f in figures)
            print(f"{name:<32} {accepted:>10.2f} {answered:>13.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

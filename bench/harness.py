"""What every benchmark shares: medians of repeated runs, and peak memory of a process of its own."""

from __future__ import annotations

import json
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TypeVar

Result = TypeVar("Result")


def median_seconds(action: Callable[[], Result], runs: int) -> tuple[float, Result]:
    """The median wall-clock seconds of ``runs`` calls of ``action``, and what the last call returned."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        result = action()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def peak_memory_mb() -> float:
    """This process's peak resident memory (Linux VmHWM, which starts afresh at exec, unlike ru_maxrss)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def in_fresh_processes(command: Sequence[str], runs: int) -> tuple[float, float]:
    """Median seconds and the highest peak memory (MB) of ``runs`` runs of ``command``, a process that
    prints, as its last line, the JSON ``{"seconds": ..., "rss_mb": ...}`` of what it measured."""
    figures = []
    for _ in range(runs):
        output = subprocess.run(list(command), check=True, capture_output=True, text=True).stdout
        figures.append(json.loads(output.strip().splitlines()[-1]))
    return statistics.median(f["seconds"] for f in figures), max(f["rss_mb"] for f in figures)


def whole_processes(command: Sequence[str], runs: int) -> tuple[float, float, bytes]:
    """Median wall-clock seconds and highest peak memory (MB) of ``runs`` runs of ``command`` timed from
    outside, start-up included, with the standard output of the last run."""
    import os
    import tempfile

    times, peaks, output = [], [], b""
    for _ in range(runs):
        with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
            start = time.perf_counter()
            process = subprocess.Popen(list(command), stdout=out, stderr=err)
            _, status, usage = os.wait4(process.pid, 0)
            times.append(time.perf_counter() - start)
            process.returncode = os.waitstatus_to_exitcode(status)
            out.seek(0)
            err.seek(0)
            output = out.read()
            if process.returncode:
                raise SystemExit(f"{' '.join(command)} failed: {err.read().decode(errors='replace')}")
        peaks.append(usage.ru_maxrss / 1024)
    return statistics.median(times), max(peaks), output


def synthetic_with_shipped(operations: int, folder: Path) -> Path:
    """Write ``operations`` synthetic operations (seed 2025) beside the shipped graph as one N-Quads file
    in ``folder`` (1,200 operations: about a million quads); its path."""
    from libertera_kg import load
    from libertera_kg.synth import write_synthetic

    data, synthetic = folder / "everything.nq", folder / "synthetic.nq"
    shipped = load().dataset.serialize(format="nquads", encoding="utf-8")
    if operations > 0:
        write_synthetic(operations, 2025, synthetic)
        data.write_bytes(shipped + synthetic.read_bytes())
        synthetic.unlink()
    else:
        data.write_bytes(shipped)
    return data


def count_lines(path: Path) -> int:
    with path.open("rb") as lines:
        return sum(1 for _ in lines)


def tree_peak_memory_mb(pid: int) -> float:
    """The peak resident memory (VmHWM) of process ``pid`` and all its descendants, added up, in MB."""
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    total, pending = 0.0, [pid]
    while pending:
        current = pending.pop()
        pending.extend(children.get(current, []))
        try:
            status = Path(f"/proc/{current}/status").read_text()
        except OSError:
            continue
        for line in status.splitlines():
            if line.startswith("VmHWM:"):
                total += int(line.split()[1]) / 1024
    return total


def print_row(label: str, baseline: str, theirs: tuple[float, float], ours: tuple[float, float]) -> None:
    """One line of a side-by-side table: the baseline's and our seconds and MB, and how many times faster
    we are (above 1: ours is faster)."""
    print(
        f"{label:<10} | {baseline:<24} {theirs[0]:>8.2f} {theirs[1]:>6.0f} | "
        f"{ours[0]:>8.2f} {ours[1]:>6.0f} | {theirs[0] / ours[0]:.2f}x",
        flush=True,
    )


def print_header() -> None:
    print(f"{'measure':<10} | {'baseline':<24} {'s':>8} {'MB':>6} | {'ours s':>8} {'MB':>6} | ratio")


if __name__ == "__main__":
    sys.exit("bench/harness.py is imported by the benchmarks; run one of them instead")

"""Article scale, end to end: ``libertera-kg query NAME`` against a minimal rdflib script.

    python bench/startup.py [--queries timeline countries] [--runs 7]

Both are whole processes timed from outside, interpreter start-up and imports included: ours is the
installed command with the default store; the baseline is the least a user could write, a script that
imports rdflib, parses the same ontology and data files into a ``Dataset`` and prints the same query's
answer as CSV. The figure is the median of ``--runs``, with the highest peak memory. The script checks
that both print the same rows.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from pathlib import Path

from harness import print_header, print_row, whole_processes

from libertera_kg import get_query, resources
from libertera_kg.stores import with_values

MINIMAL_SCRIPT = """\
import sys
from rdflib import Dataset

dataset = Dataset(default_union=True)
for path in sys.argv[2:]:
    dataset.parse(path)
with open(sys.argv[1], encoding="utf-8") as query:
    sys.stdout.write(dataset.query(query.read()).serialize(format="csv").decode("utf-8"))
"""


def rows(csv: bytes) -> list[str]:
    """The answer's lines, header first then sorted, in one line-ending convention."""
    lines = csv.decode("utf-8").replace("\r\n", "\n").strip().split("\n")
    return lines[:1] + sorted(lines[1:])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--queries", nargs="+", default=["timeline", "countries"])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args(argv)
    command = Path(sys.executable).with_name("libertera-kg")
    files = [str(path) for path in (*resources.ontology_files(), *resources.data_files())]
    with tempfile.TemporaryDirectory() as folder:
        script = Path(folder) / "minimal.py"
        script.write_text(MINIMAL_SCRIPT, encoding="utf-8")
        print(f"{len(files)} files of the installed package; medians of {args.runs} runs, whole processes")
        print_header()
        for name in args.queries:
            canned = get_query(name)
            text = Path(folder) / f"{name}.rq"
            text.write_text(with_values(canned.text, canned.bind({})), encoding="utf-8")
            baseline = [sys.executable, str(script), str(text), *files]
            ours_command = [str(command), "query", name, "--format", "csv"]
            # Alternated run by run, so that a busy moment of the machine falls on both alike.
            base_runs, our_runs = [], []
            for _ in range(args.runs):
                base_runs.append(whole_processes(baseline, 1))
                our_runs.append(whole_processes(ours_command, 1))
            base_s, base_mb = statistics.median(r[0] for r in base_runs), max(r[1] for r in base_runs)
            our_s, our_mb = statistics.median(r[0] for r in our_runs), max(r[1] for r in our_runs)
            theirs, ours = base_runs[-1][2], our_runs[-1][2]
            if rows(theirs) != rows(ours):
                print(
                    f"{name}: the answers differ; the figures below compare different work", file=sys.stderr
                )
            print_row(name, "minimal rdflib script", (base_s, base_mb), (our_s, our_mb))
    return 0


if __name__ == "__main__":
    sys.exit(main())

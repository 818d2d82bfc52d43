"""The ``libertera-kg`` command line: parses arguments, calls the library, maps errors to exit codes.

Exit codes: 0 success; 1 a check found problems; 2 bad input or usage (a missing or unparsable file, an
unknown option, a missing optional package); 70 an internal error, which is a bug to report.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import LiberteraError

if TYPE_CHECKING:
    from .checks import Problem
    from .store import KnowledgeGraph

EXIT_OK = 0
EXIT_CHECK_FAILED = 1
EXIT_BAD_INPUT = 2
EXIT_INTERNAL = 70


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("libertera-kg")
    except PackageNotFoundError:
        return "unknown (not installed)"


def _checked_graph(extra_data: Sequence[str]) -> tuple[KnowledgeGraph, list[Problem]]:
    """Load the shipped graph plus ``extra_data`` files, and run the quality checks on it."""
    from . import resources
    from .checks import run_all_checks
    from .store import KnowledgeGraph

    kg = KnowledgeGraph.from_files(
        ontology=resources.ontology_files(),
        data=[*resources.data_files(), *(Path(name) for name in extra_data)],
        texts=resources.source_text_files(),
    )
    queries = [(str(path), path.read_text(encoding="utf-8")) for path in resources.query_files()]
    return kg, run_all_checks(kg, queries)


def _report_problems(problems: Sequence[Problem], consequence: str) -> None:
    print(f"{len(problems)} problem(s) found by the quality checks:", file=sys.stderr)
    for problem in problems:
        print(f"  {problem}", file=sys.stderr)
    print(consequence, file=sys.stderr)


_CHECKS_PASSED = (
    "checks: every term declared, ontology header complete, OWL typing and OWL 2 RL consistency pass"
)


def _build(args: argparse.Namespace) -> int:
    """Load the graph, run the quality checks, write the dumps and print a summary."""
    from .publish import publish

    kg, problems = _checked_graph(())
    if problems:
        _report_problems(problems, "Nothing was published: fix the ontology or data and run the build again.")
        return EXIT_CHECK_FAILED
    print(kg.summary())
    print(_CHECKS_PASSED)
    written = publish(kg.dataset, Path(args.output))
    print(f"wrote {len(written)} dumps to {args.output}/: " + ", ".join(path.name for path in written))
    return EXIT_OK


def _check(args: argparse.Namespace) -> int:
    """Run the quality checks on the shipped graph together with the user's own data files."""
    _, problems = _checked_graph(args.files)
    if problems:
        _report_problems(problems, "Fix the problems above and check again.")
        return EXIT_CHECK_FAILED
    print(_CHECKS_PASSED)
    return EXIT_OK


def _docs(args: argparse.Namespace) -> int:
    """Write the ontology's HTML documentation."""
    from .docs import write_ontology_docs
    from .store import load

    page = write_ontology_docs(load(), Path(args.output))
    print(f"wrote {page}")
    return EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    """The argument parser, with one subcommand per verb of the library."""
    parser = argparse.ArgumentParser(
        prog="libertera-kg",
        description="A knowledge graph of INTERPOL's 2025 operation Liberterra III against human "
        "trafficking.",
        epilog="Exit codes: 0 ok, 1 a check found problems, 2 bad input or usage, 70 internal error.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {_version()}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    build = commands.add_parser(
        "build", help="load the ontology and data, check them, write the dumps and print a summary"
    )
    build.add_argument(
        "-o", "--output", default="dist", metavar="DIR", help="folder for the dumps (default: dist)"
    )
    build.set_defaults(run=_build)

    check = commands.add_parser(
        "check", help="run the ontology quality checks on our graph plus your own RDF files"
    )
    check.add_argument(
        "files", nargs="*", metavar="FILE", help="Turtle, TriG, N-Triples or N-Quads files to add"
    )
    check.set_defaults(run=_check)

    docs = commands.add_parser("docs", help="write HTML documentation of the ontology (needs the docs extra)")
    docs.add_argument("-o", "--output", required=True, metavar="DIR", help="folder to write index.html into")
    docs.set_defaults(run=_docs)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line with ``argv`` (default: ``sys.argv[1:]``) and return the exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        code: int = args.run(args)
    except LiberteraError as exc:
        print(f"libertera-kg: error: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        print("libertera-kg: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # the last line of defence: a bug, reported in one line, never a traceback
        print(
            f"libertera-kg: internal error: {type(exc).__name__}: {exc}. This is a bug; please report it "
            "with the command you ran.",
            file=sys.stderr,
        )
        return EXIT_INTERNAL
    return code


if __name__ == "__main__":
    sys.exit(main())

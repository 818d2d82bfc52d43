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
    from importlib.resources.abc import Traversable

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


def _load(files: Sequence[str], *, with_shipped_data: bool) -> KnowledgeGraph:
    """The ontology with the shipped data and/or the user's files; a user's TriG file finds its source
    texts in a ``source/`` folder beside it, as ours do."""
    from . import resources
    from .store import KnowledgeGraph

    paths = [Path(name) for name in files]
    texts: list[Path | Traversable] = list(resources.source_text_files())
    for path in paths:
        beside = path.parent / "source" / f"{path.stem}.txt"
        if beside.is_file():
            texts.append(beside)
    data: list[Path | Traversable] = [*resources.data_files()] if with_shipped_data else []
    return KnowledgeGraph.from_files(ontology=resources.ontology_files(), data=[*data, *paths], texts=texts)


def _checked_graph(extra_data: Sequence[str]) -> tuple[KnowledgeGraph, list[Problem]]:
    """Load the shipped graph plus ``extra_data`` files, and run the quality checks on it."""
    from . import resources
    from .checks import run_all_checks
    from .validate import shapes_graph

    kg = _load(extra_data, with_shipped_data=True)
    queries = [(str(path), path.read_text(encoding="utf-8")) for path in resources.query_files()]
    return kg, run_all_checks(kg, queries, shapes_graph())


def _report_problems(problems: Sequence[Problem], consequence: str) -> None:
    print(f"{len(problems)} problem(s) found by the quality checks:", file=sys.stderr)
    for problem in problems:
        print(f"  {problem}", file=sys.stderr)
    print(consequence, file=sys.stderr)


_CHECKS_PASSED = (
    "checks: every term declared, ontology header complete, OWL typing and OWL 2 RL consistency pass"
)


def _build(args: argparse.Namespace) -> int:
    """Load the graph, run the quality checks and SHACL validation, write the dumps, print a summary."""
    from .publish import publish
    from .validate import validate

    kg, problems = _checked_graph(())
    if problems:
        _report_problems(problems, "Nothing was published: fix the ontology or data and run the build again.")
        return EXIT_CHECK_FAILED
    report = validate(kg)
    if not report.conforms:
        print(report, file=sys.stderr)
        print("Nothing was published: the data does not conform to the SHACL shapes.", file=sys.stderr)
        return EXIT_CHECK_FAILED
    print(kg.summary())
    print(_CHECKS_PASSED)
    print(
        f"SHACL: conforms, {len(report.warnings)} warning(s), {len(report.infos)} note(s)"
        + "".join(f"\n  note: {r}" for r in (*report.warnings, *report.infos))
    )
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


def _validate(args: argparse.Namespace) -> int:
    """Validate our graph, or the user's files with our ontology, against the SHACL shapes."""
    from .validate import validate

    kg = _load(args.files, with_shipped_data=not args.files)
    report = validate(kg)
    if args.format == "json":
        print(report.to_json())
    elif args.format == "turtle":
        print(report.to_turtle())
    else:
        print(report)
    return EXIT_OK if report.conforms else EXIT_CHECK_FAILED


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

    validate = commands.add_parser(
        "validate", help="check our graph, or your own RDF files, against the SHACL shapes"
    )
    validate.add_argument(
        "files", nargs="*", metavar="FILE", help="your Turtle/TriG files (default: our published graph)"
    )
    validate.add_argument(
        "--format", choices=("text", "json", "turtle"), default="text", help="report format (default: text)"
    )
    validate.set_defaults(run=_validate)

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

"""The ``libertera-kg`` command line: parses arguments, calls one library function, prints its result.

Exit codes: 0 success; 1 a check found problems (or the data does not conform); 2 bad input or usage (a
missing or unparsable file, an unknown option or name, an output that cannot be written, a missing
optional package); 3 a remote SPARQL endpoint or graph store failed; 70 an internal error, which is a bug
to report; 130 interrupted; 141 the reader of the output went away (``| head``), quietly.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import (
    DataFileError,
    EndpointError,
    LiberteraError,
    MissingDependencyError,
    QueryParameterError,
    QuerySyntaxError,
    UsageError,
)
from .progress import terminal_progress

if TYPE_CHECKING:
    from .graph import KnowledgeGraph
    from .stores import Store

EXIT_OK = 0
EXIT_CHECK_FAILED = 1
EXIT_BAD_INPUT = 2
EXIT_ENDPOINT = 3
EXIT_INTERNAL = 70
EXIT_INTERRUPTED = 130
EXIT_BROKEN_PIPE = 141


def exit_code(error: LiberteraError) -> int:
    """The exit code of an error the library reports: 3 for a remote endpoint, 2 for every other."""
    return EXIT_ENDPOINT if isinstance(error, EndpointError) else EXIT_BAD_INPUT


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("libertera-kg")
    except PackageNotFoundError:
        return "unknown (not installed)"


def _build(args: argparse.Namespace) -> int:
    """Load, check and validate the graph (with the given files), then publish it."""
    from .pipeline import build

    with terminal_progress("build") as progress:
        report = build(args.files, output=Path(args.output), progress=progress)
    print(report, file=sys.stdout if report.published else sys.stderr)
    return EXIT_OK if report.published else EXIT_CHECK_FAILED


def _check(args: argparse.Namespace) -> int:
    """Run the quality checks on the shipped graph together with the user's own data files."""
    from .pipeline import check

    if args.alone and not args.files:
        raise UsageError("--alone checks the files given without our data; give at least one FILE.")
    report = check(*args.files, with_shipped_data=not args.alone)
    if not report.passed:
        print(f"{report}\nFix the problems above and check again.", file=sys.stderr)
        return EXIT_CHECK_FAILED
    print(report)
    return EXIT_OK


def _validate(args: argparse.Namespace) -> int:
    """Validate our graph, or the user's files with it (or with the ontology alone), against the shapes."""
    from .graph import load
    from .validation import validate

    if args.alone and not args.files:
        raise UsageError("--alone validates the files given without our data; give at least one FILE.")
    report = validate(load(*args.files, with_shipped_data=not args.alone))
    if args.format == "json":
        print(report.to_json())
    elif args.format == "turtle":
        print(report.to_turtle())
    else:
        print(report)
    return EXIT_OK if report.conforms else EXIT_CHECK_FAILED


def _store(args: argparse.Namespace) -> Store:
    """The store the options name: the shipped graph (plus ``--data`` files) in memory or in Oxigraph, an
    Oxigraph store on disk, or an endpoint."""
    from .stores import connect

    if args.data and (args.endpoint or args.store_path):
        raise UsageError(
            "--data adds files to a store built here; it cannot go with --endpoint or --store-path."
        )
    graph = _load(args.data) if args.data else None
    return connect(
        args.store,
        endpoint=args.endpoint,
        path=args.store_path,
        graph=graph,
        default_graphs=args.default_graph,
        named_graphs=args.named_graph,
    )


def _load(data: Sequence[str]) -> KnowledgeGraph:
    """The shipped graph with a contributor's ``--data`` files beside it, each checked first."""
    from .graph import load

    return load(*data)


def _parameters(pairs: Sequence[str]) -> dict[str, str]:
    """``key=value`` pairs from ``-p``, each checked for its ``=`` and given once."""
    values: dict[str, str] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise QueryParameterError("-p", pair, "written key=value, such as -p country=BR")
        if key.strip() in values:
            raise UsageError(
                f"The parameter '{key.strip()}' is given twice (-p {key.strip()}={values[key.strip()]} and "
                f"-p {pair}); give each parameter once."
            )
        values[key.strip()] = value
    return values


def _queries(args: argparse.Namespace) -> int:
    """List the canned queries with their parameters."""
    from .catalogue import list_queries

    for canned in list_queries():
        print(f"{canned.name}\n    {canned.summary}")
        for p in canned.parameters:
            need = "required" if p.required and p.default is None else "optional"
            default = f", default {p.default}" if p.default is not None else ""
            print(f"    -p {p.name}=<{p.kind}>  ({need}{default}) {p.description}")
    return EXIT_OK


def _query(args: argparse.Namespace) -> int:
    """Run one canned query and print its result."""
    result = _store(args).query(args.name, **_parameters(args.param))
    print(result.format(args.format), end="" if args.format != "table" else "\n")
    return EXIT_OK


def _sparql(args: argparse.Namespace) -> int:
    """Run an ad-hoc SPARQL query from a file or standard input."""
    if args.file == "-":
        text = sys.stdin.read()
    else:
        from .untrusted import read_utf8

        text = read_utf8(Path(args.file))
    where = "standard input" if args.file == "-" else args.file
    if not any(line.strip() and not line.strip().startswith("#") for line in text.splitlines()):
        raise DataFileError(where, "the query file holds no query (only blanks and comments)")
    try:
        result = _store(args).sparql(text, allowed_services=tuple(args.allow_service))
    except QuerySyntaxError as exc:  # the file at fault, before what is wrong in it
        raise DataFileError(where, str(exc)) from None
    print(result.format(args.format), end="" if args.format != "table" else "\n")
    return EXIT_OK


def _views(args: argparse.Namespace) -> int:
    """List the graph views."""
    from .views import list_views

    for item in list_views():
        print(f"{item.name}\n    {item.summary}")
    return EXIT_OK


def _export(args: argparse.Namespace) -> int:
    """Write one graph view as a file for Gephi, yEd, D3, Cytoscape or a spreadsheet."""
    from .view_files import export_format, write_view
    from .views import get_view, view

    get_view(args.view)  # an unknown name, or format, is reported before any store is loaded
    fmt = export_format(args.format, Path(args.output))
    graph = view(args.view, _store(args))
    path = write_view(graph, fmt, Path(args.output))
    print(f"wrote {path}: {graph.number_of_nodes()} nodes, {graph.number_of_edges()} edges ({fmt})")
    return EXIT_OK


def _draw(args: argparse.Namespace) -> int:
    """Draw one graph view as a PNG or SVG picture."""
    from .drawing import draw_view, picture_format
    from .views import get_view, view

    get_view(args.view)
    picture_format(Path(args.output))
    with terminal_progress(f"draw {args.view}") as progress:
        progress(f"building the view {args.view}")
        graph = view(args.view, _store(args))
        path = draw_view(graph, args.view, Path(args.output), progress=progress)
    print(f"wrote {path}")
    return EXIT_OK


def _docs(args: argparse.Namespace) -> int:
    """Write the ontology's HTML documentation."""
    from .docs import write_ontology_docs
    from .graph import load

    print(write_ontology_docs(load(), Path(args.output)))
    return EXIT_OK


def _load_into_store(args: argparse.Namespace) -> int:
    """Load RDF files into the oxigraph store on disk, streaming, for querying at scale."""
    from .disk_store import load_into_store

    for item in load_into_store(Path(args.store_path), [Path(f) for f in args.files], graph=args.graph):
        print(f"loaded {item.path}: {item.quads:,} quads (the store holds {item.store_size:,})")
    return EXIT_OK


def _synth(args: argparse.Namespace) -> int:
    """Write a synthetic graph of made-up operations, for tests and benchmarks at any size."""
    from .synth import write_synthetic

    quads = write_synthetic(args.operations, args.seed, Path(args.output))
    print(f"wrote {args.output}: {args.operations} synthetic operations, {quads} quads (seed {args.seed})")
    return EXIT_OK


def _push(args: argparse.Namespace) -> int:
    """Load the graph into a SPARQL 1.1 store, one named graph per source, and check what it holds."""
    from .graph import load
    from .push import Credentials, push

    credentials = Credentials.from_environment(args.user, args.password_env, args.token_env)
    pushed = push(
        load().dataset,
        args.endpoint,
        graph_store=args.graph_store,
        union_graph=args.union_graph,
        credentials=credentials,
        timeout=args.timeout,
        progress=print,
    )
    short = [graph for graph in pushed if not graph.complete]
    for graph in short:
        print(
            f"libertera-kg: <{graph.name}>: sent {graph.sent} triples, the store holds {graph.held}",
            file=sys.stderr,
        )
    if short:
        return EXIT_CHECK_FAILED
    named = [graph for graph in pushed if graph.held is not None]
    total = sum(graph.sent for graph in named)
    print(f"pushed {len(named)} graphs ({total} triples); {args.endpoint} holds every one of them")
    if len(named) < len(pushed):
        print(
            "the store's default graph was replaced by the merged graph (not counted: stores differ in "
            "what their default graph shows)"
        )
    return EXIT_OK


def _serve(args: argparse.Namespace) -> int:
    """Serve the graph over HTTP until interrupted."""
    try:
        from .server import ServerSettings, serve
    except ImportError as exc:
        raise MissingDependencyError(exc.name or "starlette", "server", "The HTTP server") from None
    settings = ServerSettings(
        host=args.host,
        port=args.port,
        store=args.store,
        timeout=args.timeout,
        allowed_services=tuple(args.allow_service),
        max_rows=args.max_rows,
        max_query_bytes=args.max_query_bytes,
        workers=args.workers,
        max_workers=args.max_workers,
        queue_wait=args.queue_wait,
        store_path=Path(args.store_path) if args.store_path else None,
        base_url=args.base_url,
        max_memory_mb=args.max_memory,
        cache_mb=args.cache_mb,
        max_age=args.max_age,
    )
    if settings.store_path is not None and settings.store != "oxigraph":
        raise UsageError("Only the oxigraph store can live on disk: give --store oxigraph with --store-path.")
    if args.data and settings.store_path is not None:
        raise UsageError("--data adds files to the graph served from memory; it cannot go with --store-path.")
    serve(settings, _load(args.data) if args.data else None)
    return EXIT_OK


#: Each subcommand and the function that runs it (defined in :mod:`libertera_kg.arguments`).
_COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {
    "build": _build,
    "check": _check,
    "validate": _validate,
    "queries": _queries,
    "query": _query,
    "sparql": _sparql,
    "views": _views,
    "export": _export,
    "draw": _draw,
    "serve": _serve,
    "load": _load_into_store,
    "synth": _synth,
    "push": _push,
    "docs": _docs,
}


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line with ``argv`` (default: ``sys.argv[1:]``) and return the exit code."""
    try:
        from .arguments import build_parser

        args = build_parser(_version).parse_args(argv)
        code = _COMMANDS[args.command](args)
        sys.stdout.flush()  # a reader that went away is met here, not while Python exits
    except BrokenPipeError:
        # The reader stopped reading (``| head``): end quietly, as Unix tools do, with SIGPIPE's status.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_BROKEN_PIPE
    except LiberteraError as exc:
        print(f"libertera-kg: error: {exc}", file=sys.stderr)
        return exit_code(exc)
    except KeyboardInterrupt as exc:  # a load says what the store holds (see disk_store.LoadInterrupted)
        print(f"libertera-kg: {str(exc) or 'interrupted'}", file=sys.stderr)
        return EXIT_INTERRUPTED
    except Exception as exc:  # the last line of defence: a bug, reported in one line, never a traceback
        print(
            f"libertera-kg: internal error: {type(exc).__name__}: {exc}. This is a bug; please report it "
            "with the command you ran.",
            file=sys.stderr,
        )
        return EXIT_INTERNAL
    return code


def run() -> None:
    """The ``libertera-kg`` program: :func:`main`, then exit. Once the work is done and said, Ctrl-C is
    ignored: Python restores the default signal action while it shuts down, and an interrupt then would
    end the process as killed, after it said it had finished."""
    code = main()
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    sys.exit(code)


if __name__ == "__main__":
    run()

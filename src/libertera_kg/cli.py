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

from .errors import DataFileError, LiberteraError, MissingDependencyError, QueryError, QueryParameterError

if TYPE_CHECKING:
    from importlib.resources.abc import Traversable

    from .checks import Problem
    from .graph import KnowledgeGraph
    from .stores import Store

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
    from .graph import KnowledgeGraph

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
    queries = [(str(path), path.read_text(encoding="utf-8")) for path in resources.sparql_files()]
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
    from .stores import canned_query_results, connect
    from .validate import validate
    from .views import view_files

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
    store = connect(graph=kg)
    answers = canned_query_results(store)
    files: dict[str, str | bytes] = {f"queries/{name}.csv": csv for name, csv in answers.items()}
    views, pictures = view_files(store)
    files.update(views)
    files.update(pictures)
    written = publish(kg.dataset, Path(args.output), files)
    dumps = [path.name for path in written if path.parent == Path(args.output)]
    print(f"wrote {len(dumps)} dumps to {args.output}/: " + ", ".join(dumps))
    print(f"wrote {len(answers)} canned query results to {args.output}/queries/ (CSV)")
    print(f"wrote {len(views)} graph views to {args.output}/views/ (GraphML)", end="")
    print(
        f" and {len(pictures)} pictures (PNG)"
        if pictures
        else "; no pictures: pip install 'libertera-kg[viz]'"
    )
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


def _store(args: argparse.Namespace) -> Store:
    from .stores import connect

    return connect(args.store, endpoint=args.endpoint, path=args.store_path)


def _parameters(pairs: Sequence[str]) -> dict[str, str]:
    """``key=value`` pairs from ``-p``, each checked for its ``=``."""
    values = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise QueryParameterError("-p", pair, "written key=value, such as -p country=BR")
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
        try:
            text = Path(args.file).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise DataFileError(args.file, f"the query file cannot be read ({exc})") from None
    result = _store(args).sparql(text)
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
    from .views import get_view, view, write_view

    get_view(args.view)  # an unknown name is reported before any store is loaded
    graph = view(args.view, _store(args))
    path = write_view(graph, args.format, Path(args.output))
    print(f"wrote {path}: {graph.number_of_nodes()} nodes, {graph.number_of_edges()} edges ({args.format})")
    return EXIT_OK


def _draw(args: argparse.Namespace) -> int:
    """Draw one graph view as a PNG or SVG picture."""
    from .drawing import draw_view
    from .views import get_view, view

    get_view(args.view)
    path = draw_view(view(args.view, _store(args)), args.view, Path(args.output))
    print(f"wrote {path}")
    return EXIT_OK


def _add_store_options(parser: argparse.ArgumentParser, *, formats: Sequence[str] | None = None) -> None:
    from .results import FORMATS
    from .stores import STORE_KINDS

    if formats is None:
        parser.add_argument(
            "--format", choices=FORMATS, default="table", help="output format (default: table)"
        )
    parser.add_argument(
        "--store", choices=STORE_KINDS, default="memory", help="embedded store to load the graph into"
    )
    parser.add_argument(
        "--store-path", metavar="DIR", help="keep the oxigraph store on disk in DIR (with --store oxigraph)"
    )
    parser.add_argument(
        "--endpoint", metavar="URL", help="query this SPARQL endpoint instead of a local store"
    )


def _docs(args: argparse.Namespace) -> int:
    """Write the ontology's HTML documentation."""
    from .docs import write_ontology_docs
    from .graph import load

    page = write_ontology_docs(load(), Path(args.output))
    print(f"wrote {page}")
    return EXIT_OK


def _load_into_store(args: argparse.Namespace) -> int:
    """Load RDF files into the oxigraph store on disk, streaming, for querying at scale."""
    from .loading import load_files

    for item in load_files(Path(args.store_path), [Path(f) for f in args.files]):
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
    total = sum(graph.sent for graph in pushed)
    print(f"pushed {len(pushed)} graphs ({total} triples); {args.endpoint} holds every one of them")
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
        store_path=Path(args.store_path) if args.store_path else None,
    )
    if settings.store_path is not None and settings.store != "oxigraph":
        raise QueryError("only the oxigraph store can live on disk; give --store oxigraph with --store-path")
    serve(settings)
    return EXIT_OK


def _port(text: str) -> int:
    value = _positive_int(text)
    if value > 65535:
        raise argparse.ArgumentTypeError(f"'{text}' is not a port number (1 to 65535)")
    return value


def _positive_int(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"'{text}' is not a whole number of 1 or more")
    return int(text)


def _positive_number(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = 0.0
    if not value > 0:
        raise argparse.ArgumentTypeError(f"'{text}' is not a number of seconds above 0")
    return value


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

    queries = commands.add_parser("queries", help="list the canned SPARQL queries and their parameters")
    queries.set_defaults(run=_queries)

    query = commands.add_parser("query", help="run a canned SPARQL query by name")
    query.add_argument("name", metavar="NAME", help="the query's name (see: libertera-kg queries)")
    query.add_argument(
        "-p", "--param", action="append", default=[], metavar="KEY=VALUE", help="a parameter, repeatable"
    )
    _add_store_options(query)
    query.set_defaults(run=_query)

    sparql = commands.add_parser("sparql", help="run any SPARQL query from a file, or - for standard input")
    sparql.add_argument("file", metavar="FILE", help="a .rq file, or - to read the query from standard input")
    _add_store_options(sparql)
    sparql.set_defaults(run=_sparql)

    views = commands.add_parser("views", help="list the graph views for networkx, Gephi and D3")
    views.set_defaults(run=_views)

    export = commands.add_parser("export", help="write a graph view as GraphML, GEXF, JSON, Cytoscape or CSV")
    export.add_argument("view", metavar="VIEW", help="the view's name (see: libertera-kg views)")
    export.add_argument(
        "--format", required=True, choices=("graphml", "gexf", "json", "cyjs", "csv"), help="file format"
    )
    export.add_argument("-o", "--output", required=True, metavar="FILE", help="the file to write")
    _add_store_options(export, formats=())
    export.set_defaults(run=_export)

    draw = commands.add_parser("draw", help="draw a graph view as a PNG or SVG picture (needs the viz extra)")
    draw.add_argument("view", metavar="VIEW", help="the view's name (see: libertera-kg views)")
    draw.add_argument("-o", "--output", required=True, metavar="FILE", help="a .png or .svg file to write")
    _add_store_options(draw, formats=())
    draw.set_defaults(run=_draw)

    serve = commands.add_parser(
        "serve",
        help="serve a read-only SPARQL endpoint and linked-data pages over HTTP (needs the server extra)",
    )
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)")
    serve.add_argument("--port", type=_port, default=8000, help="port to listen on (default: 8000)")
    serve.add_argument("--store", choices=("memory", "oxigraph"), default="memory", help="query engine")
    serve.add_argument(
        "--store-path",
        metavar="DIR",
        help="serve the oxigraph store on disk in DIR, filled by 'libertera-kg load' (with --store oxigraph)",
    )
    serve.add_argument(
        "--timeout",
        type=_positive_number,
        default=30.0,
        metavar="SECONDS",
        help="query time limit (default: 30)",
    )
    serve.add_argument(
        "--allow-service",
        action="extend",
        nargs="+",
        default=[],
        metavar="IRI-PREFIX",
        help="let SERVICE call endpoints whose IRI starts with one of these prefixes (none by default)",
    )
    serve.add_argument(
        "--max-rows", type=_positive_int, default=10_000, help="rows an answer holds at most (default: 10000)"
    )
    serve.add_argument(
        "--max-query-bytes",
        type=_positive_int,
        default=100_000,
        help="largest query accepted (default: 100000)",
    )
    serve.add_argument("--workers", type=_positive_int, default=2, help="query worker processes (default: 2)")
    serve.set_defaults(run=_serve)

    load = commands.add_parser(
        "load", help="load RDF files into the oxigraph store on disk (streaming, with a progress bar)"
    )
    load.add_argument("files", nargs="+", metavar="FILE", help=".nq, .trig, .nt, .ttl, .rdf or .jsonld files")
    load.add_argument(
        "--store-path",
        required=True,
        metavar="DIR",
        help="the store's folder (new ones start with our graph)",
    )
    load.set_defaults(run=_load_into_store)

    synth = commands.add_parser(
        "synth", help="write a synthetic graph of made-up operations that conforms to the shapes (N-Quads)"
    )
    synth.add_argument(
        "--operations", type=_positive_int, required=True, metavar="N", help="how many (1 or more)"
    )
    synth.add_argument("--seed", type=int, default=0, help="the same seed gives the same graph (default: 0)")
    synth.add_argument("-o", "--output", required=True, metavar="FILE.nq", help="the N-Quads file to write")
    synth.set_defaults(run=_synth)

    push = commands.add_parser(
        "push", help="load the graph into a SPARQL 1.1 store (Graph Store Protocol), one graph per source"
    )
    push.add_argument("--endpoint", required=True, metavar="URL", help="the store's SPARQL query endpoint")
    push.add_argument(
        "--graph-store",
        metavar="URL",
        help="the store's Graph Store Protocol address (default: the endpoint; Oxigraph: /store)",
    )
    push.add_argument("--user", help="user name for HTTP Basic authentication")
    push.add_argument(
        "--password-env",
        default="LIBERTERA_KG_PASSWORD",
        metavar="VARIABLE",
        help="environment variable holding the password (default: LIBERTERA_KG_PASSWORD)",
    )
    push.add_argument(
        "--token-env",
        default="LIBERTERA_KG_TOKEN",
        metavar="VARIABLE",
        help="environment variable holding a bearer token (default: LIBERTERA_KG_TOKEN)",
    )
    push.add_argument(
        "--timeout", type=_positive_number, default=120.0, metavar="SECONDS", help="per request"
    )
    push.set_defaults(run=_push)

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

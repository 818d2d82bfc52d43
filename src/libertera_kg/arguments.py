"""The ``libertera-kg`` command line's arguments: one subcommand per verb of the library, each option
checked by type, so that :mod:`libertera_kg.cli` receives values it can hand on as they are."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence


def _port(text: str) -> int:
    value = _positive_int(text)
    if value > 65535:
        raise argparse.ArgumentTypeError(f"'{text}' is not a port number (1 to 65535)")
    return value


def _positive_int(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"'{text}' is not a whole number of 1 or more")
    return int(text)


def _non_negative_int(text: str) -> int:
    if not text.isdigit():
        raise argparse.ArgumentTypeError(f"'{text}' is not a whole number of 0 or more")
    return int(text)


def _positive_number(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = 0.0
    if not value > 0:
        raise argparse.ArgumentTypeError(f"'{text}' is not a number of seconds above 0")
    return value


def _http_url(text: str) -> str:
    """An endpoint's address: an http or https URL with a host."""
    from .endpoint_store import http_url
    from .errors import UsageError

    try:
        return http_url(text)
    except UsageError:
        raise argparse.ArgumentTypeError(f"'{text}' is not an http:// or https:// URL with a host") from None


def _graph_iri(text: str) -> str:
    """A graph's name: an absolute IRI, written without spaces or the characters an IRI cannot hold."""
    from urllib.parse import urlsplit

    from rdflib.term import _is_valid_uri

    if not urlsplit(text).scheme or not _is_valid_uri(text) or any(c.isspace() for c in text):
        raise argparse.ArgumentTypeError(f"'{text}' is not an absolute IRI (such as https://example.org/g)")
    return text


def _union_target(text: str) -> str:
    """Where push sends the merged graph: a graph IRI, or ``default`` for the store's default graph."""
    return text if text == "default" else _graph_iri(text)


def add_service_option(parser: argparse.ArgumentParser) -> None:
    """``--allow-service``: the IRI prefixes a query's SERVICE may call (none unless given)."""
    parser.add_argument(
        "--allow-service",
        action="extend",
        nargs="+",
        default=[],
        metavar="IRI-PREFIX",
        help="let SERVICE call endpoints whose IRI starts with one of these prefixes (none by default)",
    )


def add_store_options(parser: argparse.ArgumentParser, *, formats: Sequence[str] | None = None) -> None:
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
        "--endpoint",
        type=_http_url,
        metavar="URL",
        help="query this SPARQL endpoint instead of a local store",
    )
    parser.add_argument(
        "--default-graph",
        action="append",
        default=[],
        type=_graph_iri,
        metavar="IRI",
        help="with --endpoint: a graph merged into the default graph of every query (repeatable; sent as "
        "default-graph-uri)",
    )
    parser.add_argument(
        "--named-graph",
        action="append",
        default=[],
        type=_graph_iri,
        metavar="IRI",
        help="with --endpoint: a named graph the queries see (repeatable; sent as named-graph-uri)",
    )
    parser.add_argument(
        "--data",
        action="append",
        default=[],
        metavar="FILE",
        help="add your own RDF file to our graph in the local store (repeatable), as validate reads it",
    )


class _VersionAction(argparse.Action):
    """``--version``, asking for the installed version only when given (reading the package's metadata
    costs 20 ms, at every start of every command otherwise)."""

    def __init__(self, option_strings: Sequence[str], dest: str, version_of: Callable[[], str]) -> None:
        super().__init__(option_strings, dest, nargs=0, help="show the version and exit")
        self.version_of = version_of

    def __call__(self, parser: argparse.ArgumentParser, *_: object) -> None:
        sys.stdout.write(f"{parser.prog} {self.version_of()}\n")  # on standard output, as argparse's own
        parser.exit()


def build_parser(version: Callable[[], str]) -> argparse.ArgumentParser:
    """The argument parser, with one subcommand per verb of the library; ``version`` gives --version's."""
    parser = argparse.ArgumentParser(
        prog="libertera-kg",
        description="A knowledge graph of INTERPOL's 2025 operation Liberterra III against human "
        "trafficking.",
        epilog="Exit codes: 0 ok, 1 a check found problems, 2 bad input or usage, 3 a remote endpoint "
        "failed, 70 internal error, 130 interrupted, 141 the output's reader went away.",
    )
    parser.add_argument("--version", action=_VersionAction, version_of=version)
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    build = commands.add_parser(
        "build", help="load the ontology and data, check them, write the dumps and print a summary"
    )
    build.add_argument("files", nargs="*", metavar="FILE", help="your own RDF files to publish with ours")
    build.add_argument(
        "-o", "--output", default="dist", metavar="DIR", help="folder for the dumps (default: dist)"
    )

    check = commands.add_parser(
        "check", help="run the ontology quality checks on our graph plus your own RDF files"
    )
    check.add_argument(
        "files",
        nargs="*",
        metavar="FILE",
        help="TriG, Turtle, N-Triples, N-Quads, JSON-LD or RDF/XML files to add",
    )
    check.add_argument(
        "--alone", action="store_true", help="check the files with our ontology only, without our data"
    )

    validate = commands.add_parser(
        "validate", help="check our graph, with your own RDF files if given, against the SHACL shapes"
    )
    validate.add_argument(
        "files",
        nargs="*",
        metavar="FILE",
        help="your TriG, Turtle, N-Triples, N-Quads, JSON-LD or RDF/XML files, validated with our graph",
    )
    validate.add_argument(
        "--alone", action="store_true", help="validate the files with our ontology only, without our data"
    )
    validate.add_argument(
        "--format", choices=("text", "json", "turtle"), default="text", help="report format (default: text)"
    )

    commands.add_parser("queries", help="list the canned SPARQL queries and their parameters")

    query = commands.add_parser("query", help="run a canned SPARQL query by name")
    query.add_argument("name", metavar="NAME", help="the query's name (see: libertera-kg queries)")
    query.add_argument(
        "-p", "--param", action="append", default=[], metavar="KEY=VALUE", help="a parameter, repeatable"
    )
    add_store_options(query)

    sparql = commands.add_parser("sparql", help="run any SPARQL query from a file, or - for standard input")
    sparql.add_argument("file", metavar="FILE", help="a .rq file, or - to read the query from standard input")
    add_store_options(sparql)
    add_service_option(sparql)

    commands.add_parser("views", help="list the graph views for networkx, Gephi and D3")

    export = commands.add_parser("export", help="write a graph view as GraphML, GEXF, JSON, Cytoscape or CSV")
    export.add_argument("view", metavar="VIEW", help="the view's name (see: libertera-kg views)")
    export.add_argument(
        "--format",
        choices=("graphml", "gexf", "json", "cyjs", "csv"),
        help="file format (default: the one the output file's extension names)",
    )
    export.add_argument("-o", "--output", required=True, metavar="FILE", help="the file to write")
    add_store_options(export, formats=())

    draw = commands.add_parser("draw", help="draw a graph view as a PNG or SVG picture (needs the viz extra)")
    draw.add_argument("view", metavar="VIEW", help="the view's name (see: libertera-kg views)")
    draw.add_argument("-o", "--output", required=True, metavar="FILE", help="a .png or .svg file to write")
    add_store_options(draw, formats=())

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
    add_service_option(serve)
    serve.add_argument(
        "--data",
        action="append",
        default=[],
        metavar="FILE",
        help="serve your own RDF file beside our graph (repeatable), as validate reads it",
    )
    serve.add_argument(
        "--base-url",
        type=_http_url,
        metavar="URL",
        help="the public address clients reach the server at (needed beyond loopback; written into VoID)",
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
    serve.add_argument(
        "--workers", type=_positive_int, default=2, help="query worker processes always running (default: 2)"
    )
    serve.add_argument(
        "--max-workers",
        type=_positive_int,
        metavar="N",
        help="worker processes at most, spares started while slow queries hold the others "
        "(default: twice the processors, at least 4)",
    )
    serve.add_argument(
        "--queue-wait",
        type=_positive_number,
        metavar="SECONDS",
        help="how long a request waits for a free worker before it gets 503 (default: the time limit)",
    )
    serve.add_argument(
        "--max-memory",
        type=_positive_int,
        default=2048,
        metavar="MB",
        help="memory a query worker may use, its store included; more gets 503 (default: 2048)",
    )
    serve.add_argument(
        "--cache-mb",
        type=_non_negative_int,
        default=64,
        metavar="MB",
        help="answers kept for clients asking the same again, the least recently used dropped first; "
        "0 keeps none (default: 64)",
    )
    serve.add_argument(
        "--max-age",
        type=_non_negative_int,
        default=300,
        metavar="SECONDS",
        help="how long clients and HTTP caches may reuse an answer without asking (default: 300)",
    )

    load = commands.add_parser(
        "load", help="load RDF files into the oxigraph store on disk (streaming, with a progress bar)"
    )
    load.add_argument(
        "files", nargs="+", metavar="FILE", help=".nq, .trig, .nt, .ttl, .jsonld, .rdf or .owl files"
    )
    load.add_argument(
        "--store-path",
        required=True,
        metavar="DIR",
        help="the store's folder (new ones start with our graph)",
    )
    load.add_argument(
        "--graph",
        type=_graph_iri,
        metavar="IRI",
        help="the named graph for the file's triples (one file; default: graph/<file name without suffix>)",
    )

    synth = commands.add_parser(
        "synth", help="write a synthetic graph of made-up operations that conforms to the shapes (N-Quads)"
    )
    synth.add_argument(
        "--operations", type=_positive_int, required=True, metavar="N", help="how many (1 or more)"
    )
    synth.add_argument("--seed", type=int, default=0, help="the same seed gives the same graph (default: 0)")
    synth.add_argument("-o", "--output", required=True, metavar="FILE.nq", help="the N-Quads file to write")

    push = commands.add_parser(
        "push", help="load the graph into a SPARQL 1.1 store (Graph Store Protocol), one graph per source"
    )
    push.add_argument(
        "--endpoint", required=True, type=_http_url, metavar="URL", help="the store's SPARQL query endpoint"
    )
    push.add_argument(
        "--graph-store",
        type=_http_url,
        metavar="URL",
        help="the store's Graph Store Protocol address (default: the endpoint; Oxigraph: /store)",
    )
    push.add_argument(
        "--union-graph",
        type=_union_target,
        metavar="IRI|default",
        help="also send the merged graph (every triple once) to this named graph, or to the store's "
        "default graph with 'default', for stores whose queries do not see the union of their graphs",
    )
    push.add_argument("--user", help="user name for HTTP authentication (Basic or Digest, as the store asks)")
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

    docs = commands.add_parser("docs", help="write HTML documentation of the ontology (needs the docs extra)")
    docs.add_argument("-o", "--output", required=True, metavar="DIR", help="folder to write index.html into")
    return parser

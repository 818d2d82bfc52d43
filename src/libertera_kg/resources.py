"""Where the files the package ships live: the ontology, the data, the source texts and the queries.

The browsable top-level folders ``ontology/``, ``data/`` and ``queries/`` are copied into the wheel under
``libertera_kg/_resources/``; this module is the one place that knows that layout, and it finds the files
with :mod:`importlib.resources`, never relative to a checkout or the working directory.
"""

from __future__ import annotations

from functools import cache
from importlib.resources import files
from importlib.resources.abc import Traversable

from .errors import ResourceError

#: The ontology's parts, in the order they are loaded: the core terms, their alignments, the SKOS schemes.
ONTOLOGY_PARTS = ("libertera.ttl", "alignments.ttl", "schemes")

RDF_SUFFIXES = (".ttl", ".trig", ".nt", ".nq")


def resource_root() -> Traversable:
    """The folder inside the installed package that holds ``ontology/``, ``data/`` and ``queries/``."""
    root = files("libertera_kg") / "_resources"
    if not root.is_dir():
        raise ResourceError(
            "The libertera_kg installation has no ontology, data or queries folder "
            "(libertera_kg/_resources). "
            "Install the package with pip (for example 'make run' or 'pip install .') instead of putting "
            "src/ on the Python path."
        )
    return root


def _folder(name: str, root: Traversable | None = None) -> Traversable:
    folder = (root or resource_root()) / name
    if not folder.is_dir():
        raise ResourceError(f"The libertera_kg installation lacks its '{name}' folder ({folder}).")
    return folder


def _sorted_files(folder: Traversable, suffixes: tuple[str, ...]) -> list[Traversable]:
    return sorted(
        (item for item in folder.iterdir() if item.is_file() and item.name.endswith(suffixes)),
        key=lambda item: item.name,
    )


def ontology_files(root: Traversable | None = None) -> list[Traversable]:
    """The Turtle files that make up the ontology: core terms, alignments, then each SKOS scheme (of the
    installed package, or of ``root``, a checkout, when the wheel is built)."""
    folder = _folder("ontology", root)
    found: list[Traversable] = []
    for part in ONTOLOGY_PARTS:
        item = folder / part
        if item.is_dir():
            found.extend(_sorted_files(item, (".ttl",)))
        elif item.is_file():
            found.append(item)
        else:
            raise ResourceError(f"The ontology part '{part}' is missing from {folder}.")
    return found


def shapes_files() -> list[Traversable]:
    """The SHACL shapes, one Turtle file per theme in ``ontology/shapes/``."""
    return _sorted_files(_folder("ontology") / "shapes", (".ttl",))


def data_files(root: Traversable | None = None) -> list[Traversable]:
    """The RDF files of ``data/`` (not its ``source/`` texts), sorted by name."""
    return _sorted_files(_folder("data", root), RDF_SUFFIXES)


def source_text_files(root: Traversable | None = None) -> list[Traversable]:
    """The verbatim source texts in ``data/source/`` that quotes point into."""
    return _sorted_files(_folder("data", root) / "source", (".txt",))


def compiled_files() -> tuple[Traversable, Traversable]:
    """The shipped graph as compiled when the wheel was built (N-Quads), and its manifest (the sources'
    digest and the prefixes); either may be missing, in an installation not built as a wheel."""
    folder = resource_root() / "compiled"
    return folder / "libertera.nq", folder / "manifest.json"


def query_files() -> list[Traversable]:
    """Every SPARQL file of ``queries/``, sorted by name."""
    return _sorted_files(_folder("queries"), (".rq",))


def view_files() -> list[Traversable]:
    """The SPARQL files of ``queries/views/`` that define the graph views, sorted by name."""
    return _sorted_files(_folder("queries") / "views", (".rq",))


def server_query_files() -> list[Traversable]:
    """The SPARQL files of ``queries/server/`` behind the server's pages and self-description."""
    return _sorted_files(_folder("queries") / "server", (".rq",))


def lookup_query_files() -> list[Traversable]:
    """The SPARQL files of ``queries/lookups/`` that the library runs for itself (labels, attributes)."""
    return _sorted_files(_folder("queries") / "lookups", (".rq", ".ru"))


@cache
def shipped_query(name: str) -> str:
    """The text of ``queries/NAME`` (``server/void.rq``, ``lookups/property-labels.rq`` …): the SPARQL the
    library and the server run for themselves."""
    item = _folder("queries")
    for part in name.split("/"):
        item = item / part
    if not item.is_file():
        raise ResourceError(f"The query file '{name}' is missing from the installation's queries/ folder.")
    return item.read_text(encoding="utf-8")


def sparql_files() -> list[Traversable]:
    """Every SPARQL query file the package ships: the canned queries, the views, the server's and the
    library's own queries (not the update that fills an oxigraph store's default graph)."""
    lookups = [item for item in lookup_query_files() if item.name.endswith(".rq")]
    return [*query_files(), *view_files(), *server_query_files(), *lookups]

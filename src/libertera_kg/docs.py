"""HTML documentation of the ontology, written by pyLODE from the same files the package loads."""

from __future__ import annotations

import gc
import logging
import warnings
from pathlib import Path

from rdflib import Graph

from .errors import MissingDependencyError, ToolError
from .graph import KnowledgeGraph, standalone_copy
from .publish import refuse_unwritable_folder, write_files_atomically


def write_ontology_docs(kg: KnowledgeGraph, out_dir: Path) -> Path:
    """Write ``index.html`` (pyLODE) and ``ontology.ttl`` describing the ontology into ``out_dir``.

    Returns the path of the HTML page. The folder is created if needed; files are written whole or not at all.
    """
    refuse_unwritable_folder(out_dir)
    turtle = kg.ontology.serialize(format="turtle")
    html = _pylode_html(standalone_copy(kg.ontology))
    write_files_atomically(out_dir, {"index.html": html, "ontology.ttl": turtle})
    return out_dir / "index.html"


def _pylode_html(ontology: Graph) -> str:
    """Render the ontology with pyLODE, which adds background vocabularies to the graph it is given."""
    root = logging.getLogger()
    saved_handlers, saved_level = root.handlers[:], root.level
    # pyLODE configures the root logger at DEBUG level when imported; keep the user's terminal quiet.
    logging.disable(logging.INFO)
    try:
        try:
            from pylode import OntPub
        except ImportError as exc:
            raise MissingDependencyError("pylode", "docs", "Writing the ontology documentation") from exc
        # pyLODE leaves its stylesheet file open; collect it here so its ResourceWarning stays ours to hide.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ResourceWarning)
            try:
                html: str = OntPub(ontology=ontology).make_html()
            except Exception as exc:  # pyLODE raises bare exceptions for graphs it cannot document
                raise ToolError(f"pyLODE could not document the ontology: {exc}") from exc
            finally:
                gc.collect()
    finally:
        logging.disable(logging.NOTSET)
        root.handlers[:] = saved_handlers
        root.setLevel(saved_level)
    return html

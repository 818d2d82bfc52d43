"""Views as files: the formats graph tools open (GraphML, GEXF, node-link JSON, Cytoscape.js, CSV), written
whole or not at all, and a view (perhaps with attributes an analyst computed) as RDF again."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path
from typing import TYPE_CHECKING

import networkx as nx
from rdflib import OWL, RDF, Dataset, Literal, URIRef
from rdflib.namespace import SKOS

from .errors import UsageError
from .views import _GEONAMES, _WIKIDATA, _expanded, _local_name

if TYPE_CHECKING:
    from .stores import Store

#: What a view can be written as, with the file suffix each format uses.
EXPORT_FORMATS = {"graphml": ".graphml", "gexf": ".gexf", "json": ".json", "cyjs": ".cyjs", "csv": ".csv"}


def write_view(graph: nx.MultiDiGraph, fmt: str | None, path: Path) -> Path:
    """Write ``graph`` as ``fmt`` (see :data:`EXPORT_FORMATS`; ``None``: the one ``path`` ends with) to
    ``path``, whole or not at all."""
    from .publish import write_atomically

    write_atomically(path, serialise_view(graph, export_format(fmt, path)))
    return path


def export_format(fmt: str | None, path: Path) -> str:
    """The export format for ``path``: ``fmt`` if given (refused when the file's extension names another
    format), else the format its extension names."""
    by_suffix = {suffix: name for name, suffix in EXPORT_FORMATS.items()}
    named = by_suffix.get(path.suffix.lower())
    known = ", ".join(EXPORT_FORMATS)
    if fmt is None:
        if named is None:
            raise UsageError(
                f"Cannot tell the format of {path} from its extension; end the file name with one of "
                f"{', '.join(by_suffix)}, or give --format ({known})."
            )
        return named
    if fmt not in EXPORT_FORMATS:
        raise UsageError(f"Unknown export format '{fmt}'; choose one of: {known}.")
    if named is not None and named != fmt:
        raise UsageError(
            f"--format {fmt} contradicts the file name {path}, which ends as a {named} file does; "
            f"write {fmt} to a file ending in {EXPORT_FORMATS[fmt]}, or leave --format out."
        )
    return fmt


def gexf_typed(graph: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """``graph`` with each node attribute of one type, as GEXF declares it once: an attribute that some
    node holds as text (two sources' values joined, "70; 73") is text on every node."""
    kinds: dict[str, set[type]] = {}
    for _, data in graph.nodes(data=True):
        for key, value in data.items():
            kinds.setdefault(key, set()).add(type(value))
    textual = {key for key, found in kinds.items() if str in found and len(found) > 1}
    if not textual:
        return graph
    typed = graph.copy()
    for _, data in typed.nodes(data=True):
        for key in textual & data.keys():
            data[key] = str(data[key])
    return typed


def serialise_view(graph: nx.MultiDiGraph, fmt: str) -> str:
    """The text of ``graph`` in ``fmt``: GraphML, GEXF, node-link JSON (D3), Cytoscape.js JSON or CSV."""
    if fmt == "graphml":
        return "\n".join(nx.generate_graphml(graph)) + "\n"
    if fmt == "gexf":
        # networkx stamps the file with today's date; the same graph must give the same bytes.
        text = "\n".join(nx.generate_gexf(gexf_typed(graph))) + "\n"
        return re.sub(r' lastmodifieddate="[^"]*"', "", text, count=1)
    if fmt == "json":
        return json.dumps(nx.node_link_data(graph, edges="edges"), indent=2, ensure_ascii=False) + "\n"
    if fmt == "cyjs":
        return json.dumps(nx.cytoscape_data(graph), indent=2, ensure_ascii=False) + "\n"
    if fmt == "csv":
        return _edge_list(graph)
    known = ", ".join(EXPORT_FORMATS)
    raise UsageError(f"Unknown export format '{fmt}'; choose one of: {known}.")


def _edge_list(graph: nx.MultiDiGraph) -> str:
    """One row per edge with both ends' labels, for spreadsheets and pandas."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(
        ["source", "target", "key", "predicate", "label", "stated_in", "source_label", "target_label"]
    )
    for subject, obj, key, data in graph.edges(keys=True, data=True):
        writer.writerow(
            [
                subject,
                obj,
                key,
                data["predicate"],
                data["label"],
                data["stated_in"],
                graph.nodes[subject]["label"],
                graph.nodes[obj]["label"],
            ]
        )
    return out.getvalue()


def view_to_rdf(
    graph: nx.MultiDiGraph, graph_name: str, vocabulary: str, *, store: Store | None = None
) -> Dataset:
    """A view (perhaps with attributes an analyst computed) as RDF, in the named graph ``graph_name``.

    Edges become triples with their ``predicate``. Node attributes become literal triples: those a view
    gives (``label``, ``type``, ``wikidata``, ``isoAlpha2`` …) with the properties they came from, and any
    other (``centrality``) with a property ``<vocabulary><attribute>``, which the publisher defines. The
    properties are those ``store`` labels (default: the shipped graph in memory).

    >>> from libertera_kg.views import view
    >>> data = view_to_rdf(view("network"), "https://example.org/graph/mine", "https://example.org/def#")
    >>> len(data.graph(URIRef("https://example.org/graph/mine"))) > 40
    True
    """
    from .stores import connect

    dataset = Dataset()
    target = dataset.graph(URIRef(graph_name))
    known = {_local_name(iri): URIRef(iri) for iri in (store or connect()).property_labels()}
    for node, data in graph.nodes(data=True):
        subject = URIRef(node)
        for name, value in data.items():
            if value is None or value == "":
                continue
            if name == "type":
                for kind in str(value).split("; "):
                    target.add((subject, RDF.type, _expanded(kind)))
            elif name == "label":
                target.add((subject, SKOS.prefLabel, Literal(value, lang="en")))
            elif name == "wikidata":
                target.add((subject, OWL.sameAs, URIRef(_WIKIDATA + str(value))))
            elif name == "geonames":
                target.add((subject, OWL.sameAs, URIRef(f"{_GEONAMES}{value}/")))
            else:
                predicate = known.get(name, URIRef(vocabulary + name))
                target.add((subject, predicate, Literal(value)))
    for subject, obj, data in graph.edges(data=True):
        target.add((URIRef(subject), URIRef(data["predicate"]), URIRef(obj)))
    return dataset

"""The seam between pySHACL and our fast path for SHACL-SPARQL constraints of node shapes.

pySHACL checks the core constraints. Each SPARQL constraint of a node shape is taken out of the shapes it
sees and run here: once over the whole graph where that gives the same rows (on an Oxigraph copy, with
pyoxigraph installed), else once per focus node on rdflib, as pySHACL itself runs it. Targets, severities,
messages and report triples are still pySHACL's own. The tests prove the results equal pySHACL's alone.

pySHACL internals used, all of the 0.40 line that ``pyproject.toml`` pins (check each when moving on):

- ``pyshacl.shapes_graph.ShapesGraph(graph)``: the shapes, as pySHACL reads them;
- ``pyshacl.shape.Shape(shapes_graph, node)``: ``.deactivated``, ``.focus_nodes(data_graph)``;
- ``pyshacl.constraints.sparql.sparql_based_constraints.SPARQLBasedConstraint(shape)``:
  ``.sparql_constraints`` and ``.make_v_result(data, focus, value_node=, result_path=, bound_vars=,
  source_constraint=, extra_messages=)``;
- each of its query helpers (``pyshacl.helper.sparql_query_helper.SPARQLQueryHelper``): ``.node``,
  ``.deactivated``, ``.messages``, ``.select_text``, ``.apply_prefixes(text)`` and
  ``.check_invalid_sparql(text)`` (MINUS, VALUES, SERVICE and nested SELECT rules);
- that pySHACL calls ``data_graph.query(text, initBindings=…)`` per focus node (what
  :class:`PreparedQueryGraph` intercepts), and binds ``$currentShape`` to the shape and refuses
  ``$shapesGraph`` (which we do the same way).
"""

from __future__ import annotations

import importlib.util
from functools import lru_cache
from typing import Any

from rdflib import RDF, BNode, Graph, Literal, Namespace, URIRef, Variable
from rdflib.term import Node

from .errors import ToolError
from .inspection import binds_at_top_level, mentions_variable, plan_from_bound

SH = Namespace("http://www.w3.org/ns/shacl#")

_FOCUS = Variable("this")


class PreparedQueryGraph(Graph):
    """A graph that parses each distinct SPARQL text once, and plans it for a bound ``$this``.

    pySHACL runs every SPARQL constraint once per focus node and passes the query as text each time;
    parsing it again costs more than running it (the article validates about 7 times faster).
    """

    def query(self, query_object: Any, *args: Any, **kwargs: Any) -> Any:
        if isinstance(query_object, str):
            query_object = prepared(query_object)
        return super().query(query_object, *args, **kwargs)


@lru_cache(maxsize=512)
def prepared(text: str) -> Any:
    """``text`` parsed once, its patterns planned from ``$this`` (a private copy: it is changed)."""
    from rdflib.plugins.sparql import prepareQuery

    query = prepareQuery(text)
    plan_from_bound(query.algebra, _FOCUS)
    return query


def split_off_sparql(shapes: Graph) -> tuple[Graph, dict[URIRef | BNode, list[Node]]]:
    """The shapes without the SPARQL constraints of node shapes, and those constraints by shape.

    A SPARQL constraint of a property shape stays with pySHACL: its ``$PATH`` and value nodes need the
    property's path, which only pySHACL evaluates.
    """
    core = Graph()
    for prefix, namespace in shapes.namespaces():
        core.bind(prefix, namespace)
    taken: dict[URIRef | BNode, list[Node]] = {}
    for shape, _, constraint in shapes.triples((None, SH.sparql, None)):
        if isinstance(shape, URIRef | BNode) and shapes.value(shape, SH.path) is None:
            taken.setdefault(shape, []).append(constraint)
    for triple in shapes:
        if not (triple[1] == SH.sparql and triple[0] in taken):
            core.add(triple)
    return core, taken


def whole_graph_sparql(
    constraints: dict[URIRef | BNode, list[Node]], core_shapes: Graph, data: Graph
) -> list[tuple[Node, Node, Node]]:
    """Report triples for the SPARQL constraints of node shapes, each query run once over ``data`` where
    it can be.

    A query whose every answer binds ``$this`` through a triple pattern of its top level gives, run with
    ``$this`` unbound, the union of its answers for each focus node (:func:`binds_at_top_level`); with
    pyoxigraph installed it runs so, once, on an Oxigraph copy of ``data``, and its rows are kept for the
    shape's focus nodes. Otherwise, and for a query that uses ``$currentShape``, it runs once per focus
    node on rdflib, as pySHACL runs it (rdflib's plans for a whole graph can grow with its square).
    """
    from pyshacl.constraints.sparql.sparql_based_constraints import SPARQLBasedConstraint
    from pyshacl.shape import Shape
    from pyshacl.shapes_graph import ShapesGraph

    if not constraints:
        return []
    shapes = Graph()
    for triple in core_shapes:
        shapes.add(triple)
    for shape_node, nodes in constraints.items():
        for node in nodes:
            shapes.add((shape_node, SH.sparql, node))
    shapes_graph = ShapesGraph(shapes)
    whole_graph = _OxigraphCopy(data) if importlib.util.find_spec("pyoxigraph") is not None else None
    triples: list[tuple[Node, Node, Node]] = []
    for shape_node in sorted(constraints, key=str):
        shape = Shape(shapes_graph, shape_node)
        if shape.deactivated:
            continue
        component = SPARQLBasedConstraint(shape)
        focus_nodes = set(shape.focus_nodes(data))  # type: ignore[no-untyped-call]
        for helper in sorted(component.sparql_constraints, key=lambda h: str(h.node)):
            if helper.deactivated or not focus_nodes:
                continue
            text = helper.apply_prefixes(helper.select_text)
            bindings = _prebound(helper, text, shape_node)
            if (
                whole_graph is not None
                and not bindings
                and binds_at_top_level(prepared(text).algebra, _FOCUS)
            ):
                rows = [row for row in whole_graph.rows(text) if row.get("this") in focus_nodes]
            else:
                rows = [
                    row
                    for focus in sorted(focus_nodes, key=str)
                    for row in _rows(data, text, {"this": focus, **bindings})
                ]
            triples += _report_rows(component, helper, data, rows)
    return triples


def _prebound(helper: Any, text: str, shape_node: Node) -> dict[str, Node]:
    """The variables bound besides ``$this``, as pySHACL binds them, after pySHACL's own checks of the
    text."""
    try:
        helper.check_invalid_sparql(helper.select_text)
    except Exception as exc:  # pySHACL's ValidationFailure, for a constraint SHACL does not allow
        raise ToolError(f"SHACL validation could not run: the constraint {helper.node} {exc}") from exc
    if mentions_variable(text, "shapesGraph"):
        raise ToolError(
            f"SHACL validation could not run: the constraint {helper.node} uses $shapesGraph, which "
            "pySHACL does not support."
        )
    return {"currentShape": shape_node} if mentions_variable(text, "currentShape") else {}


def _report_rows(
    component: Any, helper: Any, data: Graph, rows: list[dict[str, Any]]
) -> list[tuple[Node, Node, Node]]:
    """pySHACL's report triples for the rows a constraint's query gave, each distinct row once."""
    triples: list[tuple[Node, Node, Node]] = []
    seen: set[tuple[Any, ...]] = set()
    for row in rows:
        if row.pop("failure", None) is not None:
            raise ToolError(
                f"SHACL validation could not run: the constraint {helper.node} reported a failure"
            )
        row.pop("currentShape", None)
        focus, path, value = row.pop("this"), row.pop("path", None), row.pop("value", None)
        key = (focus, path, value, tuple(sorted(row.items())))
        if key in seen:  # pySHACL reports each distinct row once
            continue
        seen.add(key)
        _, _, result_triples = component.make_v_result(
            data,
            focus,
            value_node=focus if value is None else value,
            result_path=path,
            bound_vars=(focus, path, focus if value is None else value, row),
            source_constraint=helper.node,
            extra_messages=helper.messages or None,
        )
        triples += [(s, p, o[1] if isinstance(o, tuple) else o) for s, p, o in result_triples]
    return triples


class _OxigraphCopy:
    """The data graph copied into an in-memory Oxigraph store on first use, for whole-graph queries."""

    def __init__(self, data: Graph):
        self._data = data
        self._store: Any = None

    def rows(self, text: str) -> list[dict[str, Any]]:
        """The answers to the SELECT query ``text``, as dictionaries of rdflib terms without unbound ones."""
        import pyoxigraph as ox

        from .oxigraph import OxigraphTerms

        if self._store is None:
            self._store = ox.Store()
            self._store.bulk_load(
                self._data.serialize(format="nt", encoding="utf-8"), format=ox.RdfFormat.N_TRIPLES
            )
        solutions = self._store.query(text)
        names = [variable.value for variable in solutions.variables]
        convert = OxigraphTerms()
        rows = []
        for solution in solutions:
            row = {name: convert(solution[name]) for name in names}
            rows.append({name: term for name, term in row.items() if term is not None})
        return rows


def _rows(data: Graph, text: str, bindings: dict[str, Any]) -> list[dict[str, Any]]:
    """The answers to ``text`` on ``data`` as dictionaries, with ``bindings`` pre-bound."""
    return [row.asdict() for row in data.query(text, initBindings=bindings)]  # type: ignore[union-attr]


def add_results(report: Graph, triples: list[tuple[Node, Node, Node]]) -> None:
    """Add the result triples to pySHACL's report, which no longer conforms if any is a violation."""
    if not triples:
        return
    report_node = next(report.subjects(RDF.type, SH.ValidationReport))
    for triple in triples:
        report.add(triple)
        if triple[1] == RDF.type and triple[2] == SH.ValidationResult:
            report.add((report_node, SH.result, triple[0]))
    if any(p == SH.resultSeverity and o == SH.Violation for _, p, o in triples):
        report.set((report_node, SH.conforms, Literal(False)))

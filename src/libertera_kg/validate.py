"""SHACL validation of the knowledge graph (or of a contributor's files) against our shapes, with pySHACL.

>>> from libertera_kg import load, validate
>>> report = validate(load())
>>> report.conforms, len(report.violations)
(True, 0)
"""

from __future__ import annotations

import importlib.util
import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from itertools import groupby
from typing import Any
from typing import Literal as TypingLiteral

from rdflib import RDF, RDFS, BNode, Graph, Literal, Namespace, URIRef, Variable
from rdflib.namespace import SKOS
from rdflib.term import Node

from . import resources
from .errors import LiberteraError
from .graph import KnowledgeGraph, parse_into
from .namespaces import LT, PREFIXES

SH = Namespace("http://www.w3.org/ns/shacl#")
#: Our shapes' namespace.
LTSH = Namespace("https://w3id.org/libertera/shapes#")

# Prefixes used to print IRIs compactly in reports.
_NAMES = Graph(bind_namespaces="rdflib")
for _prefix, _namespace in {**PREFIXES, "ltsh": str(LTSH), "sh": str(SH)}.items():
    _NAMES.bind(_prefix, _namespace, override=True)

Severity = TypingLiteral["Violation", "Warning", "Info"]
_SEVERITY_RANK = {"Violation": 0, "Warning": 1, "Info": 2}


@dataclass(frozen=True)
class ValidationResult:
    """One thing a shape found: where (focus node and path), what (value), why (message), how bad."""

    severity: Severity
    rule: str
    focus: str
    path: str | None
    value: str | None
    message: str
    source_shape: str
    constraint: str
    focus_label: str = field(compare=False)

    def __str__(self) -> str:
        where = f"{self.focus_label} <{self.focus}>"
        if self.path:
            where += f" {self.path}"
        if self.value is not None:
            where += f" = {self.value}"
        return f"{where}: {self.message}"


@dataclass(frozen=True)
class ValidationReport:
    """The outcome of a validation: whether the data conforms (no violations) and every result."""

    conforms: bool
    results: tuple[ValidationResult, ...]
    report_graph: Graph = field(repr=False, compare=False)

    @property
    def violations(self) -> tuple[ValidationResult, ...]:
        return tuple(r for r in self.results if r.severity == "Violation")

    @property
    def warnings(self) -> tuple[ValidationResult, ...]:
        return tuple(r for r in self.results if r.severity == "Warning")

    @property
    def infos(self) -> tuple[ValidationResult, ...]:
        return tuple(r for r in self.results if r.severity == "Info")

    def __str__(self) -> str:
        head = "conforms" if self.conforms else "does not conform"
        counts = (
            f"{len(self.violations)} violation(s), {len(self.warnings)} warning(s), {len(self.infos)} note(s)"
        )
        lines = [f"The data {head}: {counts}."]
        for (severity, rule), group in groupby(self.results, key=lambda r: (r.severity, r.rule)):
            items = list(group)
            lines.append(f"\n{severity}: {rule} ({len(items)})")
            lines += [f"  - {item}" for item in items]
        return "\n".join(lines)

    def to_json(self) -> str:
        """The report as JSON: ``conforms`` and a list of results with every field."""
        return json.dumps(
            {"conforms": self.conforms, "results": [asdict(r) for r in self.results]},
            indent=2,
            ensure_ascii=False,
        )

    def to_turtle(self) -> str:
        """The standard SHACL validation report graph, as Turtle."""
        return self.report_graph.serialize(format="turtle")


class _PreparedQueryGraph(Graph):
    """A graph that parses each distinct SPARQL text once, and plans it for a bound ``$this``.

    pySHACL runs every SPARQL constraint once per focus node and passes the query as text each time;
    parsing it again costs more than running it (the article validates about 7 times faster).
    """

    def query(self, query_object: Any, *args: Any, **kwargs: Any) -> Any:
        if isinstance(query_object, str):
            query_object = _prepared(query_object)
        return super().query(query_object, *args, **kwargs)


@lru_cache(maxsize=512)
def _prepared(text: str) -> Any:
    from rdflib.plugins.sparql import prepareQuery

    query = prepareQuery(text)
    _plan_from_focus_node(query.algebra)
    return query


_FOCUS = Variable("this")


def _plan_from_focus_node(node: Any) -> None:
    """Reorder every basic graph pattern in ``node`` so that it starts from ``$this`` and follows its links.

    rdflib orders a pattern's triples when it parses the query, by how many constant terms each has; it
    cannot know that pySHACL will bind ``$this``. It so starts ``$this oa:hasSelector ?s . ?s a
    oa:TextQuoteSelector`` with the second triple, which scans every selector in the graph for each focus
    node and makes validation time grow with the square of the data (8 copies of the article: 343 s).
    Starting from what is bound and joining along shared variables keeps it linear (the same: 5.5 s).
    Reordering the triples of a conjunction does not change its answers.
    """
    from rdflib.plugins.sparql.parserutils import CompValue

    if isinstance(node, CompValue):
        if node.name == "BGP":
            node["triples"] = _connected_order(node["triples"], {_FOCUS})
        for child in node.values():
            _plan_from_focus_node(child)
    elif isinstance(node, list | tuple):
        for child in node:
            _plan_from_focus_node(child)


def _connected_order(
    triples: list[tuple[Node, Node, Node]], bound: set[Node]
) -> list[tuple[Node, Node, Node]]:
    """Triples in a greedy join order: first those sharing most bound variables, then most constants."""
    known = set(bound)
    remaining = list(triples)
    ordered = []
    while remaining:

        def rank(index: int) -> tuple[int, int, int]:
            terms = remaining[index]
            joined = sum(1 for term in terms if term in known)
            constants = sum(1 for term in terms if not isinstance(term, Variable | BNode))
            return joined, constants, -index

        best = remaining.pop(max(range(len(remaining)), key=rank))
        ordered.append(best)
        known.update(term for term in best if isinstance(term, Variable | BNode))
    return ordered


def shapes_graph() -> Graph:
    """Our SHACL shapes, from every file of ``ontology/shapes/``."""
    graph = Graph()
    for path in resources.shapes_files():
        parse_into(graph, path)
    return graph


def validate(data: KnowledgeGraph | Graph, *, shapes: Graph | None = None) -> ValidationReport:
    """Validate ``data`` (a loaded knowledge graph, or a graph that includes our ontology) against our shapes.

    The data conforms when no result is a violation; warnings and notes are reported but do not fail it.
    pySHACL checks the core constraints; each SHACL-SPARQL constraint of a node shape runs once over the
    whole graph, its rows given to the shape's focus nodes, with pySHACL's own targets, severities and
    messages (see :func:`_whole_graph_sparql`). The results are the same as pySHACL's alone, which runs each
    constraint once per focus node and so grows with the square of the data.
    """
    import pyshacl  # imported here: validation is the only user of pySHACL

    source = data.merged() if isinstance(data, KnowledgeGraph) else data
    # The same triples, not a copy: a graph over the same store whose queries are planned for pySHACL.
    graph = _PreparedQueryGraph(store=source.store, identifier=source.identifier)
    core_shapes, sparql_shapes = _split_off_sparql(shapes if shapes is not None else shapes_graph())
    try:
        # In place: without inference pySHACL does not change the data graph.
        _, report_graph, _ = pyshacl.validate(
            graph,
            shacl_graph=core_shapes,
            inference="none",
            allow_warnings=True,
            allow_infos=True,
            inplace=True,
        )
        assert isinstance(report_graph, Graph)
        _add_results(report_graph, _whole_graph_sparql(sparql_shapes, core_shapes, graph))
    except LiberteraError:
        raise
    except Exception as exc:  # pySHACL reports bad shapes or data with its own exception types
        raise LiberteraError(f"SHACL validation could not run: {exc}") from exc
    results = sorted(
        set(_results(report_graph, graph)),
        key=lambda r: (_SEVERITY_RANK[r.severity], r.rule, r.focus, r.path or "", r.value or "", r.message),
    )
    conforms = not any(r.severity == "Violation" for r in results)
    return ValidationReport(conforms=conforms, results=tuple(results), report_graph=report_graph)


def _split_off_sparql(shapes: Graph) -> tuple[Graph, dict[URIRef | BNode, list[Node]]]:
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


def _whole_graph_sparql(
    constraints: dict[URIRef | BNode, list[Node]], core_shapes: Graph, data: Graph
) -> list[tuple[Node, Node, Node]]:
    """Report triples for the SPARQL constraints of node shapes, each query run once over ``data`` where
    it can be.

    A query whose every answer binds ``$this`` through a triple pattern of its top level gives, run with
    ``$this`` unbound, exactly the union of its answers with ``$this`` bound to each node (pre-binding
    only joins with the pattern that binds it); with pyoxigraph installed it runs so, once, on an Oxigraph
    copy of ``data``, and its rows are kept for the shape's focus nodes. Otherwise a query runs once per
    focus node on rdflib, as pySHACL runs it (rdflib's plans for a whole graph can grow with its square).
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
    shapes_graph_ = ShapesGraph(shapes)
    whole_graph = _OxigraphCopy(data) if importlib.util.find_spec("pyoxigraph") is not None else None
    triples: list[tuple[Node, Node, Node]] = []
    for shape_node in sorted(constraints, key=str):
        shape = Shape(shapes_graph_, shape_node)
        if shape.deactivated:
            continue
        component = SPARQLBasedConstraint(shape)
        focus_nodes = set(shape.focus_nodes(data))  # type: ignore[no-untyped-call]
        for helper in sorted(component.sparql_constraints, key=lambda h: str(h.node)):
            if helper.deactivated or not focus_nodes:
                continue
            text = helper.apply_prefixes(helper.select_text)
            if whole_graph is not None and _binds_focus_at_top_level(_prepared(text).algebra):
                rows = [row for row in whole_graph.rows(text) if row.get("this") in focus_nodes]
            else:
                rows = [row for focus in sorted(focus_nodes, key=str) for row in _rows(data, text, focus)]
            seen: set[tuple[Any, ...]] = set()
            for row in rows:
                if row.pop("failure", None) is not None:
                    raise LiberteraError(
                        f"SHACL validation could not run: {_name(helper.node)} reported a failure"
                    )
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

        from .stores import OxigraphTerms

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


def _rows(data: Graph, text: str, focus: Any) -> list[dict[str, Any]]:
    """The answers to ``text`` on ``data`` as dictionaries, with ``$this`` bound to ``focus`` if given."""
    bindings = {"this": focus} if focus is not None else None
    return [row.asdict() for row in data.query(text, initBindings=bindings)]  # type: ignore[union-attr]


def _binds_focus_at_top_level(node: Any) -> bool:
    """Whether a triple pattern that every answer must match binds ``$this``: looked for through the
    projection, filters, assignments and joins of the query's top level, and the left side of OPTIONAL."""
    name = getattr(node, "name", None)
    if name == "BGP":
        return any(_FOCUS in triple for triple in node["triples"])
    if name in ("SelectQuery", "Project", "Distinct", "Reduced", "Filter", "Extend", "ToMultiSet", "Slice"):
        return _binds_focus_at_top_level(node.get("p"))
    if name == "Join":
        return _binds_focus_at_top_level(node["p1"]) or _binds_focus_at_top_level(node["p2"])
    if name == "LeftJoin":
        return _binds_focus_at_top_level(node["p1"])
    return False


def _add_results(report: Graph, triples: list[tuple[Node, Node, Node]]) -> None:
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


def _results(report: Graph, data: Graph) -> Iterable[ValidationResult]:
    # Only the report's own results: those nested under sh:detail explain an sh:node failure already listed.
    for node in report.objects(None, SH.result):
        focus = report.value(node, SH.focusNode)
        shape = report.value(node, SH.sourceShape)
        constraint = report.value(node, SH.sourceConstraint)
        component = report.value(node, SH.sourceConstraintComponent)
        severity = str(report.value(node, SH.resultSeverity)).rsplit("#", 1)[-1]
        value = report.value(node, SH.value)
        path = report.value(node, SH.resultPath)
        shape_name = _name(shape)
        constraint_name = _name(constraint if isinstance(constraint, URIRef) else component)
        yield ValidationResult(
            severity=severity,  # type: ignore[arg-type]
            rule=constraint_name if isinstance(constraint, URIRef) else shape_name,
            focus=str(focus),
            path=_name(path) if isinstance(path, URIRef) else None,
            value=_display(value),
            message=_message(report, node),
            source_shape=shape_name,
            constraint=constraint_name,
            focus_label=_label(data, focus),
        )


def _message(report: Graph, node: Node) -> str:
    messages = [m for m in report.objects(node, SH.resultMessage) if isinstance(m, Literal)]
    english = [m for m in messages if m.language in ("en", None)]
    return str((english or messages or [Literal("(no message)")])[0])


def _name(node: Node | None) -> str:
    """A compact name for an IRI (``lt:statedIn``, ``ltsh:FigureShape``), or a mark for a blank node."""
    if node is None:
        return "(none)"
    if isinstance(node, URIRef):
        return _NAMES.namespace_manager.normalizeUri(node)
    return "(anonymous shape)" if isinstance(node, BNode) else str(node)


def _display(value: Node | None) -> str | None:
    if value is None:
        return None
    if isinstance(value, BNode):
        return "(blank node)"
    return str(value)


def _label(data: Graph, node: Node | None) -> str:
    """How a person knows ``node``: its English label, the source's words for it, or its IRI."""
    if node is None:
        return "(none)"
    for prop in (SKOS.prefLabel, RDFS.label, LT.statedAs, SKOS.altLabel):
        for label in data.objects(node, prop):
            if isinstance(label, Literal) and label.language in ("en", None):
                return str(label)
    return str(node).rsplit("/", 1)[-1] or str(node)

"""SHACL validation of the knowledge graph (or of a contributor's files) against our shapes, with pySHACL.

>>> from libertera_kg import load, validate
>>> report = validate(load())
>>> report.conforms, len(report.violations)
(True, 0)
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from itertools import groupby
from typing import Literal as TypingLiteral

from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.term import Node

from . import resources
from .errors import LiberteraError, ToolError
from .graph import KnowledgeGraph, display_label, parse_into
from .shacl_sparql import SH, PreparedQueryGraph, add_results, split_off_sparql, whole_graph_sparql

#: Our shapes' namespace.
LTSH = Namespace("https://w3id.org/libertera/shapes#")


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
    messages (see :mod:`libertera_kg.shacl_sparql`). The results are the same as pySHACL's alone, which
    runs each constraint once per focus node and so grows with the square of the data.
    """
    import pyshacl  # imported here: validation is the only user of pySHACL

    source = data.merged() if isinstance(data, KnowledgeGraph) else data
    # The same triples, not a copy: a graph over the same store whose queries are planned for pySHACL.
    graph = PreparedQueryGraph(store=source.store, identifier=source.identifier)
    core_shapes, sparql_shapes = split_off_sparql(shapes if shapes is not None else shapes_graph())
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
        add_results(report_graph, whole_graph_sparql(sparql_shapes, core_shapes, graph))
    except LiberteraError:
        raise
    except Exception as exc:  # pySHACL reports bad shapes or data with its own exception types
        raise ToolError(f"SHACL validation could not run: {exc}") from exc
    results = sorted(
        set(_results(report_graph, graph)),
        key=lambda r: (_SEVERITY_RANK[r.severity], r.rule, r.focus, r.path or "", r.value or "", r.message),
    )
    conforms = not any(r.severity == "Violation" for r in results)
    return ValidationReport(conforms=conforms, results=tuple(results), report_graph=report_graph)


def _results(report: Graph, data: Graph) -> Iterable[ValidationResult]:
    """The report's own results (those nested under sh:detail explain an sh:node failure already listed),
    named with the prefixes ``data`` binds and labelled as ``data`` labels them."""
    name = _compact_names(data)
    for node in report.objects(None, SH.result):
        focus = report.value(node, SH.focusNode)
        shape = report.value(node, SH.sourceShape)
        constraint = report.value(node, SH.sourceConstraint)
        component = report.value(node, SH.sourceConstraintComponent)
        severity = str(report.value(node, SH.resultSeverity)).rsplit("#", 1)[-1]
        value = report.value(node, SH.value)
        path = report.value(node, SH.resultPath)
        shape_name = name(shape)
        constraint_name = name(constraint if isinstance(constraint, URIRef) else component)
        yield ValidationResult(
            severity=severity,  # type: ignore[arg-type]
            rule=constraint_name if isinstance(constraint, URIRef) else shape_name,
            focus=str(focus),
            path=name(path) if isinstance(path, URIRef) else None,
            value=_display(value),
            message=_message(report, node),
            source_shape=shape_name,
            constraint=constraint_name,
            focus_label=display_label(data, focus, fallback="local name"),
        )


def _message(report: Graph, node: Node) -> str:
    messages = [m for m in report.objects(node, SH.resultMessage) if isinstance(m, Literal)]
    english = [m for m in messages if m.language in ("en", None)]
    return str((english or messages or [Literal("(no message)")])[0])


def _compact_names(data: Graph) -> Callable[[Node | None], str]:
    """Compact names for IRIs (``lt:statedIn``, ``ltsh:FigureShape``) with the prefixes ``data`` binds
    and our shapes', or a mark for a blank node."""
    names = Graph(bind_namespaces="none")
    for prefix, namespace in [*data.namespaces(), ("ltsh", LTSH), ("sh", SH)]:
        names.bind(prefix, namespace, override=True)

    def name(node: Node | None) -> str:
        if node is None:
            return "(none)"
        if isinstance(node, URIRef):
            return names.namespace_manager.normalizeUri(node)
        return "(anonymous shape)" if isinstance(node, BNode) else str(node)

    return name


def _display(value: Node | None) -> str | None:
    if value is None:
        return None
    if isinstance(value, BNode):
        return "(blank node)"
    return str(value)

"""libertera_kg: a knowledge graph of INTERPOL's 2025 operation Liberterra III against human trafficking.

>>> import libertera_kg
>>> kg = libertera_kg.load()
>>> summary = kg.summary()
>>> summary.classes > 20, summary.concept_schemes > 10
(True, True)
"""

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .catalogue import CannedQuery, Parameter, get_query, list_queries
    from .checks import Problem, run_all_checks
    from .errors import (
        DataFileError,
        LiberteraError,
        MissingDependencyError,
        QueryError,
        QueryParameterError,
        ResourceError,
    )
    from .graph import Figure, GraphSummary, KnowledgeGraph, load
    from .namespaces import CONCEPT, GRAPH, ID, LT
    from .results import QueryResult
    from .stores import Store, connect

# Imported now, not on first use: the function must shadow its module, which shares its name.
from .validate import ValidationReport, ValidationResult, validate

# Each public name and the module that defines it, imported on first use: `libertera-kg query` then loads
# only what a query needs, and starts as fast as a plain rdflib script.
_WHERE = {
    "CONCEPT": "namespaces",
    "CannedQuery": "catalogue",
    "DataFileError": "errors",
    "Figure": "graph",
    "GRAPH": "namespaces",
    "GraphSummary": "graph",
    "ID": "namespaces",
    "KnowledgeGraph": "graph",
    "LT": "namespaces",
    "LiberteraError": "errors",
    "MissingDependencyError": "errors",
    "Parameter": "catalogue",
    "Problem": "checks",
    "QueryError": "errors",
    "QueryParameterError": "errors",
    "QueryResult": "results",
    "ResourceError": "errors",
    "Store": "stores",
    "connect": "stores",
    "get_query": "catalogue",
    "list_queries": "catalogue",
    "load": "graph",
    "run_all_checks": "checks",
}


def __getattr__(name: str) -> Any:
    if name not in _WHERE:
        raise AttributeError(f"module 'libertera_kg' has no attribute '{name}'")
    value = getattr(import_module(f".{_WHERE[name]}", __name__), name)
    globals()[name] = value
    return value


__all__ = [
    "CONCEPT",
    "GRAPH",
    "ID",
    "LT",
    "CannedQuery",
    "DataFileError",
    "Figure",
    "GraphSummary",
    "KnowledgeGraph",
    "LiberteraError",
    "MissingDependencyError",
    "Parameter",
    "Problem",
    "QueryError",
    "QueryParameterError",
    "QueryResult",
    "ResourceError",
    "Store",
    "ValidationReport",
    "ValidationResult",
    "connect",
    "get_query",
    "list_queries",
    "load",
    "run_all_checks",
    "validate",
]

"""libertera_kg: a knowledge graph of INTERPOL's 2025 operation Liberterra III against human trafficking.

>>> import libertera_kg
>>> kg = libertera_kg.load()
>>> summary = kg.summary()
>>> summary.classes > 20, summary.concept_schemes > 10
(True, True)
"""

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
from .validate import ValidationReport, ValidationResult, validate

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

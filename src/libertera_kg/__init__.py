"""libertera_kg: a knowledge graph of INTERPOL's 2025 operation Liberterra III against human trafficking.

>>> import libertera_kg
>>> kg = libertera_kg.load()
>>> summary = kg.summary()
>>> summary.classes > 20, summary.concept_schemes > 10
(True, True)
"""

from .checks import Problem, run_all_checks
from .errors import DataFileError, LiberteraError, MissingDependencyError, ResourceError
from .namespaces import CONCEPT, GRAPH, ID, LT
from .store import Figure, GraphSummary, KnowledgeGraph, load
from .validate import ValidationReport, ValidationResult, validate

__all__ = [
    "CONCEPT",
    "GRAPH",
    "ID",
    "LT",
    "DataFileError",
    "Figure",
    "GraphSummary",
    "KnowledgeGraph",
    "LiberteraError",
    "MissingDependencyError",
    "Problem",
    "ResourceError",
    "ValidationReport",
    "ValidationResult",
    "load",
    "run_all_checks",
    "validate",
]

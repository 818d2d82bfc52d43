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
from .store import GraphSummary, KnowledgeGraph, load

__all__ = [
    "CONCEPT",
    "GRAPH",
    "ID",
    "LT",
    "DataFileError",
    "GraphSummary",
    "KnowledgeGraph",
    "LiberteraError",
    "MissingDependencyError",
    "Problem",
    "ResourceError",
    "load",
    "run_all_checks",
]

"""libertera_kg: a knowledge graph of INTERPOL's 2025 operation Liberterra III against human trafficking.

>>> import libertera_kg
>>> kg = libertera_kg.load()
>>> summary = kg.summary()
>>> summary.classes > 20, summary.concept_schemes > 10
(True, True)

Every pipeline the command line runs is a function here: :func:`build`, :func:`check`, :func:`validate`
(of ``load(*files)``), :func:`load_into_store` and ``load().summary()``; the command line only parses
arguments, calls one of them and prints its result.
"""

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .catalogue import (
        CannedQuery,
        Parameter,
        get_query,
        list_queries,
    )
    from .checks import (
        Problem,
        run_all_checks,
    )
    from .disk_store import (
        LoadedFile,
        load_into_store,
    )
    from .errors import (
        DataFileError,
        EndpointError,
        InputError,
        LiberteraError,
        MissingDependencyError,
        NotAcceptableError,
        OutputError,
        QueryError,
        QueryMemoryError,
        QueryParameterError,
        QueryRefusedError,
        QuerySyntaxError,
        QueryTimeoutError,
        ReadOnlyError,
        ResourceError,
        ServerBusyError,
        ServerError,
        ToolError,
        UnknownGraphError,
        UnknownNameError,
        UsageError,
    )
    from .graph import (
        KnowledgeGraph,
        load,
    )
    from .inspection import (
        QueryDataset,
    )
    from .namespaces import (
        CONCEPT,
        GRAPH,
        ID,
        LT,
    )
    from .pipeline import (
        BuildReport,
        CheckReport,
        build,
        check,
    )
    from .results import (
        QueryResult,
    )
    from .stores import (
        Store,
        connect,
    )
    from .summary import Figure, GraphSummary
    from .validation import ValidationReport, ValidationResult, validate

# Each public name and the module that defines it, imported on first use: `libertera-kg query` then loads
# only what a query needs, and starts as fast as a plain rdflib script.
_WHERE = {
    "BuildReport": "pipeline",
    "CONCEPT": "namespaces",
    "CannedQuery": "catalogue",
    "CheckReport": "pipeline",
    "DataFileError": "errors",
    "EndpointError": "errors",
    "Figure": "summary",
    "GRAPH": "namespaces",
    "GraphSummary": "summary",
    "ID": "namespaces",
    "InputError": "errors",
    "KnowledgeGraph": "graph",
    "LT": "namespaces",
    "LiberteraError": "errors",
    "LoadedFile": "disk_store",
    "MissingDependencyError": "errors",
    "NotAcceptableError": "errors",
    "OutputError": "errors",
    "Parameter": "catalogue",
    "Problem": "checks",
    "QueryDataset": "inspection",
    "QueryError": "errors",
    "QueryParameterError": "errors",
    "QueryRefusedError": "errors",
    "QuerySyntaxError": "errors",
    "UnknownGraphError": "errors",
    "QueryResult": "results",
    "QueryMemoryError": "errors",
    "ServerBusyError": "errors",
    "QueryTimeoutError": "errors",
    "ReadOnlyError": "errors",
    "ResourceError": "errors",
    "ServerError": "errors",
    "Store": "stores",
    "ToolError": "errors",
    "UnknownNameError": "errors",
    "UsageError": "errors",
    "ValidationReport": "validation",
    "ValidationResult": "validation",
    "validate": "validation",
    "build": "pipeline",
    "check": "pipeline",
    "connect": "stores",
    "get_query": "catalogue",
    "list_queries": "catalogue",
    "load": "graph",
    "load_into_store": "disk_store",
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
    "BuildReport",
    "CannedQuery",
    "CheckReport",
    "DataFileError",
    "EndpointError",
    "Figure",
    "GraphSummary",
    "InputError",
    "KnowledgeGraph",
    "LiberteraError",
    "LoadedFile",
    "MissingDependencyError",
    "NotAcceptableError",
    "OutputError",
    "Parameter",
    "Problem",
    "QueryDataset",
    "QueryError",
    "QueryMemoryError",
    "QueryParameterError",
    "QueryRefusedError",
    "QueryResult",
    "QuerySyntaxError",
    "QueryTimeoutError",
    "ReadOnlyError",
    "ResourceError",
    "ServerBusyError",
    "ServerError",
    "Store",
    "ToolError",
    "UnknownGraphError",
    "UnknownNameError",
    "UsageError",
    "ValidationReport",
    "ValidationResult",
    "build",
    "check",
    "connect",
    "get_query",
    "list_queries",
    "load",
    "load_into_store",
    "run_all_checks",
    "validate",
]

"""The exceptions libertera_kg raises, under one base so callers can catch them all.

    LiberteraError                 anything this library reports to its user
    ├── DataFileError              a file is missing or cannot be parsed (names file, line, column)
    ├── ResourceError              a file the installed package should ship is not there
    ├── QueryParameterError        a query name or parameter value is wrong (names the parameter)
    ├── QueryError                 a store cannot run a query (bad SPARQL, endpoint unreachable)
    │   ├── ReadOnlyError          an update sent where only queries are accepted
    │   ├── QueryRefusedError      a query that policy refuses (SERVICE not allowed, unknown graph)
    │   ├── QueryTimeoutError      a query stopped at its time limit
    │   └── NotAcceptableError     the client accepts none of the answer's formats
    └── MissingDependencyError     an optional extra is needed for this command

Third-party errors (rdflib parse errors, OS errors) are translated once, where they happen, with
``raise ... from exc`` so the cause is kept. Only ``cli.py`` turns these into messages and exit codes.
"""

from __future__ import annotations

from pathlib import Path


class LiberteraError(Exception):
    """Base of every error the library reports; its message is one paragraph for a person to read."""


class DataFileError(LiberteraError):
    """An ontology, data or query file is missing or cannot be parsed."""

    def __init__(self, path: Path | str, reason: str, *, line: int | None = None, column: int | None = None):
        self.path = Path(path)
        self.reason = reason
        self.line = line
        self.column = column
        where = str(self.path)
        if line is not None:
            where += f", line {line}"
            if column is not None:
                where += f", column {column}"
        super().__init__(f"{where}: {reason}")


class ResourceError(LiberteraError):
    """A file the package ships (ontology, data, queries) cannot be found in the installation."""


class MissingDependencyError(LiberteraError):
    """A command needs an optional extra that is not installed."""

    def __init__(self, module: str, extra: str, purpose: str):
        self.module = module
        self.extra = extra
        super().__init__(
            f"{purpose} needs the Python package '{module}', which is not installed. "
            f"Install it with: pip install 'libertera-kg[{extra}]'"
        )


class QueryParameterError(LiberteraError):
    """A canned query's name or a parameter value is unknown, missing or of the wrong kind."""

    def __init__(self, parameter: str, value: object, expected: str):
        self.parameter = parameter
        self.value = value
        given = "no value was" if value is None else f"{str(value)!r} was"
        super().__init__(f"The parameter '{parameter}' must be {expected}; {given} given.")


class QueryError(LiberteraError):
    """A query cannot be run: its SPARQL is invalid, or the store or endpoint fails to answer."""


class ReadOnlyError(QueryError):
    """An update (INSERT, DELETE, LOAD …) was sent where only queries are accepted."""


class QueryRefusedError(QueryError):
    """A valid query that policy refuses: a SERVICE not allowed, a graph the store does not hold."""


class QueryTimeoutError(QueryError):
    """A query ran past its time limit and was stopped."""


class NotAcceptableError(QueryError):
    """The client accepts none of the formats the answer can be written in."""

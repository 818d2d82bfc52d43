"""The exceptions libertera_kg raises, under one base so callers can catch them all.

    LiberteraError                 anything this library reports to its user (never raised itself)
    ├── UsageError                 options that do not fit together, or a value no option takes
    │   └── UnknownNameError       no canned query, view or store of that name (lists those there are)
    ├── InputError                 the input given is wrong
    │   ├── DataFileError          a file is missing or cannot be parsed (names file, line, column)
    │   └── QueryParameterError    a query parameter's value is wrong (names the parameter)
    ├── OutputError                a file or folder cannot be written (nothing partial is left)
    ├── QueryError                 a store cannot run a query (invalid SPARQL, an engine's error)
    │   ├── QuerySyntaxError       the text is not valid SPARQL 1.1 as the engine reads it
    │   ├── ReadOnlyError          an update sent where only queries are accepted
    │   ├── QueryRefusedError      a query that policy refuses (a SERVICE not allowed)
    │   │   └── UnknownGraphError  it names a graph the store does not hold (graphs are never fetched)
    │   ├── QueryTimeoutError      a query stopped at its time limit
    │   ├── QueryMemoryError       a query stopped at a worker's memory limit
    │   ├── ServerBusyError        every query worker stayed busy for as long as a query may run
    │   └── NotAcceptableError     the client accepts none of the answer's formats
    ├── EndpointError              a remote SPARQL endpoint or graph store fails or cannot be reached
    ├── ToolError                  a library we hand our files to (pySHACL, pyLODE) fails on them
    ├── ServerError                the HTTP server cannot start (address in use, a worker that hangs)
    ├── ResourceError              a file the installed package should ship is not there
    └── MissingDependencyError     an optional extra is needed for this command

The command line maps them to exit codes in one place (``cli.py``): 2 for every error except
:class:`EndpointError`, which is 3. Third-party errors (rdflib parse errors, OS errors, SPARQLWrapper's)
are translated once, where they happen, with ``raise ... from exc`` so the cause is kept.
"""

from __future__ import annotations

from pathlib import Path


class LiberteraError(Exception):
    """Base of every error the library reports; its message is one paragraph for a person to read."""


class UsageError(LiberteraError):
    """Options or arguments that do not fit together, or a value that no option takes."""


class UnknownNameError(UsageError):
    """A canned query, view or store kind asked for by a name that does not exist."""


class InputError(LiberteraError):
    """The input given (a file, a query parameter) is wrong; the message names what and where."""


class DataFileError(InputError):
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


class QueryParameterError(InputError):
    """A canned query's parameter value is unknown, missing or of the wrong kind."""

    def __init__(self, parameter: str, value: object, expected: str):
        self.parameter = parameter
        self.value = value
        given = "no value was" if value is None else f"{str(value)!r} was"
        super().__init__(f"The parameter '{parameter}' must be {expected}; {given} given.")


class OutputError(LiberteraError):
    """A file or folder cannot be written; what was there before is left as it was."""


class QueryError(LiberteraError):
    """A query cannot be run: its SPARQL is invalid, or the engine fails while answering it."""


class QuerySyntaxError(QueryError):
    """The query's text is not valid SPARQL 1.1, as the engine that was to run it reads it."""


class ReadOnlyError(QueryError):
    """An update (INSERT, DELETE, LOAD …) was sent where only queries are accepted."""


class QueryRefusedError(QueryError):
    """A valid query that policy refuses: a SERVICE not allowed, a graph the store does not hold."""


class UnknownGraphError(QueryRefusedError):
    """A query (``FROM``, ``FROM NAMED``) or protocol request names a graph the store does not hold; such a
    graph is never fetched. The server answers 400, as the SPARQL protocol lets a service that loads no
    graphs from elsewhere."""


class QueryTimeoutError(QueryError):
    """A query ran past its time limit and was stopped."""


class QueryMemoryError(QueryError):
    """A query needed more memory than a server's worker may use, and was stopped with its worker."""


class ServerBusyError(QueryError):
    """Every query worker stayed busy with other queries for as long as a query may run; try again."""


class NotAcceptableError(QueryError):
    """The client accepts none of the formats the answer can be written in."""


class EndpointError(LiberteraError):
    """A remote SPARQL endpoint or graph store did not answer, or answered with an error."""


class ToolError(LiberteraError):
    """A library we hand our files to (pySHACL for validation, pyLODE for documentation) failed."""


class ServerError(LiberteraError):
    """The HTTP server cannot start: its address is in use, or a query worker does not come up."""


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

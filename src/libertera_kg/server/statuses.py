"""The HTTP status each error gets, and the one-paragraph plain-text answer that says what went wrong:
one place for the protocol routes and the pages alike."""

from __future__ import annotations

import logging

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response

from ..errors import (
    InputError,
    LiberteraError,
    NotAcceptableError,
    QueryError,
    QueryMemoryError,
    QueryRefusedError,
    QueryTimeoutError,
    ReadOnlyError,
    ServerBusyError,
    UnknownGraphError,
    UsageError,
)

_log = logging.getLogger("libertera_kg.server")


def status_of(exc: LiberteraError) -> int:
    """The HTTP status of an error a query met."""
    if isinstance(exc, UnknownGraphError):
        return 400  # the protocol's answer for a dataset a service will not load
    if isinstance(exc, ReadOnlyError | QueryRefusedError):
        return 403
    if isinstance(exc, NotAcceptableError):
        return 406
    if isinstance(exc, QueryTimeoutError | QueryMemoryError | ServerBusyError):
        return 503
    if isinstance(exc, QueryError | InputError | UsageError):
        return 400
    return 500


def _error(status: int, message: str) -> Response:
    """A one-paragraph plain-text error, readable by a person and by a script alike."""
    return PlainTextResponse(message + "\n", status_code=status)


async def http_error(request: Request, exc: Exception) -> Response:
    """An error the request itself causes (a bad parameter, an unknown name), with its status."""
    assert isinstance(exc, HTTPException)
    return _error(exc.status_code, exc.detail)


async def library_error(request: Request, exc: Exception) -> Response:
    """An error the library reports (a query that fails, is refused or times out), with its status."""
    assert isinstance(exc, LiberteraError)
    response = _error(status_of(exc), str(exc))
    if isinstance(exc, ServerBusyError):
        response.headers["Retry-After"] = "1"
    return response


async def internal_error(request: Request, exc: Exception) -> Response:
    """An error nobody expected: logged with its traceback, answered in one paragraph without it."""
    _log.error("%s %s failed", request.method, request.url.path, exc_info=exc)
    return _error(500, "The server met an error it did not expect; the query may be retried.")

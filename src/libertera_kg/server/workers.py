"""Queries run in worker processes, so that a query past its time limit can be stopped for good.

Neither rdflib nor pyoxigraph can interrupt a running query, so each worker is a process holding its own
copy of the store. The server hands a query to an idle worker and waits at most the time limit; a worker
that does not answer in time is killed and replaced, and the server stays up. Workers also do the work
that costs CPU (checking the query, running it, writing the answer), so the event loop never waits on it.

Slow queries do not stall everyone: the pool keeps a spare. When a request takes the last idle worker,
another starts (up to ``max_size``), so the next request finds one idle instead of waiting behind slow
queries; when load drops (no moment in ``spare_linger`` seconds when every worker was busy), workers
beyond ``size`` stop again. Without that delay, steady load started and stopped a spare again and again:
under wrk, half the server's processor time went to starting workers. A request that finds every worker busy
waits at most ``queue_wait`` for one (by default the time limit, the longest a busy one can stay busy),
then gets :class:`~libertera_kg.errors.ServerBusyError` (503).
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import multiprocessing.connection
import os
import resource
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import (
    LiberteraError,
    NotAcceptableError,
    QueryError,
    QueryMemoryError,
    QueryRefusedError,
    QueryTimeoutError,
    ReadOnlyError,
    ServerBusyError,
    ServerError,
    UnknownGraphError,
)
from ..inspection import QueryDataset
from ..query_text import UnreadableQueryError, read_query_text
from ..results import QueryResult

#: The errors a worker reports, by class name; any other is a QueryError.
_ERRORS: dict[str, type[QueryError]] = {
    cls.__name__: cls
    for cls in (
        QueryError,
        QueryRefusedError,
        UnknownGraphError,
        QueryTimeoutError,
        QueryMemoryError,
        ReadOnlyError,
        ServerBusyError,
        NotAcceptableError,
    )
}

#: How long a new worker may take to load the store before the server gives up on it, in seconds.
_START_TIMEOUT = 300


def default_max_workers() -> int:
    """Twice the processors, at least 4: spares for cheap queries while slow ones hold the others (a
    worker with the shipped graph holds about 60 MB)."""
    return max(4, 2 * (os.cpu_count() or 1))


@dataclass(frozen=True)
class QueryJob:
    """One query for a worker: its text, the dataset the request names, and the limits that apply."""

    text: str
    dataset: QueryDataset | None = None
    max_rows: int | None = None
    #: IRI prefixes a ``SERVICE`` may call; any other SERVICE is refused.
    allowed_services: tuple[str, ...] = ()
    #: The client's ``Accept`` header, and its format parameters' values (which win), for the answer's format.
    accept: str | None = None
    format_names: tuple[str, ...] = ()
    #: Return the :class:`QueryResult` itself rather than a written answer.
    raw: bool = False
    #: The endpoint's address, which relative IRIs in the query resolve against.
    base_iri: str | None = None


@dataclass(frozen=True)
class Answer:
    """What a worker returns: the query's form and either the written answer or the result itself."""

    form: str
    result: QueryResult | None = None
    body: bytes = b""
    media_type: str = ""
    #: Rows or triples in the answer, and whether the store had more than the job's ``max_rows``.
    count: int = 0
    truncated: bool = False
    #: The strong HTTP entity tag of ``body``, made where the body is written.
    etag: str = ""


@dataclass
class _Worker:
    process: Any
    connection: multiprocessing.connection.Connection
    busy: bool = field(default=False)


class WorkerPool:
    """``size`` to ``max_size`` worker processes, each with the store (``memory`` or ``oxigraph``) loaded
    from N-Quads, or each opening the same oxigraph store on disk, read-only, when ``data`` is its folder."""

    def __init__(
        self,
        store_kind: str,
        data: bytes | Path,
        *,
        size: int = 2,
        max_size: int | None = None,
        timeout: float = 30.0,
        queue_wait: float | None = None,
        max_memory: int | None = None,
        spare_linger: float = 30.0,
    ):
        self.store_kind = store_kind
        self.data = data
        self.size = size
        self.max_size = max(size, max_size or size)
        self.timeout = timeout
        #: Seconds a request waits for an idle worker before it gets 503 (default: the time limit).
        self.queue_wait = timeout if queue_wait is None else queue_wait
        #: Bytes of data (heap and private mappings) a worker may hold; a query needing more is stopped.
        self.max_memory = max_memory
        #: Seconds without a moment when every worker was busy before workers beyond ``size`` stop.
        self.spare_linger = spare_linger
        self._all_busy_at = float("-inf")
        self._context = multiprocessing.get_context("spawn")
        self._idle: asyncio.Queue[_Worker] | None = None
        self._workers: list[_Worker] = []
        self._starting = 0
        self._tasks: set[asyncio.Task[None]] = set()

    async def start(self) -> None:
        """Start ``size`` workers and wait until each has loaded the store."""
        self._idle = asyncio.Queue()
        for worker in await asyncio.gather(*(asyncio.to_thread(self._spawn) for _ in range(self.size))):
            self._workers.append(worker)
            self._idle.put_nowait(worker)

    @property
    def running(self) -> int:
        """Workers running now, busy or idle."""
        return len(self._workers)

    async def run(self, job: QueryJob) -> Answer:
        """Run ``job`` on an idle worker; raises the worker's :class:`LiberteraError`, a timeout, or
        :class:`ServerBusyError` when no worker came free within ``queue_wait``."""
        worker = await self._take()
        try:
            reply = await self._ask(worker, job)
        except QueryTimeoutError:
            self._replace(worker)
            raise
        except (EOFError, OSError, BrokenPipeError):  # the engine aborted, as Oxigraph does out of memory
            self._replace(worker)
            raise QueryMemoryError(self._memory_message()) from None
        if isinstance(reply, Answer):
            self._give_back(worker)
            return reply
        kind, message = reply
        if kind == "QueryMemoryError":  # its heap may be left in pieces: a fresh worker takes its place
            self._replace(worker)
            raise QueryMemoryError(self._memory_message())
        self._give_back(worker)
        raise _ERRORS.get(kind, QueryError)(message)

    async def _take(self) -> _Worker:
        """An idle worker, waiting at most ``queue_wait``; a spare starts when this takes the last one."""
        assert self._idle is not None, "start the pool first"
        if self._idle.empty():
            self._all_busy_at = time.monotonic()
            self._grow()
        try:
            worker = await asyncio.wait_for(self._idle.get(), self.queue_wait)
        except TimeoutError:
            raise ServerBusyError(
                f"All {self.running} query workers stayed busy with other queries for {self.queue_wait:g} "
                "seconds; try again shortly."
            ) from None
        if self._idle.empty():
            self._all_busy_at = time.monotonic()
            self._grow()
        return worker

    def _give_back(self, worker: _Worker) -> None:
        """Make ``worker`` idle again, or stop it when it is beyond ``size``, another is idle already and
        load has dropped (every worker was last busy more than ``spare_linger`` seconds ago)."""
        assert self._idle is not None
        quiet = time.monotonic() - self._all_busy_at > self.spare_linger
        if self.running > self.size and not self._idle.empty() and quiet:
            self._stop(worker)
        else:
            self._idle.put_nowait(worker)

    def _grow(self) -> None:
        """Start one more worker in the background, unless ``max_size`` are running or starting."""
        if self.running + self._starting >= self.max_size:
            return
        self._starting += 1

        async def start_one() -> None:
            try:
                fresh = await asyncio.to_thread(self._spawn)
            except ServerError as exc:  # the requests waiting get 503 in time; the pool goes on
                logging.getLogger(__name__).error("%s", exc)
                return
            finally:
                self._starting -= 1
            assert self._idle is not None
            self._workers.append(fresh)
            self._idle.put_nowait(fresh)

        task = asyncio.get_running_loop().create_task(start_one())
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    def _memory_message(self) -> str:
        limit = f"the limit of {self.max_memory // 2**20:,} MB" if self.max_memory else "the memory there is"
        return (
            f"The query needed more memory than {limit} a query worker may use, and was stopped. Make it "
            "more selective (a LIMIT, fewer unbound patterns, no ORDER BY over a large join) or ask for less."
        )

    def close(self) -> None:
        """Stop every worker."""
        for task in self._tasks:
            task.cancel()
        for worker in list(self._workers):
            self._stop(worker)

    async def _ask(self, worker: _Worker, job: QueryJob) -> Answer | tuple[str, str]:
        """Send ``job`` and wait, on the event loop itself, until the worker's answer starts to arrive
        (no thread per request: handing each to a thread cost more than a small query)."""
        loop = asyncio.get_running_loop()
        arrived: asyncio.Future[None] = loop.create_future()
        descriptor = worker.connection.fileno()
        worker.connection.send(job)

        def answer_arriving() -> None:
            if not arrived.done():
                arrived.set_result(None)

        loop.add_reader(descriptor, answer_arriving)
        try:
            await asyncio.wait_for(arrived, self.timeout)
        except TimeoutError:
            raise QueryTimeoutError(
                f"The query ran past the time limit of {self.timeout:g} seconds and was stopped. "
                "Make it more selective (a LIMIT, fewer unbound patterns) or ask for less."
            ) from None
        finally:
            loop.remove_reader(descriptor)
            # Some event loops (uvloop) leave a watched descriptor non-blocking; the answer is read whole.
            os.set_blocking(descriptor, True)
        reply: Answer | tuple[str, str] = worker.connection.recv()
        return reply

    def _replace(self, worker: _Worker) -> None:
        """Kill ``worker`` and, below ``size``, start another in the background; requests wait for an idle
        one meanwhile."""
        self._stop(worker)
        if self.running + self._starting < self.size:
            self._grow()

    def _stop(self, worker: _Worker) -> None:
        worker.process.kill()
        worker.process.join(timeout=5)
        worker.connection.close()  # else each stopped worker's pipe stays open until garbage collection
        self._workers.remove(worker)

    def _spawn(self) -> _Worker:
        parent, child = self._context.Pipe()
        process = self._context.Process(
            target=_serve,
            args=(child, self.store_kind, self.data, self.max_memory),
            name="libertera-kg-query",
            daemon=True,
        )
        process.start()
        child.close()
        if not parent.poll(_START_TIMEOUT):
            process.kill()
            raise ServerError(f"A query worker did not start within {_START_TIMEOUT} seconds.")
        started = parent.recv()
        if started != "ready":
            process.kill()
            raise ServerError(str(started))
        return _Worker(process, parent)


def _serve(
    connection: multiprocessing.connection.Connection,
    store_kind: str,
    data: bytes | Path,
    max_memory: int | None,
) -> None:
    """A worker's life: load the store, cap its memory, then answer jobs until the connection closes."""
    store = _open_store(store_kind, data)
    if max_memory is not None:
        held = _data_bytes()
        if held >= max_memory:
            connection.send(
                f"The store needs {held // 2**20:,} MB in each query worker, more than --max-memory "
                f"{max_memory // 2**20:,}; give more."
            )
            return
        # Counts the heap and private mappings (Linux 4.7 on), not the store's files mapped from disk.
        resource.setrlimit(resource.RLIMIT_DATA, (max_memory, max_memory))
    connection.send("ready")
    while True:
        try:
            job = connection.recv()
        except EOFError:
            return
        try:
            reply: Answer | tuple[str, str] = run_job(store, job)
        except MemoryError:
            reply = ("QueryMemoryError", "")
        except LiberteraError as exc:  # sent as (kind, message): not every error class can be pickled
            reply = (type(exc).__name__, str(exc))
        except Exception as exc:  # an engine's own error while evaluating: report it, keep serving
            reply = ("QueryError", f"The query failed while running: {' '.join(str(exc).split())[:500]}")
        connection.send(reply)


def _data_bytes() -> int:
    """The bytes of data (heap and private mappings) this process holds now, as RLIMIT_DATA counts them."""
    for line in Path("/proc/self/status").read_text(encoding="ascii").splitlines():
        if line.startswith("VmData:"):
            return int(line.split()[1]) * 1024
    return 0


def _open_store(store_kind: str, data: bytes | Path) -> Any:
    from rdflib import Dataset

    from ..disk_store import open_read_only
    from ..oxigraph import oxigraph_store
    from ..stores import MemoryStore

    if isinstance(data, Path):
        return open_read_only(data)
    if store_kind == "oxigraph":
        return oxigraph_store(data)
    dataset = Dataset()
    dataset.parse(data=data, format="nquads")
    return MemoryStore(dataset)


def run_job(store: Any, job: QueryJob) -> Answer:
    """Check ``job`` against the policy, run it on ``store`` and write its answer (what a worker does)."""
    from .formats import answer_type, write_answer

    try:  # the form picks the answer's format; the store's screen reads the same cached tokens
        form = read_query_text(job.text, job.base_iri).form
    except UnreadableQueryError:
        form = ""
    if form not in ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE"):
        form = ""  # an update or no query at all: the store refuses it and says why
    media_type = None if job.raw or not form else answer_type(form, job.accept, job.format_names)
    result = store.sparql(
        job.text,
        dataset=job.dataset,
        max_rows=job.max_rows,
        allowed_services=job.allowed_services,
        base_iri=job.base_iri,
    )
    if media_type is None:
        return Answer(form, result=result, count=len(result), truncated=result.truncated)
    from .answers import entity_tag

    body = write_answer(form, result, media_type)
    return Answer(form, None, body, media_type, len(result), result.truncated, entity_tag(body))

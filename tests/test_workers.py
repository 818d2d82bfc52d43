"""The query workers' pool, driven directly: spare workers stay while load lasts and stop once it drops."""

from __future__ import annotations

import asyncio

from libertera_kg.server.workers import QueryJob, WorkerPool

DATA = b'<https://example.org/s> <https://example.org/p> "o" <https://example.org/g> .\n'
JOB = QueryJob("ASK { ?s ?p ?o }", accept="application/sparql-results+json")


async def _pool_with_its_spare(spare_linger: float) -> WorkerPool:
    """A pool of one worker (two at most), sent pairs of queries until its spare runs."""
    pool = WorkerPool("oxigraph", DATA, size=1, max_size=2, timeout=120, spare_linger=spare_linger)
    await pool.start()
    for _ in range(400):
        await asyncio.gather(pool.run(JOB), pool.run(JOB))
        await asyncio.sleep(0.05)
        if pool.running == 2:
            return pool
    pool.close()
    raise AssertionError("the spare never started")


def test_steady_load_keeps_its_spare_worker() -> None:
    """Every worker busy a moment ago: the spare stays (it was stopped and started again, over and over,
    under a steady load generator)."""

    async def scenario() -> int:
        pool = await _pool_with_its_spare(spare_linger=300)
        try:
            for _ in range(5):
                answers = await asyncio.gather(pool.run(JOB), pool.run(JOB))
                assert all(b'"boolean": true' in answer.body for answer in answers)
            return pool.running
        finally:
            pool.close()

    assert asyncio.run(scenario()) == 2


def test_a_spare_stops_once_load_has_dropped() -> None:
    """No moment with every worker busy for ``spare_linger`` seconds: the next answer stops the spare."""

    async def scenario() -> int:
        pool = await _pool_with_its_spare(spare_linger=0.5)
        try:
            await asyncio.sleep(1)
            for _ in range(3):
                await pool.run(JOB)
            return pool.running
        finally:
            pool.close()

    assert asyncio.run(scenario()) == 1

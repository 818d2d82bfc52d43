"""Written answers kept for the next client that asks the same, and sent so that HTTP caches can help.

The served data never changes while the server runs, so an answer depends only on what the request
asks: the query's text, the dataset it names, the format, the row cap and the endpoint's address (all of
them fields of the :class:`~.workers.QueryJob`). An answer kept is the same bytes a worker would write
again, served without the hop to a worker; errors are never kept. The cache holds at most ``max_bytes``
of answers, the least recently used dropped first.

Every answer carries a strong ``ETag`` (a hash of its bytes, made by the worker that wrote it) and
``Cache-Control`` with the server's ``max_age``; a GET whose ``If-None-Match`` names the answer's tag gets
304 without a body.
"""

from __future__ import annotations

import hashlib
from collections import OrderedDict

from starlette.requests import Request
from starlette.responses import Response

from .workers import Answer, QueryJob


def entity_tag(body: bytes) -> str:
    """The strong entity tag of an answer's bytes."""
    return '"' + hashlib.blake2b(body, digest_size=16).hexdigest() + '"'


class AnswerCache:
    """Written answers by the job that asked for them, at most ``max_bytes`` of bodies in all (0: none)."""

    def __init__(self, max_bytes: int):
        self.max_bytes = max_bytes
        self.held_bytes = 0
        self._answers: OrderedDict[QueryJob, Answer] = OrderedDict()

    def __len__(self) -> int:
        return len(self._answers)

    def get(self, job: QueryJob) -> Answer | None:
        """The answer kept for ``job``, now the most recently used, or ``None``."""
        answer = self._answers.get(job)
        if answer is not None:
            self._answers.move_to_end(job)
        return answer

    def keep(self, job: QueryJob, answer: Answer) -> None:
        """Keep ``answer`` to ``job`` (a written one only, and only if it fits), dropping the least recently
        used answers to make room."""
        size = len(answer.body)
        if job.raw or size > self.max_bytes or job in self._answers:
            return
        while self.held_bytes + size > self.max_bytes:
            _, dropped = self._answers.popitem(last=False)
            self.held_bytes -= len(dropped.body)
        self._answers[job] = answer
        self.held_bytes += size


def answer_response(request: Request, answer: Answer, headers: dict[str, str], max_age: int) -> Response:
    """``answer`` as a response with its ``ETag`` and ``Cache-Control`` (and ``headers``), or 304 to a GET
    that already holds it."""
    media_type = answer.media_type
    if media_type.startswith("text/"):
        media_type += "; charset=utf-8"
    headers = {**headers, "ETag": answer.etag, "Cache-Control": f"public, max-age={max_age}"}
    if request.method == "GET" and _matches(request.headers.get("if-none-match"), answer.etag):
        return Response(status_code=304, headers=headers)
    return Response(answer.body, media_type=media_type, headers=headers)


def _matches(if_none_match: str | None, etag: str) -> bool:
    """Whether an ``If-None-Match`` header names ``etag`` (or is ``*``), comparing weakly as RFC 9110
    says for this header."""
    if not if_none_match:
        return False
    tags = [tag.strip().removeprefix("W/") for tag in if_none_match.split(",")]
    return "*" in tags or etag in tags

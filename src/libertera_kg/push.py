"""Load the knowledge graph into any SPARQL 1.1 store over the Graph Store HTTP Protocol, then check it.

Each named graph (the ontology, the reference data, one per source) is sent with ``PUT ?graph=IRI`` as
N-Triples, which replaces that graph and nothing else, so pushing again gives the same store. Afterwards
the store's SPARQL endpoint is asked how many triples each graph holds, and any difference is reported.
"""

from __future__ import annotations

import base64
import os
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass

from rdflib import Dataset, URIRef

from .errors import EndpointError, UsageError


@dataclass(frozen=True)
class Credentials:
    """HTTP authentication for the store: a user and password (Basic), or a bearer token."""

    user: str | None = None
    password: str | None = None
    token: str | None = None

    def header(self) -> str | None:
        """The ``Authorization`` header value, or ``None`` without credentials."""
        if self.token:
            return f"Bearer {self.token}"
        if self.user is not None:
            pair = f"{self.user}:{self.password or ''}".encode()
            return "Basic " + base64.b64encode(pair).decode("ascii")
        return None

    @classmethod
    def from_environment(cls, user: str | None, password_variable: str, token_variable: str) -> Credentials:
        """Credentials with the secret read from environment variables, never from the command line; a
        user whose password variable is unset is refused (naming it) rather than sent without one."""
        password = os.environ.get(password_variable)
        if user is not None and password is None:
            raise UsageError(
                f"A user ({user}) is given, but the environment variable {password_variable}, which must "
                "hold the password, is not set; set it (or name another with --password-env)."
            )
        return cls(user=user, password=password, token=os.environ.get(token_variable))


@dataclass(frozen=True)
class PushedGraph:
    """One named graph sent to the store: how many triples we sent and how many the store then held."""

    name: str
    sent: int
    held: int

    @property
    def complete(self) -> bool:
        return self.sent == self.held


def push(
    dataset: Dataset,
    endpoint: str,
    *,
    graph_store: str | None = None,
    credentials: Credentials | None = None,
    timeout: float = 120,
    progress: Callable[[str], None] | None = None,
) -> list[PushedGraph]:
    """Send every non-empty named graph of ``dataset`` to ``graph_store`` (default: ``endpoint``), then
    count each graph's triples through the SPARQL ``endpoint``."""
    from .stores import http_url

    credentials = credentials or Credentials()
    http_url(endpoint)
    target = http_url(graph_store, option="the graph store") if graph_store else endpoint
    sent: dict[str, int] = {}
    for graph in sorted(dataset.graphs(), key=lambda g: str(g.identifier)):
        if not isinstance(graph.identifier, URIRef) or str(graph.identifier).startswith("urn:x-rdflib:"):
            continue
        if not len(graph):
            continue
        name = str(graph.identifier)
        body = graph.serialize(format="nt", encoding="utf-8")
        url = f"{target}{'&' if '?' in target else '?'}{urllib.parse.urlencode({'graph': name})}"
        _send("PUT", url, body, "application/n-triples", credentials, timeout)
        sent[name] = len(graph)
        if progress:
            progress(f"sent {len(graph):>6} triples to <{name}>")
    held = _counts(endpoint, list(sent), credentials, timeout)
    return [PushedGraph(name, count, held.get(name, 0)) for name, count in sent.items()]


def _send(
    method: str, url: str, body: bytes, media_type: str, credentials: Credentials, timeout: float
) -> None:
    request = urllib.request.Request(url, data=body, method=method, headers={"Content-Type": media_type})
    authorization = credentials.header()
    if authorization:
        request.add_header("Authorization", authorization)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as answer:
            answer.read()
    except urllib.error.HTTPError as exc:
        detail = exc.read().decode("utf-8", "replace").strip()[:300]
        raise EndpointError(
            f"The graph store at {url.partition('?')[0]} refused the {method} ({exc.code} {exc.reason}): "
            f"{detail or 'no detail'}. Check --graph-store and the credentials."
        ) from None
    except (urllib.error.URLError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise EndpointError(f"Cannot reach the graph store at {url.partition('?')[0]}: {reason}.") from None


def _counts(endpoint: str, graphs: list[str], credentials: Credentials, timeout: float) -> dict[str, int]:
    """How many triples each of ``graphs`` holds, asked of the SPARQL endpoint."""
    from rdflib import URIRef
    from SPARQLWrapper import JSON, POST, SELECT, SPARQLWrapper

    from .catalogue import with_value_rows
    from .resources import shipped_query

    client = SPARQLWrapper(endpoint)
    client.setMethod(POST)
    client.setTimeout(int(timeout))
    client.setReturnFormat(JSON)
    authorization = credentials.header()
    if authorization:
        client.addCustomHttpHeader("Authorization", authorization)
    rows = [(URIRef(name),) for name in graphs]
    client.setQuery(with_value_rows(shipped_query("lookups/graph-sizes.rq"), ("graph",), rows))
    client.queryType = SELECT  # SPARQLWrapper guesses the form from any keyword, comments included
    try:
        answer = client.queryAndConvert()
    except Exception as exc:  # SPARQLWrapper passes on urllib's and its own errors
        raise EndpointError(
            f"The graphs were sent, but the endpoint {endpoint} cannot be queried: {exc}"
        ) from exc
    assert isinstance(answer, dict)
    return {row["graph"]["value"]: int(row["triples"]["value"]) for row in answer["results"]["bindings"]}

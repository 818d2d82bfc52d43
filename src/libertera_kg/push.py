"""Load the knowledge graph into a SPARQL 1.1 store over the Graph Store HTTP Protocol, then check it.

Each named graph (the ontology, the reference data, one per source) is sent with ``PUT ?graph=IRI`` as
N-Triples, which replaces that graph and nothing else, so pushing again gives the same store. Optionally
the merged graph (every triple once, as our own stores' default graph) is sent as well, to a named graph
or to the store's default graph: stores differ in what their default graph shows. Afterwards the store's
SPARQL endpoint is asked how many triples each named graph holds, and any difference is reported.

A user and password answer the store's challenge, HTTP Basic or Digest (Virtuoso's authenticated route
offers Digest only); a bearer token is sent with every request.
"""

from __future__ import annotations

import base64
import json
import os
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass

from rdflib import Dataset, Graph, URIRef

from .errors import EndpointError, UsageError

#: ``--union-graph default``: the store's default graph rather than a named one.
DEFAULT_GRAPH = "default"
#: The authentication schemes push answers, by what it needs for each.
_SPOKEN = {"basic": "a user and password", "digest": "a user and password", "bearer": "a token"}


@dataclass(frozen=True)
class Credentials:
    """HTTP authentication for the store: a user and password (Basic or Digest, as the store asks), or a
    bearer token."""

    user: str | None = None
    password: str | None = None
    token: str | None = None

    @property
    def kind(self) -> str | None:
        """What is given: ``"a token"``, ``"a user and password"``, or ``None``."""
        return "a token" if self.token else "a user and password" if self.user is not None else None

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
    """One graph sent to the store: how many triples we sent and how many the store then held (``None``
    for the store's default graph, which is not counted: stores differ in what it shows)."""

    name: str
    sent: int
    held: int | None

    @property
    def complete(self) -> bool:
        return self.held is None or self.sent == self.held


def push(
    dataset: Dataset,
    endpoint: str,
    *,
    graph_store: str | None = None,
    union_graph: str | None = None,
    credentials: Credentials | None = None,
    timeout: float = 120,
    progress: Callable[[str], None] | None = None,
) -> list[PushedGraph]:
    """Send every non-empty named graph of ``dataset`` to ``graph_store`` (default: ``endpoint``), and the
    merged graph to ``union_graph`` (an IRI, or ``"default"`` for the store's default graph) if given;
    then count each named graph's triples through the SPARQL ``endpoint``."""
    from .endpoint_store import http_url

    http_url(endpoint)
    target = http_url(graph_store, option="the graph store") if graph_store else endpoint
    client = _Client(credentials or Credentials(), timeout, target, endpoint)
    graphs = [
        graph
        for graph in sorted(dataset.graphs(), key=lambda g: str(g.identifier))
        if isinstance(graph.identifier, URIRef)
        and not str(graph.identifier).startswith("urn:x-rdflib:")
        and len(graph)
    ]
    sent: dict[str, int] = {}
    for graph in graphs:
        sent[str(graph.identifier)] = client.put(target, str(graph.identifier), graph)
        if progress:
            progress(f"sent {len(graph):>6} triples to <{graph.identifier}>")
    merged: PushedGraph | None = None
    if union_graph is not None:
        union = Graph()
        for graph in graphs:
            for triple in graph:
                union.add(triple)
        if union_graph == DEFAULT_GRAPH:
            merged = PushedGraph(DEFAULT_GRAPH, client.put(target, None, union), None)
        else:
            sent[union_graph] = client.put(target, union_graph, union)
        if progress:
            progress(f"sent {len(union):>6} triples, every graph merged, to the {_graph_words(union_graph)}")
    held = client.counts(endpoint, list(sent))
    pushed = [PushedGraph(name, count, held.get(name, 0)) for name, count in sent.items()]
    return pushed + ([merged] if merged else [])


def _graph_words(name: str) -> str:
    return "store's default graph" if name == DEFAULT_GRAPH else f"graph <{name}>"


class _Client:
    """The HTTP requests of one push, answering each address's authentication challenge.

    The store's challenge is asked for once per address with a HEAD, which sends no data, and then answered
    in every request: a store that refuses a request before reading its body (Virtuoso does, and closes the
    connection) would otherwise break the upload of a large graph. The password never goes out before the
    store asks and says how; Digest's hashes are urllib's.
    """

    def __init__(self, credentials: Credentials, timeout: float, *addresses: str):
        self.credentials = credentials
        self.timeout = timeout
        self.opener = urllib.request.build_opener()
        passwords = urllib.request.HTTPPasswordMgrWithDefaultRealm()
        for address in addresses:
            passwords.add_password(None, address, credentials.user or "", credentials.password or "")
        self.digest = urllib.request.HTTPDigestAuthHandler(passwords)
        self.challenges: dict[str, tuple[str, dict[str, str]] | None] = {}

    def put(self, target: str, name: str | None, graph: Graph) -> int:
        """``PUT`` ``graph`` as N-Triples into the graph ``name`` (``None``: the default graph) at the
        graph store ``target``; how many triples were sent."""
        query = urllib.parse.urlencode({"graph": name}) if name else "default"
        url = f"{target}{'&' if '?' in target else '?'}{query}"
        body = graph.serialize(format="nt", encoding="utf-8")
        self._send(urllib.request.Request(url, data=body, method="PUT"), "application/n-triples", "PUT")
        return len(graph)

    def counts(self, endpoint: str, graphs: list[str]) -> dict[str, int]:
        """How many triples each of ``graphs`` holds, asked of the SPARQL endpoint."""
        from .catalogue import with_value_rows
        from .resources import shipped_query

        text = with_value_rows(
            shipped_query("lookups/graph-sizes.rq"), ("graph",), [(URIRef(name),) for name in graphs]
        )
        request = urllib.request.Request(
            endpoint,
            data=urllib.parse.urlencode({"query": text}).encode(),
            method="POST",
            headers={"Accept": "application/sparql-results+json"},
        )
        try:
            answer = json.loads(
                self._send(request, "application/x-www-form-urlencoded", "query", service="endpoint")
            )
            rows = answer["results"]["bindings"]
            return {row["graph"]["value"]: int(row["triples"]["value"]) for row in rows}
        except (ValueError, KeyError, TypeError) as exc:
            raise EndpointError(
                f"The graphs were sent, but the endpoint {endpoint} did not answer the count as SPARQL "
                f"JSON ({exc!r})."
            ) from None

    def _send(
        self,
        request: urllib.request.Request,
        media_type: str,
        what: str,
        service: str = "graph store",
        *,
        again: bool = False,
    ) -> bytes:
        request.add_header("Content-Type", media_type)
        address = request.full_url.partition("?")[0]
        if self.credentials.token:
            request.add_header("Authorization", f"Bearer {self.credentials.token}")
        elif self.credentials.user is not None:
            self._authorize(request, address, service)
        try:
            with self.opener.open(request, timeout=self.timeout) as answer:
                return bytes(answer.read())
        except urllib.error.HTTPError as exc:
            detail = exc.read().decode("utf-8", "replace").strip()[:300]
            stale = "stale=true" in (exc.headers.get("WWW-Authenticate") or "").lower().replace('"', "")
            if exc.code == 401 and stale and not again and self.challenges.pop(address, None):
                request.remove_header("Authorization")  # the nonce expired: ask again, once
                return self._send(request, media_type, what, service, again=True)
            if exc.code == 401:
                challenges = exc.headers.get_all("WWW-Authenticate")
                raise EndpointError(self._refused(address, service, challenges)) from None
            option = "--graph-store" if service == "graph store" else "--endpoint"
            raise EndpointError(
                f"The {service} at {address} refused the {what} ({exc.code} {exc.reason}): "
                f"{detail or 'no detail'}. Check {option} and the credentials."
            ) from None
        except (urllib.error.URLError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            raise EndpointError(f"Cannot reach the {service} at {address}: {reason}.") from None

    def _authorize(self, request: urllib.request.Request, address: str, service: str) -> None:
        """Answer the challenge of ``address`` (asked once) in ``request``: Basic or Digest."""
        if address not in self.challenges:
            self.challenges[address] = self._challenge(request.full_url, address, service)
        challenge = self.challenges[address]
        if challenge is None:
            return
        scheme, parameters = challenge
        if scheme == "basic":
            pair = f"{self.credentials.user}:{self.credentials.password or ''}".encode()
            request.add_header("Authorization", "Basic " + base64.b64encode(pair).decode("ascii"))
        else:
            answer = self.digest.get_authorization(request, parameters)
            if answer is None:
                raise EndpointError(
                    f"The {service} at {address} asks for Digest authentication in a form push cannot "
                    f"answer ({', '.join(f'{k}={v}' for k, v in sorted(parameters.items()))})."
                )
            request.add_header("Authorization", f"Digest {answer}")

    def _challenge(self, url: str, address: str, service: str) -> tuple[str, dict[str, str]] | None:
        """The scheme (``basic`` or ``digest``) and parameters with which ``url`` asks for credentials,
        from a HEAD (which the Graph Store Protocol requires) that sends none; ``None`` if it asks for
        none."""
        try:
            with self.opener.open(urllib.request.Request(url, method="HEAD"), timeout=self.timeout):
                return None
        except urllib.error.HTTPError as exc:
            exc.read()
            if exc.code != 401:
                return None
            challenges = exc.headers.get_all("WWW-Authenticate") or []
        except (urllib.error.URLError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            raise EndpointError(f"Cannot reach the {service} at {address}: {reason}.") from None
        offered = {}
        for challenge in challenges:
            scheme, _, rest = challenge.strip().partition(" ")
            items = urllib.request.parse_http_list(rest)
            offered[scheme.lower()] = urllib.request.parse_keqv_list([i for i in items if "=" in i])
        for scheme in ("digest", "basic"):
            if scheme in offered:
                return scheme, offered[scheme]
        raise EndpointError(self._refused(address, service, challenges))

    def _refused(self, address: str, service: str, challenges: list[str] | None) -> str:
        """Why a 401 stands: no credentials, a scheme push does not speak, or credentials refused."""
        schemes = sorted({challenge.split()[0] for challenge in challenges or [] if challenge.strip()})
        offered = ", ".join(schemes) or "no scheme it names"
        given = self.credentials.kind
        if given is None:
            return (
                f"The {service} at {address} asks for authentication ({offered}); give --user with the "
                "password in LIBERTERA_KG_PASSWORD (or --password-env), or a token in LIBERTERA_KG_TOKEN."
            )
        if schemes and not any(_SPOKEN.get(scheme.lower()) == given for scheme in schemes):
            return (
                f"The {service} at {address} asks for authentication by {offered}, which push does not "
                f"answer with {given}: it speaks Basic and Digest (--user, with the password in an "
                "environment variable) and Bearer (a token in an environment variable)."
            )
        return f"The {service} at {address} refused the credentials ({offered}): check the user and password."

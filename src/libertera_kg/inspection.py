"""The one place that reads and rewrites rdflib's parsed-query algebra.

What a SPARQL query asks for, as rdflib's engine will read it: its form, the graphs it names, the services
it calls and the IRIs it mentions. The memory store uses it to refuse a SERVICE clause rdflib would misread
(the policy itself reads tokens, in :mod:`~libertera_kg.query_text`, the same for every engine); the
quality checks use it to find the terms a query uses; validation uses it to plan SHACL-SPARQL constraints
for a bound ``$this``. Parsing is rdflib's, cached by query text.

>>> shape = inspect_query(
...     "SELECT * FROM <https://example.org/g> WHERE { SERVICE <https://example.org/s> { ?s ?p ?o } }"
... )
>>> shape.form, shape.dataset.default_graphs, shape.services
('SELECT', ('https://example.org/g',), ('https://example.org/s',))
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from rdflib import BNode, Literal, URIRef, Variable
from rdflib.plugins.sparql.algebra import translateQuery, traverse
from rdflib.plugins.sparql.parser import parseQuery, parseUpdate
from rdflib.plugins.sparql.parserutils import CompValue
from rdflib.plugins.sparql.sparql import Query
from rdflib.term import Node

from .errors import QuerySyntaxError, ReadOnlyError

#: The query forms, by the name of rdflib's algebra node.
_FORMS = {
    "SelectQuery": "SELECT",
    "AskQuery": "ASK",
    "ConstructQuery": "CONSTRUCT",
    "DescribeQuery": "DESCRIBE",
}


@dataclass(frozen=True)
class QueryDataset:
    """The RDF dataset a query runs on: the graphs merged into its default graph, and its named graphs.

    Named by ``FROM`` and ``FROM NAMED`` in the query, or by ``default-graph-uri`` and ``named-graph-uri``
    in a SPARQL protocol request (which win). A query that names none sees the union of all graphs.
    """

    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()


@dataclass(frozen=True)
class QueryShape:
    """The form of a query (``SELECT``, ``ASK``, ``CONSTRUCT``, ``DESCRIBE``) and what it reaches for."""

    form: str
    #: The graphs its ``FROM`` and ``FROM NAMED`` clauses name, or ``None`` when it has neither.
    dataset: QueryDataset | None
    #: The ``SERVICE`` IRIs it calls; a variable service is written ``?name``.
    services: tuple[str, ...]
    #: Whether it is a ``SELECT *``, whose columns every store gives in alphabetical order (Oxigraph's
    #: order; rdflib's follows its hashing, and SPARQL leaves it open).
    select_star: bool = False
    #: SERVICE IRIs whose clause rdflib's engine would read as a call to another address.
    misread_services: tuple[str, ...] = ()

    @property
    def returns_graph(self) -> bool:
        """Whether the answer is triples (CONSTRUCT, DESCRIBE) rather than rows or a boolean."""
        return self.form in ("CONSTRUCT", "DESCRIBE")


#: How rdflib's engine (``evalServiceQuery``) finds the address a SERVICE clause calls, in its text.
_RDFLIB_SERVICE_CALL = re.compile(r"^service <(.*)>[ \n]*{(.*)}[ \n]*$", re.DOTALL | re.IGNORECASE)


@lru_cache(maxsize=512)
def inspect_query(text: str) -> QueryShape:
    """The shape of ``text``; raises :class:`ReadOnlyError` for an update, :class:`QueryError` if invalid
    (cached: a server sees the same texts again and again)."""
    # Both arguments given, as parse_query gives them: the cache's key is the arguments as passed, and a
    # query rdflib runs would otherwise be parsed twice (30 ms of a canned query's 70).
    query, select_star = _parsed(text, None)
    services: list[str] = []
    misread: list[str] = []

    def visit(node: object) -> None:
        if isinstance(node, CompValue) and node.name == "ServiceGraphPattern":
            term = node.term
            services.append(f"?{term}" if isinstance(term, Variable) else str(term))
            # rdflib's engine does not call the IRI it parsed: it matches a pattern against the clause's
            # text, and a literal or comment inside the clause can make it call another address.
            called = _RDFLIB_SERVICE_CALL.match(str(node.get("service_string") or ""))
            if called is not None and called.group(1) != str(term):
                misread.append(str(term))

    traverse(query.algebra, visitPre=visit)
    clauses = query.algebra.datasetClause or []
    dataset = QueryDataset(
        default_graphs=tuple(str(c.default) for c in clauses if c.default is not None),
        named_graphs=tuple(str(c.named) for c in clauses if c.named is not None),
    )
    return QueryShape(
        form=_FORMS[query.algebra.name],
        dataset=dataset if clauses else None,
        services=tuple(dict.fromkeys(services)),
        select_star=select_star,
        misread_services=tuple(misread),
    )


def parse_query(text: str, base_iri: str | None = None) -> Query:
    """``text`` parsed and translated to rdflib's algebra, its relative IRIs resolved against ``base_iri``
    (cached: the same text parses once)."""
    return _parsed(text, base_iri)[0]


@lru_cache(maxsize=512)
def _parsed(text: str, base_iri: str | None = None) -> tuple[Query, bool]:
    """``text`` in rdflib's algebra, and whether it is a ``SELECT *`` (which the algebra no longer says)."""
    try:
        tree = parseQuery(text)
        select_star = tree[1].name == "SelectQuery" and not tree[1].projection
        return translateQuery(tree, base=base_iri), select_star
    except Exception as exc:  # pyparsing, rdflib and recursion errors all mean "not a query we can read"
        refuse_update(text)
        raise QuerySyntaxError(f"The query is not valid SPARQL 1.1: {_parser_message(exc)}") from exc


def refuse_update(text: str) -> None:
    """Raise :class:`ReadOnlyError` if ``text`` is a SPARQL update (for an engine that only says it is
    not a query)."""
    try:
        parseUpdate(text)
    except Exception:  # not an update either
        return
    raise ReadOnlyError(
        "This is a SPARQL update (INSERT, DELETE, LOAD, CLEAR, CREATE, DROP, COPY, MOVE or ADD); "
        "the data here is read-only and only queries are accepted."
    )


def _parser_message(exc: BaseException) -> str:
    if isinstance(exc, RecursionError):
        return "it nests too deeply to be read"
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text[:500]


def mentioned_iris(text: str) -> set[URIRef]:
    """Every IRI a query mentions once its prefixes are expanded, literals' datatypes included."""
    found: set[URIRef] = set()
    stack: list[object] = [parse_query(text).algebra]
    seen: set[int] = set()
    while stack:
        item = stack.pop()
        if id(item) in seen:
            continue
        seen.add(id(item))
        if isinstance(item, URIRef):
            found.add(item)
        elif isinstance(item, Literal):
            if item.datatype is not None:
                found.add(item.datatype)
        elif isinstance(item, dict):
            stack.extend(item.values())
        elif isinstance(item, list | tuple | set):
            stack.extend(item)
    return found


def on_dataset(query: Query, dataset: QueryDataset) -> Query:
    """``query`` rewritten to run on the graphs ``dataset`` names, in place of its own FROM clauses."""
    clauses = [CompValue("DatasetClause", default=URIRef(g)) for g in dataset.default_graphs]
    clauses += [CompValue("DatasetClause", named=URIRef(g)) for g in dataset.named_graphs]
    algebra = CompValue(query.algebra.name, **{**query.algebra, "datasetClause": clauses})
    return Query(query.prologue, algebra)


def plan_from_bound(node: Any, bound: Variable) -> None:
    """Reorder every basic graph pattern under ``node`` so that it starts from ``bound`` and follows links.

    rdflib orders a pattern's triples when it parses the query, by how many constant terms each has; it
    cannot know that a caller (pySHACL, for ``$this``) will bind a variable. It so starts ``$this
    oa:hasSelector ?s . ?s a oa:TextQuoteSelector`` with the second triple, which scans every selector
    for each focus node and makes validation grow with the square of the data (8 copies of the article:
    343 s). Starting from what is bound and joining along shared variables keeps it linear (5.5 s).
    Reordering the triples of a conjunction does not change its answers.
    """
    if isinstance(node, CompValue):
        if node.name == "BGP":
            node["triples"] = _connected_order(node["triples"], {bound})
        for child in node.values():
            plan_from_bound(child, bound)
    elif isinstance(node, list | tuple):
        for child in node:
            plan_from_bound(child, bound)


def _connected_order(
    triples: list[tuple[Node, Node, Node]], bound: set[Node]
) -> list[tuple[Node, Node, Node]]:
    """Triples in a greedy join order: first those sharing most bound variables, then most constants."""
    known = set(bound)
    remaining = list(triples)
    ordered = []
    while remaining:

        def rank(index: int) -> tuple[int, int, int]:
            terms = remaining[index]
            joined = sum(1 for term in terms if term in known)
            constants = sum(1 for term in terms if not isinstance(term, Variable | BNode))
            return joined, constants, -index

        best = remaining.pop(max(range(len(remaining)), key=rank))
        ordered.append(best)
        known.update(term for term in best if isinstance(term, Variable | BNode))
    return ordered


def binds_at_top_level(node: Any, variable: Variable) -> bool:
    """Whether a triple pattern that every answer must match binds ``variable``: looked for through the
    projection, filters, assignments and joins of the query's top level, and the left side of OPTIONAL.

    Such a query, run with ``variable`` unbound, gives exactly the union of its answers with it bound to
    each value (pre-binding only joins with the pattern that binds it).
    """
    name = getattr(node, "name", None)
    if name == "BGP":
        return any(variable in triple for triple in node["triples"])
    if name in ("SelectQuery", "Project", "Distinct", "Reduced", "Filter", "Extend", "ToMultiSet", "Slice"):
        return binds_at_top_level(node.get("p"), variable)
    if name == "Join":
        return binds_at_top_level(node["p1"], variable) or binds_at_top_level(node["p2"], variable)
    if name == "LeftJoin":
        return binds_at_top_level(node["p1"], variable)
    return False


def mentions_variable(text: str, name: str) -> bool:
    """Whether the query uses the variable ``?name`` (or ``$name``) anywhere, as rdflib parsed it."""
    wanted = Variable(name)
    found = False

    def visit(node: object) -> None:
        nonlocal found
        if node == wanted:
            found = True

    traverse(parse_query(text).algebra, visitPre=visit)
    return found

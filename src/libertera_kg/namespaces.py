"""The namespaces of libertera_kg: our ontology terms, concept schemes, entities and named graphs.

``LT`` is a closed namespace: a misspelt term (``LT.Opperation``) raises an error instead of silently
minting a new IRI. A test keeps its terms equal to those the ontology declares.
"""

from __future__ import annotations

import re
from functools import cache

from rdflib import Namespace, URIRef
from rdflib.namespace import DefinedNamespace

BASE = "https://w3id.org/libertera/"

#: Entities (things the data describes), such as ``ID["country/BZ"]``.
ID = Namespace(BASE + "id/")
#: SKOS concept schemes and their concepts, such as ``CONCEPT["bound-kind/more-than"]``.
CONCEPT = Namespace(BASE + "concept/")
#: Named graphs of the dataset, one per source plus the ontology and reference data.
GRAPH = Namespace(BASE + "graph/")
#: The ontology itself (not a term in it).
ONTOLOGY_IRI = URIRef(BASE + "ontology")

SCHEMA = Namespace("https://schema.org/")
SEM = Namespace("http://semanticweb.cs.vu.nl/2009/11/sem/")
OA = Namespace("http://www.w3.org/ns/oa#")
ORG = Namespace("http://www.w3.org/ns/org#")
XKOS = Namespace("http://rdf-vocabulary.ddialliance.org/xkos#")
VANN = Namespace("http://purl.org/vocab/vann/")
WD = Namespace("http://www.wikidata.org/entity/")
GN = Namespace("http://www.geonames.org/ontology#")


class LT(DefinedNamespace):
    """The libertera ontology's classes, properties and datatypes."""

    _NS = Namespace(BASE + "ontology#")
    _fail = True

    # Classes
    Assessment: URIRef
    Case: URIRef
    City: URIRef
    Claim: URIRef
    Continent: URIRef
    Country: URIRef
    CriminalNetwork: URIRef
    Expectation: URIRef
    Figure: URIRef
    Finding: URIRef
    InternationalOrganization: URIRef
    LawEnforcementAgency: URIRef
    NewsArticle: URIRef
    Operation: URIRef
    OperationSeries: URIRef
    OperationalActivity: URIRef
    Organization: URIRef
    Person: URIRef
    Place: URIRef
    PressRelease: URIRef
    Quotation: URIRef
    ReferenceSource: URIRef
    RouteShift: URIRef
    Source: URIRef
    SourcedStatement: URIRef
    Suspect: URIRef
    TraffickingFlow: URIRef
    Trend: URIRef
    VictimGroup: URIRef
    WorldRegion: URIRef
    # Properties
    about: URIRef
    accordingTo: URIRef
    accusedOf: URIRef
    activityType: URIRef
    ageGroup: URIRef
    arrested: URIRef
    boundKind: URIRef
    carriedOutBy: URIRef
    claimObject: URIRef
    claimProperty: URIRef
    claimSubject: URIRef
    claimValue: URIRef
    coordinatedBy: URIRef
    coordinationUnitIn: URIRef
    dismantledNetwork: URIRef
    evidence: URIRef
    figureOf: URIRef
    flowDestination: URIRef
    flowOrigin: URIRef
    hasPeriod: URIRef
    hasSuspect: URIRef
    hasVictims: URIRef
    headquarteredIn: URIRef
    historicalFlow: URIRef
    inSeries: URIRef
    involvesOffence: URIRef
    involvesPerson: URIRef
    isoAlpha2: URIRef
    isoAlpha3: URIRef
    jurisdiction: URIRef
    linksCountry: URIRef
    locatedIn: URIRef
    maxAge: URIRef
    minAge: URIRef
    nickname: URIRef
    observedFlow: URIRef
    occurredIn: URIRef
    originatesFrom: URIRef
    outcome: URIRef
    participatingCountry: URIRef
    perpetratorRole: URIRef
    quantityKind: URIRef
    reportStatus: URIRef
    seriesNumber: URIRef
    setting: URIRef
    spokenBy: URIRef
    spokenInCapacity: URIRef
    statedAs: URIRef
    statedIn: URIRef
    statedValue: URIRef
    stillOngoing: URIRef
    subCountOf: URIRef
    targetsOffence: URIRef
    trendConcerns: URIRef
    trendDirection: URIRef
    victimCount: URIRef
    victimStatus: URIRef
    # Datatypes
    iccsCode: URIRef


#: The prefixes published files and queries use, in one place.
PREFIXES: dict[str, str] = {
    "lt": str(LT),
    "id": str(ID),
    "concept": str(CONCEPT),
    "schema": str(SCHEMA),
    "sem": str(SEM),
    "oa": str(OA),
    "org": str(ORG),
    "xkos": str(XKOS),
    "vann": str(VANN),
    "wd": str(WD),
    "gn": str(GN),
}

#: The short prefixes the data files use for each kind of entity and each concept scheme (``country:BR``,
#: ``offence:kidnapping``); query parameters accept them too. A test keeps them equal to the data files'.
DATA_PREFIXES: dict[str, str] = {
    "activity": str(ID["activity/"]),
    "age": str(CONCEPT["age-group/"]),
    "atype": str(CONCEPT["activity-type/"]),
    "bound": str(CONCEPT["bound-kind/"]),
    "case": str(ID["case/"]),
    "city": str(ID["city/"]),
    "continent": str(ID["continent/"]),
    "country": str(ID["country/"]),
    "exploitation": str(CONCEPT["exploitation-form/"]),
    "figure": str(ID["figure/"]),
    "finding": str(ID["finding/"]),
    "flow": str(ID["flow/"]),
    "group": str(ID["group/"]),
    "instant": str(ID["instant/"]),
    "network": str(ID["network/"]),
    "offence": str(CONCEPT["offence/"]),
    "op": str(ID["operation/"]),
    "organization": str(ID["organization/"]),
    "outcome": str(CONCEPT["case-outcome/"]),
    "period": str(ID["period/"]),
    "person": str(ID["person/"]),
    "post": str(ID["post/"]),
    "quantity": str(CONCEPT["quantity-kind/"]),
    "quotation": str(ID["quotation/"]),
    "region": str(ID["region/"]),
    "role": str(CONCEPT["perpetrator-role/"]),
    "series": str(ID["series/"]),
    "setting": str(CONCEPT["setting/"]),
    "source": str(ID["source/"]),
    "statement": str(ID["statement/"]),
    "status": str(CONCEPT["report-status/"]),
    "trend": str(CONCEPT["trend-direction/"]),
    "victim": str(CONCEPT["victim-status/"]),
    "victims": str(ID["victims/"]),
}

#: The prefixes tables show IRIs with, in the terminal and on the server's pages (where the query editor
#: declares them too): ours, the data files' (the names a query parameter takes, such as ``country:BR``)
#: and the W3C vocabularies'.
DISPLAY_PREFIXES: dict[str, str] = {
    **PREFIXES,
    **DATA_PREFIXES,
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "prov": "http://www.w3.org/ns/prov#",
    "dcterms": "http://purl.org/dc/terms/",
    "time": "http://www.w3.org/2006/time#",
    "void": "http://rdfs.org/ns/void#",
    "dcat": "http://www.w3.org/ns/dcat#",
    "sd": "http://www.w3.org/ns/sparql-service-description#",
    "formats": "http://www.w3.org/ns/formats/",
}
_BY_LENGTH = sorted(DISPLAY_PREFIXES.items(), key=lambda item: (-len(item[1]), item[0]))


@cache
def prefixed_name(iri: str) -> str:
    """``iri`` with the longest namespace of :data:`DISPLAY_PREFIXES` it starts with as its prefix
    (``country:BR``, ``id:claim/f00396…``), the form a query parameter takes; an IRI in no namespace, as is.

    >>> prefixed_name("https://w3id.org/libertera/id/country/BR")
    'country:BR'
    """
    for prefix, namespace in _BY_LENGTH:
        if iri.startswith(namespace) and len(iri) > len(namespace):
            return f"{prefix}:{iri.removeprefix(namespace)}"
    return iri


def in_words(name: str) -> str:
    """A camelCase name in words, acronyms kept: ``inXSDDate`` is "in XSD date"."""
    spaced = re.sub(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])", " ", name)
    return " ".join(word if word.isupper() and len(word) > 1 else word.lower() for word in spaced.split())

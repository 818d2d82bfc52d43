"""Synthetic data in our ontology at any size: reports of made-up operations, each with its own text.

Each operation gets a short news report (a plain text) and the facts it states, written in the same
authored form as ``data/`` (facts grouped by the quote that supports them) and compiled by the same code
(:func:`libertera_kg.sources.compile_source_file`): so every figure keeps its bound kind, every fact has a
claim, and every quote has exact text-quote and text-position selectors into its report. Countries are the
reference data's, so the reports can be loaded beside the shipped graph and validated with its shapes.
The same ``operations`` and ``seed`` give the same graph, byte for byte once sorted.
"""

from __future__ import annotations

import datetime
import random
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import SKOS

from .errors import UsageError
from .graph import KnowledgeGraph
from .namespaces import GRAPH, ID, LT

#: Code names for the made-up operations; a number makes each unique.
_CODE_NAMES = (
    "Aurora", "Beacon", "Cedar", "Delta", "Ember", "Falcon", "Granite", "Harbor", "Iris", "Juniper",
    "Keystone", "Lantern", "Meridian", "Nimbus", "Orchid", "Pioneer", "Quartz", "Ridgeline", "Sentinel",
    "Tidewater",
)  # fmt: skip

#: What a case can be: offence, outcome, setting (or None), victims' words, age group, the verb phrase.
_CASE_KINDS = (
    ("trafficking-for-forced-labour", "victims-found", "factory", "{n} workers", "adult",
     "police found {victims} held in forced labour at a factory"),
    ("sexual-exploitation-of-children", "rescue", None, "{n} children", "child",
     "officers rescued {victims} from sexual exploitation"),
    ("trafficking-for-organ-removal", "offence-documented", None, "{n} people", "adult",
     "investigators documented the trafficking of {victims} for the removal of organs"),
    ("smuggling-of-migrants", "arrest", None, "{n} migrants", "adult",
     "authorities arrested smugglers who had moved {victims} across the border"),
    ("child-pornography", "arrest", "school", "{n} pupils", "child",
     "police arrested a man who forced {victims} at a school to film abuse"),
    ("forced-labour-for-domestic-services", "victims-found", None, "{n} domestic workers", "adult",
     "inspectors found {victims} kept in domestic servitude"),
)  # fmt: skip

_PREFIXES = """@prefix activity: <https://w3id.org/libertera/id/activity/> .
@prefix age: <https://w3id.org/libertera/concept/age-group/> .
@prefix atype: <https://w3id.org/libertera/concept/activity-type/> .
@prefix bound: <https://w3id.org/libertera/concept/bound-kind/> .
@prefix case: <https://w3id.org/libertera/id/case/> .
@prefix country: <https://w3id.org/libertera/id/country/> .
@prefix figure: <https://w3id.org/libertera/id/figure/> .
@prefix instant: <https://w3id.org/libertera/id/instant/> .
@prefix lt: <https://w3id.org/libertera/ontology#> .
@prefix oa: <http://www.w3.org/ns/oa#> .
@prefix offence: <https://w3id.org/libertera/concept/offence/> .
@prefix op: <https://w3id.org/libertera/id/operation/> .
@prefix organization: <https://w3id.org/libertera/id/organization/> .
@prefix outcome: <https://w3id.org/libertera/concept/case-outcome/> .
@prefix period: <https://w3id.org/libertera/id/period/> .
@prefix quantity: <https://w3id.org/libertera/concept/quantity-kind/> .
@prefix schema: <https://schema.org/> .
@prefix sem: <http://semanticweb.cs.vu.nl/2009/11/sem/> .
@prefix setting: <https://w3id.org/libertera/concept/setting/> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix source: <https://w3id.org/libertera/id/source/> .
@prefix status: <https://w3id.org/libertera/concept/report-status/> .
@prefix time: <http://www.w3.org/2006/time#> .
@prefix victim: <https://w3id.org/libertera/concept/victim-status/> .
@prefix victims: <https://w3id.org/libertera/id/victims/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
"""


@dataclass(frozen=True)
class Country:
    """A country of the reference data: its ISO 3166-1 alpha-2 code and English name."""

    code: str
    name: str


def reference_countries(graph: Graph) -> list[Country]:
    """The countries ``graph`` gives ISO codes and English names for, by code."""
    found = []
    for country, code in graph.subject_objects(LT.isoAlpha2):
        names = [
            n for n in graph.objects(country, SKOS.prefLabel) if isinstance(n, Literal) and n.language == "en"
        ]
        if isinstance(country, URIRef) and names:
            found.append(Country(str(code), str(names[0])))
    return sorted(set(found), key=lambda c: c.code)


@dataclass(frozen=True)
class Report:
    """One synthetic report: its source IRI, its text, and its facts in the authored TriG form."""

    source: URIRef
    text: str
    trig: str


def synthetic_reports(operations: int, seed: int, countries: list[Country]) -> Iterator[Report]:
    """``operations`` reports, one per operation, the same for the same ``seed``."""
    for number in range(1, operations + 1):
        yield _report(number, random.Random(f"{seed}:{number}"), countries)


def _report(number: int, rng: random.Random, countries: list[Country]) -> Report:
    name = f"{_CODE_NAMES[(number - 1) % len(_CODE_NAMES)]} {number}"
    slug = f"synthetic-{number}"
    start = datetime.date(2018, 1, 1) + datetime.timedelta(days=rng.randrange(8 * 365))
    end = start + datetime.timedelta(days=rng.randrange(4, 21))
    arrests = rng.randrange(201, 6000)
    # "More than N" must stay below the exact count, also when the count is a round hundred.
    arrests_floor = (arrests - 1) // 100 * 100
    linked = rng.randrange(50, arrests_floor // 2) // 10 * 10
    victims_rescued = rng.randrange(100, 5000) // 100 * 100
    personnel = rng.randrange(20, 200) * 100
    chosen = rng.sample(countries, rng.randrange(2, min(7, len(countries)) + 1))
    participating = len(chosen) + rng.randrange(0, 120)

    quotes: list[tuple[str, str]] = []  # (local name, exact words), in the order of the text
    graphs: list[str] = []

    def say(local: str, words: str, facts: str) -> None:
        quotes.append((local, words[0].upper() + words[1:]))  # each quote is a whole sentence
        graphs.append(f"quote:{local} {{\n{facts}}}\n")

    op = f"op:{slug}"
    say(
        "name",
        f"INTERPOL has announced the results of Operation {name} against human trafficking",
        f'    {op} a lt:Operation ;\n        skos:prefLabel "{name}"@en ;\n'
        f"        lt:coordinatedBy organization:interpol ;\n"
        f"        lt:targetsOffence offence:trafficking-in-persons .\n",
    )
    say(
        "dates",
        f"the operation ran from {_day(start)} to {_day(end)}",
        f'    {op} schema:startDate "{start}"^^xsd:date ;\n        schema:endDate "{end}"^^xsd:date ;\n'
        f"        lt:hasPeriod period:{slug} .\n"
        f"    period:{slug} a time:ProperInterval ;\n        time:hasBeginning instant:{start} ;\n"
        f"        time:hasEnd instant:{end} .\n"
        f'    instant:{start} a time:Instant ;\n        time:inXSDDate "{start}"^^xsd:date .\n'
        f'    instant:{end} a time:Instant ;\n        time:inXSDDate "{end}"^^xsd:date .\n',
    )
    activity = f"activity:{slug}-arrests"
    arrests_activity = (
        f"    {activity} a lt:OperationalActivity ;\n"
        f'        skos:prefLabel "Arrests in Operation {name}"@en ;\n'
        f"        lt:activityType atype:arrest ;\n        sem:subEventOf {op} .\n"
    )
    figures = []

    def figure(local: str, of: str, kind: str, value: int, bound: str, stated: str, extra: str = "") -> str:
        figures.append(f"figure:{slug}-{local}")
        return (
            f"    figure:{slug}-{local} a lt:Figure ;\n        lt:figureOf {of} ;\n"
            f"        lt:quantityKind quantity:{kind} ;\n        lt:statedValue {value} ;\n"
            f'        lt:boundKind bound:{bound} ;\n        lt:statedAs "{stated}"{extra} .\n'
        )

    say(
        "arrests-exact",
        f"in all, {arrests:,} suspects were arrested",
        arrests_activity
        + figure("arrests-exact", activity, "suspects-arrested", arrests, "exact", f"{arrests:,}"),
    )
    say(
        "arrests-more-than",
        f"the operation led to the arrest of more than {arrests_floor:,} people",
        figure(
            "arrests-more-than", activity, "suspects-arrested", arrests_floor, "more-than",
            f"more than {arrests_floor:,}",
        ),
    )  # fmt: skip
    say(
        "arrests-linked",
        f"over {linked:,} of those arrested are linked to human trafficking or migrant smuggling",
        figure(
            "arrests-linked", activity, "arrests-linked-to-trafficking-or-smuggling", linked, "more-than",
            f"over {linked:,}", f" ;\n        lt:subCountOf figure:{slug}-arrests-exact",
        ),
    )  # fmt: skip
    say(
        "countries",
        f"police forces of {participating} countries took part",
        figure("countries", op, "participating-countries", participating, "exact", str(participating)),
    )
    say(
        "personnel",
        f"more than {personnel:,} officers were deployed",
        figure(
            "personnel", op, "law-enforcement-personnel", personnel, "more-than", f"more than {personnel:,}"
        ),
    )
    protection = f"activity:{slug}-victim-protection"
    say(
        "victims",
        f"over {victims_rescued:,} potential victims were protected or rescued",
        f"    {protection} a lt:OperationalActivity ;\n"
        f'        skos:prefLabel "Protection and rescue of victims in Operation {name}"@en ;\n'
        f"        lt:activityType atype:victim-protection ;\n        sem:subEventOf {op} .\n"
        + figure(
            "victims", protection, "victims-protected-or-rescued", victims_rescued, "more-than",
            f"over {victims_rescued:,}",
        ),
    )  # fmt: skip
    for index, country in enumerate(chosen, start=1):
        offence, outcome, setting, victims_words, age, action = rng.choice(_CASE_KINDS)
        count = rng.randrange(2, 60)
        victims_text = victims_words.format(n=count)
        case = f"case:{slug}-{index}"
        group = f"victims:{slug}-{index}"
        facts = (
            f"    {case} a lt:Case ;\n"
            f'        skos:prefLabel "Case {index} of Operation {name}, in {country.name}"@en ;\n'
            f"        sem:subEventOf {op} ;\n        lt:occurredIn country:{country.code} ;\n"
            f"        lt:hasVictims {group} ;\n        lt:involvesOffence offence:{offence} ;\n"
            + (f"        lt:setting setting:{setting} ;\n" if setting else "")
            + f"        lt:outcome outcome:{outcome} .\n"
            f"    {group} a lt:VictimGroup ;\n        lt:victimCount {count} ;\n"
            f"        lt:ageGroup age:{age} ;\n        lt:victimStatus victim:actual ;\n"
            f'        lt:statedAs "{victims_text}" .\n'
            f'    country:{country.code} a lt:Country ;\n        skos:prefLabel "{country.name}"@en .\n'
            f"    {op} lt:participatingCountry country:{country.code} .\n"
        )
        say(f"case-{index}", f"in {country.name}, {action.format(victims=victims_text)}", facts)
    say(
        "initial-reports",
        "all figures come from initial reports of the participating countries",
        "".join(f"    {f} lt:reportStatus status:preliminary .\n" for f in figures),
    )

    title = f"Operation {name}: {arrests_floor:,} arrests in a global operation against human trafficking"
    text = title + "\n\n" + "".join(f"{_sentence(words)} " for _, words in quotes).strip() + "\n"
    source = ID[f"source/{slug}"]
    described = (
        f"source:{slug}\n    a lt:NewsArticle ;\n"
        f'    skos:prefLabel "Synthetic report: {title}"@en ;\n'
        f'    schema:headline "{title}" ;\n    schema:inLanguage "en" ;\n'
        '    schema:description "A synthetic report made by libertera-kg synth to test the library at '
        'scale; it describes no real operation."@en .\n\n'
    )
    quote_lines = "".join(f'quote:{local} oa:exact "{words}" .\n' for local, words in quotes)
    prefix = f"@prefix quote: <https://w3id.org/libertera/id/quote/{slug}/> .\n"
    trig = _PREFIXES + prefix + "\n" + described + quote_lines + "\n" + "\n".join(graphs)
    return Report(source, text, trig)


def _sentence(words: str) -> str:
    return words + "."


def _day(day: datetime.date) -> str:
    return f"{day:%B} {day.day}, {day.year}"


def synthesize(operations: int, seed: int, kg: KnowledgeGraph) -> Dataset:
    """The compiled graphs of ``operations`` synthetic reports, one named graph per report; ``kg`` gives
    the ontology and the countries."""
    from .sources import compile_source_file, statement_classes

    statements = statement_classes(kg.ontology)
    countries = reference_countries(Dataset(store=kg.dataset.store, default_union=True))
    dataset = Dataset()
    for report in synthetic_reports(operations, seed, countries):
        authored = Dataset()
        authored.parse(data=report.trig, format="trig")
        slug = str(report.source).rsplit("/", 1)[-1]
        compile_source_file(
            authored,
            path=f"synthetic report {slug}",
            into=dataset.graph(GRAPH[slug]),
            texts={report.source: report.text},
            statement_classes=statements,
        )
    return dataset


def write_synthetic(operations: int, seed: int, path: Path) -> int:
    """Write ``operations`` synthetic reports to ``path`` as sorted N-Quads, whole or not at all; the
    number of quads written."""
    from .graph import load
    from .publish import write_atomically

    if operations < 1:
        raise UsageError(f"--operations must be 1 or more; {operations} was given.")
    if path.suffix != ".nq":
        raise UsageError(f"{path}: synthetic data is written as N-Quads; give a file name ending in .nq.")
    lines = sorted(set(synthesize(operations, seed, load()).serialize(format="nquads").splitlines()))
    lines = [line for line in lines if line.strip()]
    write_atomically(path, "\n".join(lines) + "\n")
    return len(lines)

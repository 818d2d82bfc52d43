"""Where sources differ, computed from the data: the differences the shipped sources hold, each with its
kind, and the arithmetic of bounds on two made-up sources, alike on rdflib and Oxigraph."""

from __future__ import annotations

from pathlib import Path

import pytest

from libertera_kg import KnowledgeGraph, connect, load

SOURCE = "https://w3id.org/libertera/id/source/"

# (topic, subject, first value, its source, second value, its source, kind): every difference a reader
# of the Liberterra III sources should find, the wider or primary value first.
SECTION_E = [
    ("name", "Liberterra III", "Liberterra III", "interpol-release-liberterra-iii", "Libertera 3",
     "news-article-libertera-3", "contradictory"),
    ("name", "Liberterra III", "Liberterra III", "interpol-release-liberterra-iii", "Libertera III",
     "news-article-libertera-3", "contradictory"),
    ("name", "David Caunter", "David Conter", "news-article-libertera-3", "David Caunter",
     "stern-liberterra-iii", "contradictory"),
    ("name", "Organised and Emerging Crime", "Organized and Emerging Crime Division",
     "news-article-libertera-3", "Organised and Emerging Crime", "stern-liberterra-iii", "contradictory"),
    ("potential victims protected or rescued", "Protection and rescue of victims in Liberterra III",
     "4,414", "interpol-release-liberterra-iii", "over 4,400", "news-article-libertera-3", "consistent"),
    ("potential victims protected or rescued", "Protection and rescue of victims in Liberterra III",
     "4,414", "interpol-release-liberterra-iii", "4,419", "radionicaragua-liberterra-iii", "contradictory"),
    ("trend: removal of organs", "Liberterra III", "detected", "interpol-release-liberterra-iii",
     "increasing", "news-article-libertera-3", "more precise"),
    ("trend: servitude", "Liberterra III", "detected", "interpol-release-liberterra-iii", "increasing",
     "news-article-libertera-3", "more precise"),
    ("origin of victims found in Africa", "Liberterra III", "Americas", "interpol-release-liberterra-iii",
     "South America", "news-article-libertera-3", "more precise"),
    ("age", "The man the girl rescued in El Salvador was sold to", "70 to 79", "news-article-libertera-3",
     "73", "radionicaragua-liberterra-iii", "more precise"),
    ("end date", "Liberterra III", "2025-11-21", "interpol-release-liberterra-iii", "2025-11-25",
     "clubofmozambique-liberterra-iii", "contradictory"),
    ("irregular migrants detected or identified", "Liberterra III", "12,992",
     "interpol-release-liberterra-iii", "", "news-article-libertera-3", "omitted"),
    ("trend: forced criminality", "Liberterra III", "increasing", "interpol-release-liberterra-iii", "",
     "news-article-libertera-3", "omitted"),
    ("person quoted", "Valdecy Urquiza", "Valdecy Urquiza", "interpol-release-liberterra-iii", "",
     "news-article-libertera-3", "omitted"),
]  # fmt: skip
BRAZIL = (
    "Dismantling in Brazil of a trafficking network linking "
    "Pakistan, Afghanistan, Mexico and the United States"
)


def _differences(kg: KnowledgeGraph, store: str) -> list[tuple[str, ...]]:
    rows = connect(store, graph=kg).query("where-sources-differ").to_dicts()
    return [
        tuple(
            str(row[column]).removeprefix(SOURCE)
            for column in ("topic", "subject", "value", "source", "otherValue", "otherSource", "kind")
        )
        for row in rows
    ]


@pytest.mark.parametrize("store", ["memory", "oxigraph"])
def test_every_difference_of_the_liberterra_iii_sources_has_its_kind(kg: KnowledgeGraph, store: str) -> None:
    found = _differences(kg, store)
    for difference in SECTION_E:
        assert difference in found, difference
    brazil = {(r[2], r[4], r[6]) for r in found if r[0] == "offence" and r[1] == BRAZIL}
    assert brazil == {("trafficking in persons", "smuggling of migrants", "contradictory")}
    assert all(kind != "less precise" for *_, kind in found), "a pair is turned to read 'more precise'"
    assert len(found) == len(set(found))


def test_agreeing_sources_are_no_difference(kg: KnowledgeGraph) -> None:
    """3,744 in the release and in the article, 119 countries in both: the same value is not a difference;
    nor are two figures of one source (the release's 4,414 and its headline's 4,400)."""
    found = _differences(kg, "memory")
    assert not [r for r in found if r[0] == "suspects arrested"]
    assert not [r for r in found if r[0] == "participating countries"]
    assert not [r for r in found if r[3] == r[5]]


# Two made-up sources, one figure each per subject: (subject, release's bound, number and words, the
# report's bound, number and words, the difference expected as (first source, kind), or None).
BOUNDS = [
    ("exact-and-more-than", "exact", 3744, "3,744", "more-than", 3700, "more than 3,700",
     ("release", "consistent")),
    ("about-and-exact", "about", 4400, "about 4,400", "exact", 4414, "4,414", ("release", "more precise")),
    ("exact-and-about", "exact", 4414, "4,414", "about", 4400, "about 4,400", ("report", "more precise")),
    ("about-missing", "about", 430, "about 430", "exact", 440, "440", ("release", "contradictory")),
    ("more-and-fewer", "more-than", 3700, "more than 3,700", "fewer-than", 3000, "under 3,000",
     ("release", "contradictory")),
    ("at-least-and-at-most", "at-least", 100, "at least 100", "at-most", 100, "at most 100",
     ("release", "consistent")),
    ("more-than-and-exact-below", "more-than", 720, "more than 720", "exact", 720, "720",
     ("release", "contradictory")),
    ("about-a-million", "about", 1_100_000, "1.1 million", "exact", 1_149_999, "1,149,999",
     ("release", "more precise")),
    ("same-number", "exact", 60, "60", "exact", 60, "sixty", None),
]  # fmt: skip

_PREFIXES = """\
@prefix bound: <https://w3id.org/libertera/concept/bound-kind/> .
@prefix lt: <https://w3id.org/libertera/ontology#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix quantity: <https://w3id.org/libertera/concept/quantity-kind/> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix source: <https://w3id.org/libertera/id/source/> .
@prefix test: <https://example.org/bounds/> .
"""


def _source_file(path: Path, name: str, kind: str, figures: list[tuple[str, str, int, str]]) -> Path:
    """A cited source ``name`` of class ``kind`` stating one count of suspects arrested per subject."""
    relays = " ;\n    prov:hadPrimarySource source:test-release" if name == "test-report" else ""
    lines = [_PREFIXES, f'source:{name} a lt:{kind} ;\n    skos:prefLabel "{name}"@en{relays} .\n']
    lines.append(f"source:{name} {{")
    for subject, bound, number, words in figures:
        lines.append(
            f'    test:{subject} a lt:OperationalActivity ; skos:prefLabel "{subject}"@en .\n'
            f"    test:{subject}-{name} a lt:Figure ; lt:figureOf test:{subject} ;\n"
            f"        lt:quantityKind quantity:suspects-arrested ; lt:statedValue {number} ;\n"
            f'        lt:boundKind bound:{bound} ; lt:statedAs "{words}" .'
        )
    lines.append("}\n")
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def made_up(tmp_path_factory: pytest.TempPathFactory) -> KnowledgeGraph:
    folder = tmp_path_factory.mktemp("bounds")
    release = [(subject, bound, number, words) for subject, bound, number, words, *_ in BOUNDS]
    report = [(case[0], *case[4:7]) for case in BOUNDS]
    return load(
        _source_file(folder / "test-release.trig", "test-release", "PressRelease", release),
        _source_file(folder / "test-report.trig", "test-report", "NewsArticle", report),
    )


@pytest.mark.parametrize("store", ["memory", "oxigraph"])
def test_the_kind_of_a_difference_follows_from_the_bounds(made_up: KnowledgeGraph, store: str) -> None:
    found = {row[1]: row for row in _differences(made_up, store) if row[0] == "suspects arrested"}
    for subject, *_, expected in BOUNDS:
        if expected is None:
            assert subject not in found
            continue
        first, kind = expected
        assert found[subject][3] == f"test-{first}", subject
        assert found[subject][6] == kind, subject


def test_the_readme_shows_the_query_s_own_table(kg: KnowledgeGraph) -> None:
    """README's "Sources and how they differ" holds the answer of where-sources-differ, row for row."""
    readme = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")
    shown = readme.split("<!-- where-sources-differ -->\n")[1].split("<!-- /where-sources-differ -->")[0]
    rows = [
        (topic, subject, value, source, other or "\N{EN DASH}", other_source, kind)
        for topic, subject, value, source, other, other_source, kind in _differences(kg, "memory")
    ]
    expected = [
        "| difference | about | one source says | in | the other says | in | kind |",
        "|---|---|---|---|---|---|---|",
    ]
    expected += ["| " + " | ".join(cells) + " |" for cells in rows]
    assert shown.splitlines() == expected


def test_an_official_is_named_as_the_source_quoting_him_names_him() -> None:
    """The article quotes "David Conter, Director of the Organized and Emerging Crime Division": its row
    keeps those words, beside the name the reports give him, rather than mixing the two."""
    (row,) = connect().query("officials").to_dicts()
    assert row["name"] == "David Conter"
    assert row["knownAs"] == "David Caunter"
    assert row["post"] == "Director of the Organized and Emerging Crime Division"
    assert row["unit"] == "Organized and Emerging Crime Division"
    assert str(row["source"]) == SOURCE + "news-article-libertera-3"


def test_the_overview_names_the_source_of_every_figure() -> None:
    rows = connect().query("operation-overview").to_dicts()
    victims = {
        (str(r["source"]).removeprefix(SOURCE), r["statedAs"])
        for r in rows
        if r["quantity"] == "potential victims protected or rescued"
    }
    assert victims == {
        ("interpol-release-liberterra-iii", "4,414"),
        ("interpol-release-liberterra-iii", "4,400"),
        ("news-article-libertera-3", "over 4,400"),
        ("radionicaragua-liberterra-iii", "4,419"),
    }
    assert all(r["quote"] is None for r in rows if str(r["source"]) != SOURCE + "news-article-libertera-3")

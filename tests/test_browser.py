"""The server's pages in a real headless browser (Debian's chromium, driven by Playwright): the query editor
with SELECT, CONSTRUCT and ASK, a canned query's page with its form, an entity page's links and labels,
and the descriptions of the service. Each test leaves a screenshot of the page it ends on in its
temporary folder, so that a failure can be looked at."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from conftest import RunningServer

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
#: Flags that keep chromium from reaching for the network at start (closed here) and run it as root.
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """A headless chromium; skipped, naming what to install, where it is missing (not in CI: installed)."""
    if CHROMIUM is None:
        message = "no chromium browser: install Debian's package 'chromium' (apt-get install chromium)"
        if os.environ.get("CI") == "true":
            pytest.fail(message + "; .ci/run installs it")
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_FLAGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Any, tmp_path: Path) -> Iterator[Any]:
    """A fresh page; any request beyond the server under test fails the test, and the page the test ends
    on is saved as ``screenshot.png`` in the test's temporary folder."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    opened = context.new_page()
    elsewhere: list[str] = []
    opened.on("request", lambda request: _note_foreign(request.url, elsewhere))
    errors: list[str] = []
    opened.on("pageerror", lambda error: errors.append(str(error)))
    yield opened
    opened.screenshot(path=str(tmp_path / "screenshot.png"), full_page=True)
    context.close()
    assert not elsewhere, f"the page reached beyond the server: {elsewhere}"
    assert not errors, f"the page's script failed: {errors}"


def _note_foreign(url: str, found: list[str]) -> None:
    if not url.startswith(("http://127.0.0.1:", "data:", "about:")):
        found.append(url)


def _table(page: Any, selector: str) -> list[list[str]]:
    return page.eval_on_selector_all(
        f"{selector} tr", "rows => rows.map(r => [...r.cells].map(c => c.textContent.trim()))"
    )


def _type_query(page: Any, text: str) -> None:
    """Replace the editor's text as a user does: click into it, select all, type."""
    page.click(".CodeMirror")
    page.keyboard.press("Control+A")
    page.keyboard.press("Delete")
    page.keyboard.insert_text(text)


def test_a_typed_query_runs_with_our_prefixes_declared_and_shows_size_and_time(
    page: Any, our_server: RunningServer
) -> None:
    page.goto(our_server.url)
    assert page.locator(".CodeMirror .cm-keyword").count() > 0, "the editor highlights SPARQL"
    _type_query(page, "SELECT ?code WHERE { ?case lt:occurredIn/lt:isoAlpha2 ?code } ORDER BY ?code")
    page.click("#run")
    page.wait_for_selector("#answer table.answer tbody tr")
    assert _table(page, "#answer table.answer") == [["code"], ["BR"], ["BZ"], ["CR"], ["MM"], ["MZ"], ["SV"]]
    status = page.text_content("#status")
    assert status.startswith("6 rows · "), status
    assert status.endswith(" s"), status
    editor_text = page.evaluate("document.querySelector('.CodeMirror').CodeMirror.getValue()")
    assert editor_text.startswith("PREFIX lt: <https://w3id.org/libertera/ontology#>\n"), editor_text


def test_a_construct_and_a_describe_in_the_editor_show_their_triples(
    page: Any, our_server: RunningServer
) -> None:
    page.goto(our_server.url)
    _type_query(
        page,
        "CONSTRUCT { ?country lt:isoAlpha2 ?code } WHERE { ?country lt:isoAlpha2 ?code "
        "FILTER (?code IN ('BR', 'SV')) }",
    )
    page.keyboard.press("Control+Enter")
    page.wait_for_selector("#answer table.answer tbody tr")
    rows = _table(page, "#answer table.answer")
    assert rows == [
        ["subject", "predicate", "object"],
        ["country:BR", "lt:isoAlpha2", "BR"],
        ["country:SV", "lt:isoAlpha2", "SV"],
    ]
    assert page.text_content("#status").startswith("2 triples · ")
    formats = page.eval_on_selector_all("#answer .downloads a", "links => links.map(a => a.dataset.format)")
    assert formats == ["turtle", "ntriples", "jsonld", "rdfxml"]
    _type_query(page, "DESCRIBE country:BR")
    page.click("#run")
    page.wait_for_function("document.querySelector('#status').textContent.startsWith('8 triples')")
    subjects = {row[0] for row in _table(page, "#answer table.answer")[1:]}
    assert subjects == {"country:BR"}


def test_an_ask_and_a_bad_query_in_the_editor(page: Any, our_server: RunningServer) -> None:
    page.goto(our_server.url)
    _type_query(page, "ASK { ?case a lt:Case }")
    page.click("#run")
    page.wait_for_selector("#answer .boolean")
    assert page.text_content("#answer .boolean") == "true"
    _type_query(page, "SELECT * WHERE { ?s ?p")
    page.click("#run")
    page.wait_for_selector("#status.error")
    assert page.text_content("#status").startswith("Error 400")


def test_the_editor_starts_from_a_canned_query(page: Any, our_server: RunningServer) -> None:
    page.goto(our_server.url)
    page.select_option("#start-from", "countries")
    text = page.evaluate("document.querySelector('.CodeMirror').CodeMirror.getValue()")
    assert "SELECT" in text
    assert "lt:isoAlpha2" in text
    page.click("#run")
    page.wait_for_selector("#answer table.answer tbody tr")
    assert page.locator("#answer table.answer tbody tr").count() >= 6


def test_result_cells_read_as_prefixed_names_and_plain_text_and_link_to_their_pages(
    page: Any, our_server: RunningServer
) -> None:
    page.goto(our_server.url)
    _type_query(
        page,
        "SELECT ?country ?label ?victims WHERE { ?country lt:isoAlpha2 'BR' ; skos:prefLabel ?label "
        "BIND (4414 AS ?victims) }",
    )
    page.click("#run")
    page.wait_for_selector("#answer table.answer tbody tr")
    assert _table(page, "#answer table.answer")[1] == ["country:BR", "Brazil", "4414"]
    assert page.get_attribute("#answer td.literal span", "lang") == "en", "the language stays, out of sight"
    page.click("#answer td.iri a")
    page.wait_for_selector("h1")
    assert page.text_content("h1") == "Brazil"
    assert page.url == our_server.url + "id/country/BR"


def test_numbers_never_break_and_columns_fit_their_content(page: Any, our_server: RunningServer) -> None:
    page.set_viewport_size({"width": 700, "height": 900})
    page.goto(our_server.url + "queries/cases-by-country", wait_until="networkidle")
    lines = page.eval_on_selector_all(
        "table.answer td.number, table.answer td.iri",
        """cells => cells.map(cell => {
             const range = document.createRange();
             range.selectNodeContents(cell);
             return new Set([...range.getClientRects()].map(r => Math.round(r.top))).size;
           })""",
    )
    assert lines, "the answer has numbers and prefixed names"
    assert set(lines) == {1}, "a number or a prefixed name wraps onto a second line"
    widths = page.eval_on_selector_all("table.answer thead th", "cells => cells.map(c => c.offsetWidth)")
    assert widths[0] < 120, f"the two-letter code column is {widths[0]} px wide"


def test_a_canned_query_page_has_its_form_sparql_answer_and_downloads(
    page: Any, our_server: RunningServer
) -> None:
    page.goto(our_server.url + "queries")
    page.click("a[href='/queries/cases-by-country']")
    page.wait_for_selector("h1")
    assert page.text_content("h1") == "cases-by-country"
    assert page.locator("pre.sparql .cm-keyword").count() > 0, "the SPARQL is highlighted"
    page.fill("form.parameters input[name='country']", "SV")
    page.click("form.parameters button")
    page.wait_for_selector("table.answer tbody tr")
    assert page.url == our_server.url + "queries/cases-by-country?country=SV"
    rows = _table(page, "table.answer")
    assert [row[:2] for row in rows[1:]] == [["SV", "El Salvador"]]
    downloads = page.eval_on_selector_all("#answer .downloads a", "links => links.map(a => a.href)")
    assert our_server.url + "queries/cases-by-country?country=SV&format=csv" in downloads
    assert len(downloads) == 4


def test_a_canned_query_page_with_a_bad_parameter_says_so_and_keeps_the_form(
    page: Any, our_server: RunningServer
) -> None:
    response = page.goto(our_server.url + "queries/cases-by-country?country=Brazil!")
    assert response.status == 400
    assert "country" in page.text_content("#answer .error")
    assert page.input_value("form.parameters input[name='country']") == "Brazil!"


def test_an_entity_page_names_properties_in_english_links_out_and_groups_claims(
    page: Any, our_server: RunningServer
) -> None:
    page.goto(our_server.url + "id/country/BR")
    properties = page.eval_on_selector_all(
        "table.statements tbody th", "cells => cells.map(c => c.textContent)"
    )
    assert "same as" in properties
    assert "preferred label" in properties
    assert not any(name in properties for name in ("sameAs", "prefLabel"))
    links = dict(
        page.eval_on_selector_all(
            "table.statements td a", "links => links.map(a => [a.textContent, a.getAttribute('href')])"
        )
    )
    assert links["Wikidata Q155"] == "http://www.wikidata.org/entity/Q155"
    assert links["GeoNames 3469034"] == "https://sws.geonames.org/3469034/"
    assert page.locator("a[href*='/id/claim/']").count() == 0, "claims show under their statements"
    label_sources = _table(page, "table.statements")
    assert ["preferred label", "Brazil", "news-article-libertera-3[1]"] in label_sources
    quotes = page.eval_on_selector_all(".quotes blockquote", "quotes => quotes.map(q => q.textContent)")
    assert len(quotes) == len(set(quotes)) == 1, "each quote once"


def test_an_entity_page_compares_its_sources_by_label(page: Any, our_server: RunningServer) -> None:
    page.goto(our_server.url + "id/operation/liberterra-iii")
    header = page.eval_on_selector_all("table.sources thead th", "cells => cells.map(c => c.textContent)")
    assert header[1].startswith("interpol-release-liberterra-iii"), "INTERPOL's release first"
    rows = {row[0].lstrip("≠ "): row[1:] for row in _table(page, "table.sources tbody")}
    assert "2025-11-21" in rows["end date"]
    assert not any("https://" in value for values in rows.values() for value in values)


@pytest.mark.parametrize(
    ("path", "heading"), [(".well-known/void", "The dataset (VoID)"), ("sparql", "Service description")]
)
def test_the_descriptions_read_as_pages_in_a_browser(
    page: Any, our_server: RunningServer, path: str, heading: str
) -> None:
    page.goto(our_server.url)
    page.click(f"nav a[href='/{path}']")
    page.wait_for_selector("h1")
    assert page.text_content("h1") == heading
    assert page.locator("section.resource").count() >= 1
    assert "https://w3id.org/libertera/" not in page.text_content("section.resource table th")

"""The home page in a real headless browser (Debian's chromium, driven by Playwright): a user types a query,
runs it, and reads the table; runs a canned query from the gallery; follows an entity link."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
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
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context()
    opened = context.new_page()
    yield opened
    context.close()


def _table(page: Any) -> list[list[str]]:
    return page.eval_on_selector_all(
        "#result-table tr", "rows => rows.map(r => [...r.cells].map(c => c.textContent.trim()))"
    )


def test_a_typed_query_shows_its_answer_as_a_table(page: Any, our_server: RunningServer) -> None:
    page.goto(our_server.url)
    page.fill(
        "#query",
        "PREFIX lt: <https://w3id.org/libertera/ontology#>\n"
        "SELECT ?code WHERE { ?case lt:occurredIn/lt:isoAlpha2 ?code } ORDER BY ?code",
    )
    page.click("#run")
    page.wait_for_selector("#result-table tbody tr")
    assert _table(page) == [["code"], ["BR"], ["BZ"], ["CR"], ["MM"], ["MZ"], ["SV"]]
    assert page.text_content("#status") == "6 rows"


def test_a_bad_query_shows_the_parsers_message(page: Any, our_server: RunningServer) -> None:
    page.goto(our_server.url)
    page.fill("#query", "SELECT * WHERE { ?s ?p")
    page.click("#run")
    page.wait_for_selector("#status.error")
    assert "Error 400" in page.text_content("#status")


def test_a_canned_query_runs_from_the_gallery(page: Any, our_server: RunningServer) -> None:
    page.goto(our_server.url)
    form = page.locator('form.canned[data-name="cases-by-country"]')
    form.locator('input[name="country"]').fill("BZ")
    form.locator("button").click()
    page.wait_for_selector("#result-table tbody tr")
    rows = _table(page)
    assert rows[0][:3] == ["alpha2", "countryLabel", "caseLabel"]
    assert [row[:2] for row in rows[1:]] == [["BZ", "Belize @en"]]


def test_an_entity_link_in_the_table_opens_its_page(page: Any, our_server: RunningServer) -> None:
    page.goto(our_server.url)
    page.fill(
        "#query",
        "SELECT ?country WHERE { ?country <https://w3id.org/libertera/ontology#isoAlpha2> 'BR' }",
    )
    page.click("#run")
    page.click("#result-table tbody a")
    page.wait_for_selector("h1")
    assert page.text_content("h1") == "Brazil"
    assert page.url == our_server.url + "id/country/BR"

"""Page layout in Chromium on real builds of both examples: tables fit a 1280 px screen and
A4 paper, scroll with a cue and the keyboard on a phone; the printed role page says what it
is and where it came from; accessible names are escaped once."""

from __future__ import annotations

import subprocess
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from helpers import PAGE_KINDS, built_example, served

pytestmark = pytest.mark.browser

KINDS = PAGE_KINDS
CASES = [(language, kind) for language, pages in KINDS.items() for kind in pages]
A4_CONTENT_WIDTH = 672
"""CSS pixels between the margins of an A4 page (210 mm less 2 × 16 mm, at 96 px/in)."""

WRAPPERS = ".md-typeset__scrollwrap, .hb-matrix-scroll"
OVERFLOWING = """(selector) => [...document.querySelectorAll(selector)]
  .filter((w) => w.scrollWidth > w.clientWidth)
  .map((w) => `${w.getAttribute("aria-label") || w.className}: ${w.scrollWidth} px`)"""
CUT_ON_PAPER = """(width) => {
  const cut = [];
  document.querySelectorAll(".md-typeset table").forEach((table) => {
    if (table.getBoundingClientRect().right > width + 0.5) {
      cut.push(`table ends at ${Math.round(table.getBoundingClientRect().right)} px`);
    }
    table.querySelectorAll("th, td").forEach((cell) => {
      if (cell.scrollWidth > cell.clientWidth) {
        const words = cell.textContent.trim().slice(0, 40);
        cut.push(`${words}: ${cell.scrollWidth} > ${cell.clientWidth}`);
      }
    });
  });
  return cut;
}"""


@dataclass(frozen=True)
class Site:
    """A built example handbook and where it is served."""

    handbook: Path
    url: str


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Site]]:
    handbooks = {lang: tmp_path_factory.mktemp(f"layout-{lang}") for lang in KINDS}
    built = {lang: built_example(lang, path, committed=True) for lang, path in handbooks.items()}
    with served(built["en"]) as en, served(built["pl"]) as pl:
        yield {"en": Site(handbooks["en"], en), "pl": Site(handbooks["pl"], pl)}


def _page(browser: Any, width: int) -> Any:
    return browser.new_page(viewport={"width": width, "height": 900})


@pytest.mark.parametrize(("language", "kind"), CASES)
def test_no_table_is_cut_off_at_1280_px(
    browser: Any, sites: dict[str, Site], language: str, kind: str
) -> None:
    page = _page(browser, 1280)
    page.goto(sites[language].url + KINDS[language][kind])
    overflowing = page.evaluate(OVERFLOWING, WRAPPERS)
    page.close()
    assert overflowing == [], f"{language} {kind}"


@pytest.mark.parametrize(("language", "kind"), CASES)
def test_no_table_cell_is_cut_on_a4_paper(
    browser: Any, sites: dict[str, Site], language: str, kind: str
) -> None:
    page = _page(browser, A4_CONTENT_WIDTH)
    page.goto(sites[language].url + KINDS[language][kind])
    page.emulate_media(media="print")
    cut = page.evaluate(CUT_ON_PAPER, A4_CONTENT_WIDTH)
    page.close()
    assert cut == [], f"{language} {kind}"


SCROLL_REGIONS = """(selector) => ({
  page: document.documentElement.scrollWidth - document.documentElement.clientWidth,
  regions: [...document.querySelectorAll(selector)]
    .filter((w) => w.scrollWidth > w.clientWidth)
    .map((w) => ({
      focusable: w.tabIndex === 0,
      role: w.getAttribute("role"),
      named: Boolean((w.getAttribute("aria-label") || "").trim()),
      cue: getComputedStyle(w).backgroundImage.includes("gradient"),
    })),
})"""
WIDE_ON_A_PHONE = ("measured role", "directory", "who serves a team", "scorecard")
"""Page kinds whose tables are wider than a phone in both examples."""


@pytest.mark.parametrize(("language", "kind"), CASES)
def test_on_a_phone_only_tables_scroll_with_a_cue_and_the_keyboard(
    browser: Any, sites: dict[str, Site], language: str, kind: str
) -> None:
    page = _page(browser, 390)
    page.goto(sites[language].url + KINDS[language][kind])
    found = page.evaluate(SCROLL_REGIONS, ".md-typeset__scrollwrap")
    page.close()
    assert found["page"] == 0, "the page itself never scrolls sideways"
    assert found["regions"] or kind not in WIDE_ON_A_PHONE
    expected = {"focusable": True, "role": "region", "named": True, "cue": True}
    assert all(region == expected for region in found["regions"]), found["regions"]


PRINTED = {
    "en": (
        "Northwind Components Handbook",
        "Last changed November 20, 2026, version",
        "Expectations",
    ),
    "pl": (
        "Podręcznik ról — Przykład Sp. z o.o.",
        "Ostatnia zmiana 20 listopada 2026, wersja",
        "Oczekiwania",
    ),
}


def _pdf_pages(page: Any, path: Path) -> list[str]:
    """The text of each page of ``page`` printed to A4, whitespace and ligatures folded."""
    from pypdf import PdfReader  # noqa: PLC0415 - only this test reads PDFs

    page.pdf(path=str(path), format="A4", print_background=False)
    texts = (p.extract_text() for p in PdfReader(path).pages)
    return [" ".join(unicodedata.normalize("NFKC", text).split()) for text in texts]


@pytest.mark.parametrize("language", list(KINDS))
def test_the_printed_role_page_names_its_handbook_address_and_version(
    browser: Any, sites: dict[str, Site], tmp_path: Path, language: str
) -> None:
    site = sites[language]
    address = site.url + KINDS[language]["measured role"]
    sha = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"],
        cwd=site.handbook,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    name, changed, expectations = PRINTED[language]
    page = browser.new_page()
    page.goto(address)
    screen_text = page.inner_text("article")
    printed = _pdf_pages(page, tmp_path / "role.pdf")
    page.close()
    first = printed[0]
    assert name in first and address in first, first[:400]
    assert f"{changed} {sha}" in first, first[:400]
    assert expectations in first, "the first page holds more than the header"
    assert changed not in screen_text, "the print header is for paper only"


class _Labels(HTMLParser):
    """Every ``aria-label`` of a page, as a reader hears it (entities decoded once)."""

    def __init__(self) -> None:
        super().__init__()
        self.labels: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.labels += [value or "" for key, value in attrs if key == "aria-label"]


def test_accessible_names_with_an_ampersand_are_escaped_once(sites: dict[str, Site]) -> None:
    html = (
        sites["en"].handbook / "site" / "roles" / "benefits-specialist" / "index.html"
    ).read_text("utf-8")
    parser = _Labels()
    parser.feed(html)
    assert "Previous: People & Culture" in parser.labels  # the team page comes before it
    assert "Next: Head of People & Culture" in parser.labels
    assert not [label for label in parser.labels if "&amp;" in label or "&#" in label]

"""The format reference page is generated from the schemas and stays in step with them."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import markdown
import pytest
from babel.messages.pofile import read_po

from generator import i18n
from generator.load.schema import load_schema, load_schemas, validate_role, validate_teams
from generator.load.strict_yaml import parse_yaml
from generator.render.format_reference import EXAMPLE_ROLE, EXAMPLE_TEAMS, render_format_reference


def _properties(node: Any) -> Iterator[str]:
    """The name of every property defined anywhere in a schema."""
    if isinstance(node, list):
        for item in node:
            yield from _properties(item)
    if not isinstance(node, Mapping):
        return
    for key, value in node.items():
        if key == "properties":
            yield from value
        yield from _properties(value)


@pytest.fixture(scope="module")
def page() -> str:
    return render_format_reference(load_schemas())


@pytest.mark.parametrize("name", ["role", "teams"])
def test_every_property_appears_in_a_table_row(page: str, name: str) -> None:
    rows = {m[1] for m in re.finditer(r"^\| `([a-z_]+)` \|", page, re.MULTILINE)}
    missing = set(_properties(load_schema(name))) - rows
    assert not missing


def test_every_description_appears(page: str) -> None:
    text = page.replace("\\", "").replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
    for name in ("role", "teams"):
        for prop in _all_property_schemas(load_schema(name)):
            if "description" in prop:
                assert prop["description"] in text


def _all_property_schemas(node: Any) -> Iterator[Mapping[str, Any]]:
    if isinstance(node, Mapping):
        for key, value in node.items():
            if key == "properties":
                yield from value.values()
            if key != "allOf":
                yield from _all_property_schemas(value)


def test_sections_in_reading_order(page: str) -> None:
    headings = re.findall(r"^## (.+)$", page, re.MULTILINE)
    assert headings == [
        "Teams file",
        "Team",
        "Calendar",
        "Role",
        "Responsibility",
        "Expectation",
        "Commitment",
        "Target",
        "Reward",
        "Measurements",
        "Formats",
        "Examples",
    ]
    assert page.startswith("# Role format reference\n")


def test_conditional_requirements_are_stated(page: str) -> None:
    assert "| `measure` | when `source` is `manual` (or left out) |" in page
    assert "| `commitment` | when `source` is `feedback` or when `source` is `requests` |" in page
    assert "- When `source` is `feedback`, `meets` is at least 1 and at most 5." in page


def test_tables_are_well_formed(page: str) -> None:
    for line in page.splitlines():
        if line.startswith("| "):
            cells = re.split(r"(?<!\\)\|", line)[1:-1]
            assert len(cells) == 4, line


def test_renders_as_markdown_without_raw_html(page: str) -> None:
    html = markdown.markdown(page, extensions=["tables", "fenced_code"])
    assert html.count("<table>") == 10
    assert "<team-id>" not in html
    assert "&lt;team-id&gt;" in html
    links = set(re.findall(r'href="#([^"]+)"', html))
    anchors = {"teams-file", "team", "role", "responsibility", "expectation"}
    anchors |= {"commitment", "target", "reward", "calendar", "measurements", "formats"}
    assert links <= anchors


def test_examples_are_valid() -> None:
    role, role_problems = parse_yaml(EXAMPLE_ROLE.encode(), "roles/people/benefits-specialist.yaml")
    teams, teams_problems = parse_yaml(EXAMPLE_TEAMS.encode(), "roles/teams.yaml")
    assert role is not None
    assert teams is not None
    assert role_problems == teams_problems == []
    assert validate_role(role) == []
    assert validate_teams(teams) == []


def test_rendering_is_deterministic() -> None:
    assert render_format_reference(load_schemas()) == render_format_reference(load_schemas())


# --- the page in Polish ---------------------------------------------------------

SCHEMA_DIR = Path(__file__).resolve().parents[1] / "generator" / "load" / "schemas"
POLISH_CATALOG = SCHEMA_DIR.parents[1] / "i18n" / "locale" / "pl" / "LC_MESSAGES" / "handbook.po"


@pytest.fixture(scope="module")
def polish_page() -> str:
    return render_format_reference(load_schemas(), "pl")


def _prose(page: str) -> str:
    """The page without code blocks and inline code: what a reader reads as text."""
    page = re.sub(r"```.*?```", "", page, flags=re.DOTALL)
    return re.sub(r"`[^`]*`", "", page)


def _schema_texts() -> Iterator[str]:
    for name in ("role", "teams"):
        with (SCHEMA_DIR / f"{name}.schema.json").open("rb") as handle:
            for _line, _func, text, _comments in i18n.extract_schema_descriptions(
                handle, [], [], {}
            ):
                yield text


def test_polish_page_has_no_english_labels(polish_page: str) -> None:
    prose = _prose(polish_page)
    for english in (
        "Role format reference",
        "Teams file",
        "Responsibility",
        "Commitment",
        "Field",
        "Required",
        "Type and allowed values",
        "Description",
        "Formats",
        "Examples",
        "Pattern",
        "| yes |",
        "| no |",
        "when ",
        "or left out",
        "at least",
        "at most",
        "more than",
        "up to 64",
        "characters",
        "list of",
        "mapping of",
        "default",
        "no repeats",
        "single-line text",
        "Markdown text",
        "Every role is one YAML file",
        "A complete role file",
        "The teams file",
        "Optional:",
        "At least one",
    ):
        assert english not in prose, english
    for polish in (
        "# Opis formatu ról\n",
        "## Plik zespołów",
        "## Obowiązek",
        "## Formaty",
        "## Przykłady",
        "| Pole | Wymagane | Typ i dozwolone wartości | Opis |",
        "| `id` | tak |",
        "| `reports_to` | nie |",
        "| `measure` | gdy `source` ma wartość `manual` (albo pole pominięto) |",
        "- Gdy `source` ma wartość `feedback`, `meets` wynosi co najmniej 1 i najwyżej 5.",
        "(do 64 znaków)",
        "lista wpisów typu [Obowiązek](#obowiazek) (co najmniej 1, najwyżej 40)",
        "`internal` lub `external`; domyślnie `internal`",
        "Każda rola to jeden plik YAML",
        "Wzorzec: `^[a-z0-9]+(-[a-z0-9]+)*$`",
    ):
        assert polish in polish_page, polish


@pytest.mark.parametrize("name", ["role", "teams"])
def test_polish_page_keeps_every_field_name(polish_page: str, name: str) -> None:
    rows = {m[1] for m in re.finditer(r"^\| `([a-z_]+)` \|", polish_page, re.MULTILINE)}
    assert not set(_properties(load_schema(name))) - rows


def test_every_schema_text_has_a_polish_translation() -> None:
    with POLISH_CATALOG.open("rb") as handle:
        catalog = read_po(handle, locale="pl")
    texts = set(_schema_texts())
    assert "Teams file" in texts
    assert "Plain text on a single line." in texts
    for text in texts:
        message = catalog.get(text)
        assert message is not None and message.string and not message.fuzzy, text
        assert message.string != text, text


def test_polish_page_shows_translated_descriptions(polish_page: str) -> None:
    text = polish_page.replace("\\", "").replace("&lt;", "<").replace("&gt;", ">")
    text = text.replace("&amp;", "&")
    for name in ("role", "teams"):
        for prop in _all_property_schemas(load_schema(name)):
            if "description" in prop:
                assert i18n.translate("pl", prop["description"]) in text
                assert prop["description"] not in text


def test_polish_links_point_at_the_headings_mkdocs_makes(polish_page: str) -> None:
    html = markdown.markdown(polish_page, extensions=["tables", "fenced_code", "toc"])
    anchors = set(re.findall(r'<h2 id="([^"]+)"', html))
    links = set(re.findall(r'href="#([^"]+)"', html))
    assert "formaty" in links
    assert links <= anchors
    assert html.count("<table>") == 10

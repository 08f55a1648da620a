"""The format reference page is generated from the schemas and stays in step with them."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

import markdown
import pytest

from generator.loader import parse_yaml
from generator.schema import load_schema, validate_role, validate_teams
from generator.schema_doc import EXAMPLE_ROLE, EXAMPLE_TEAMS, render_format_reference


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
    return render_format_reference()


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
        "Role",
        "Responsibility",
        "Expectation",
        "Commitment",
        "Target",
        "Reward",
        "Formats",
        "Examples",
    ]
    assert page.startswith("# Role format reference\n")


def test_conditional_requirements_are_stated(page: str) -> None:
    assert "| `measure` | when `source` is `manual` (or left out) |" in page
    assert "| `commitment` | when `source` is `feedback` |" in page
    assert "- When `source` is `feedback`, `meets` is at least 1 and at most 5." in page


def test_tables_are_well_formed(page: str) -> None:
    for line in page.splitlines():
        if line.startswith("| "):
            cells = re.split(r"(?<!\\)\|", line)[1:-1]
            assert len(cells) == 4, line


def test_renders_as_markdown_without_raw_html(page: str) -> None:
    html = markdown.markdown(page, extensions=["tables", "fenced_code"])
    assert html.count("<table>") == 8
    assert "<team-id>" not in html
    assert "&lt;team-id&gt;" in html
    links = set(re.findall(r'href="#([^"]+)"', html))
    anchors = {"teams-file", "team", "role", "responsibility", "expectation"}
    anchors |= {"commitment", "target", "reward", "formats"}
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
    assert render_format_reference() == render_format_reference()

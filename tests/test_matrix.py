"""The internal-customer map: counted without fan-out, drawn as SVG with text for every cell."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bench.org import write_handbook
from generator.load.schema import load_schemas
from generator.model.index import EVERYONE, OrgIndex
from generator.model.matrix import CustomerMatrix, served_by, serves
from generator.model.organisation import Organisation
from generator.model.settings import Settings
from generator.project import load_project
from generator.render import matrix
from generator.render.addresses import Urls
from generator.render.leaders import SIDE_NODES
from generator.render.pages import Renderer, render_site

FIXTURE = Path(__file__).parent / "fixtures" / "small"


def _loaded(root: Path) -> tuple[Organisation, Settings]:
    project, _ = load_project(root, Settings())
    return project.organisation, project.settings


def _index(root: Path) -> OrgIndex:
    project, _ = load_project(root, Settings())
    return OrgIndex.build(project.organisation)


def test_everyone_is_a_column_of_its_own() -> None:
    grid = CustomerMatrix.build(_index(FIXTURE))
    assert grid.providers == ("office", "it")
    assert grid.columns == (EVERYONE, "office", "cleaners")
    assert dict(grid.cells) == {
        ("office", "office"): 1,
        ("it", EVERYONE): 1,
        ("it", "office"): 1,  # role:director is in the office
        ("it", "cleaners"): 1,
    }
    assert grid.row("it") == [(EVERYONE, 1), ("office", 1), ("cleaners", 1)]


def test_the_example_map_has_no_fan_out(root: Path) -> None:
    index = _index(root)
    grid = CustomerMatrix.build(index)
    for_everyone = sum(
        1
        for r in index.organisation.roles.values()
        for c in r.commitments
        if EVERYONE in c.customers
    )
    assert sum(n for (_, column), n in grid.cells.items() if column == EVERYONE) == for_everyone
    assert grid.columns[0] == EVERYONE


def test_rows_list_every_served_column_in_column_order(root: Path) -> None:
    grid = CustomerMatrix.build(_index(root))
    folded = grid.folded(3)
    for matrix_ in (grid, folded, grid.folded(3, rows=False)):
        for provider in (*matrix_.providers, "no-such-team"):
            expected = [(c, matrix_.count(provider, c)) for c in matrix_.columns]
            assert matrix_.row(provider) == [(c, n) for c, n in expected if n]
    assert folded == grid.folded(3), "a matrix whose rows were read equals a fresh one"


def test_a_team_is_served_by_what_reaches_it_and_serves_its_row() -> None:
    index = _index(FIXTURE)
    grid = CustomerMatrix.build(index)
    assert served_by(index, "it") == [("office", 1)]  # team:office includes its sub-team
    assert served_by(index, "cleaners") == [("it", 1)]
    assert serves(grid, "it") == [(EVERYONE, 1), ("office", 1), ("cleaners", 1)]
    assert serves(grid, "office") == []  # the office only serves itself


@pytest.mark.parametrize(
    ("count", "shade"), [(1, 1), (2, 2), (3, 2), (4, 3), (7, 3), (8, 4), (500, 4)]
)
def test_shades_double_with_each_level(count: int, shade: int) -> None:
    assert matrix.level(count) == shade
    low, high = matrix.level_range(shade)
    assert low <= count and (high is None or count <= high)


def test_the_drawing_names_every_row_and_column_and_numbers_every_cell() -> None:
    organisation, settings = _loaded(FIXTURE)
    page = render_site(organisation, settings, schemas=load_schemas()).pages["map.md"]
    [svg] = re.findall(r'<svg class="hb-matrix".*?</svg>', page, flags=re.DOTALL)
    assert 'role="img"' in svg and 'aria-labelledby="hb-matrix-title hb-matrix-desc"' in svg
    assert '<title id="hb-matrix-title">' in svg and '<desc id="hb-matrix-desc">' in svg
    assert "<script" not in svg and "foreignObject" not in svg
    numbers = re.findall(r'<tspan x="\d+">(\d+)</tspan>', svg)
    assert numbers == ["1", "1", "1", "1"]  # one per non-empty cell, row by row
    rows = re.findall(r'<text x="\d+" y="\d+">(.*?)</text>', svg)
    assert rows == ["Head Office", "IT &#60;Support&#62;"]
    columns = re.findall(r'rotate\(-45\)"[^>]*>(.*?)</text>', svg)
    assert columns == ["Everyone", "Head Office", "Shiny Cleaning"]
    legend = page[page.index('<ul class="hb-legend"') :]
    assert "1 service</li>" in legend and "darker cells hold more" in legend
    table = page[page.index("The map as a table") :]
    assert "Everyone (1), Head Office (1), Shiny Cleaning (1)" in table


def test_long_names_are_shortened_with_the_full_name_as_title() -> None:
    name = "A team with a remarkably long and descriptive name"
    text = matrix.shorten(name)
    assert len(text) == matrix.LABEL_CHARS and text.endswith("…")
    label = matrix._label(text, name, x=1, y=2)
    assert f"<title>{name}</title>" in label and f">{text}</text>" in label


def test_a_team_with_many_providers_shows_the_rest_as_one_node(root: Path) -> None:
    organisation, settings = _loaded(root)
    page = render_site(organisation, settings, schemas=load_schemas()).pages[
        "teams/technology/index.md"
    ]
    [svg] = re.findall(r'<svg class="hb-connections".*?</svg>', page, flags=re.DOTALL)
    nodes = re.findall(r'<g class="hb-node(?: hb-node--team)?">', svg)
    index = _index(root)
    served = served_by(index, "technology")
    customers = serves(CustomerMatrix.build(index), "technology")
    assert len(served) > SIDE_NODES >= len(customers)
    assert len(nodes) == SIDE_NODES + len(customers) + 1
    rest = served[SIDE_NODES - 1 :]
    assert f"{len(rest)} more teams · {sum(n for _, n in rest)}" in svg
    # the words say it all: every provider by name, each a link
    words = page[page.index("<strong>Served by:</strong>") :]
    assert words.count('<a href="../') >= len(served)


@pytest.mark.slow
def test_the_map_of_a_thousand_roles_stays_small(tmp_path: Path) -> None:
    """1,000 roles in 40 teams: the map's Markdown (drawing and table) is well under 200 KB."""
    project, _ = load_project(write_handbook(tmp_path / "org", 1000), Settings())
    index = OrgIndex.build(project.organisation)
    page = Renderer(index, project.settings, Urls()).customer_map()
    grid = CustomerMatrix.build(index)
    assert len(grid.providers) == 40 and len(grid.cells) > 1000
    assert len(page.encode("utf-8")) < 150_000
    assert page.count("<svg") == 1 and page.count("<tspan") == len(grid.cells)

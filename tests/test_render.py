"""Golden tests for generated pages and checks that author text stays text."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest
from helpers import TODAY

from generator.load.schema import load_schemas
from generator.measure.scores import Score, Scores
from generator.model.changes import Change
from generator.model.history import HistoryEntry, RoleHistory
from generator.model.index import OrgIndex
from generator.model.organisation import Organisation
from generator.model.settings import FeedbackSettings, Settings
from generator.project import load_project
from generator.render import pages as pages_module
from generator.render.pages import render_site

FIXTURE = Path(__file__).parent / "fixtures" / "small"
GOLDEN = Path(__file__).parent / "golden"
SETTINGS = Settings(
    edit_url="https://example.org/acme/handbook/edit/main/",
    feedback=FeedbackSettings(endpoint="https://feedback.example.org/api/feedback"),
)

SCHEMAS = load_schemas()


@pytest.fixture(scope="module")
def pages() -> dict[str, str]:
    project, diags = load_project(FIXTURE, SETTINGS)
    assert [d.code for d in diags] == ["HB125", "HB126"]  # the helpdesk alone, around the clock
    return dict(render_site(project.organisation, project.settings, schemas=SCHEMAS).pages)


GOLDEN_PAGES = [
    "roles/helpdesk.md",
    "roles/director.md",
    "teams/it/index.md",
    "directory.md",
    "who-serves-me/cleaners.md",
    "everyone.md",
    "map.md",
    "teams/index.md",
]


@pytest.mark.parametrize("page", GOLDEN_PAGES)
def test_page_matches_golden(pages: dict[str, str], page: str, update_golden: bool) -> None:
    golden = GOLDEN / page.replace("/", "__")
    if update_golden:
        golden.write_text(pages[page], encoding="utf-8")
    assert golden.exists(), f"run pytest --update-golden to create {golden.name}"
    assert pages[page] == golden.read_text(encoding="utf-8")


LEADERS_DAY = dt.date(2030, 3, 1)
"""A build date after the small fixture's review dates: both roles are overdue."""


def _scores() -> Scores:
    """Feedback on both services of the small fixture: enough answers to show each team."""
    helpdesk = Score("helpdesk/it-help", 8, 3.5, (0, 1, 3, 3, 1), (("speed", 5), ("quality", 2)))
    director = Score("director/decisions", 6, 4.0, (0, 0, 1, 4, 1), (("availability", 6),))
    return Scores({s.key: s for s in (helpdesk, director)}, frozenset(), None, None, 5)


@pytest.fixture(scope="module")
def leader_pages() -> dict[str, str]:
    project, _ = load_project(FIXTURE, SETTINGS)
    site = render_site(
        project.organisation,
        project.settings,
        schemas=SCHEMAS,
        scores=_scores(),
        today=LEADERS_DAY,
    )
    return dict(site.pages)


LEADER_PAGES = {
    "workload.md": "workload.md",
    "priorities.md": "priorities.md",
    "reference/rules.md": "reference__rules.md",
    "roles/helpdesk.md": "roles__helpdesk__overdue.md",
}


@pytest.mark.parametrize("page", list(LEADER_PAGES))
def test_leaders_page_matches_golden(
    leader_pages: dict[str, str], page: str, update_golden: bool
) -> None:
    golden = GOLDEN / LEADER_PAGES[page]
    if update_golden:
        golden.write_text(leader_pages[page], encoding="utf-8")
    assert golden.exists(), f"run pytest --update-golden to create {golden.name}"
    assert leader_pages[page] == golden.read_text(encoding="utf-8")


def test_every_entity_has_a_page(pages: dict[str, str]) -> None:
    expected = {
        "roles/director.md",
        "roles/helpdesk.md",
        "teams/office/index.md",
        "teams/it/index.md",
        "teams/cleaners/index.md",
        "who-serves-me/it.md",
        "directory.md",
        "map.md",
        "who-serves-me/index.md",
        "teams/index.md",
        "reference/role-format.md",
        "reference/rules.md",
        "workload.md",
    }
    assert expected <= set(pages)


def test_author_text_is_never_markup(pages: dict[str, str]) -> None:
    page = pages["roles/helpdesk.md"]
    assert "{{" not in page and "49" not in page
    assert "<script" not in page and "onerror" not in page and "javascript:" not in page
    assert not re.search(r"<[^>]*\son\w+\s*=", page), "no event-handler attribute on any tag"
    assert re.search(r"^# Helpdesk &#123;&#123; 7&#42;7 &#125;&#125;", page, re.M)
    assert "IT help &#124; &#35; not a heading" in page


def test_reverse_index_serves_subteams_and_roles(pages: dict[str, str]) -> None:
    cleaners = pages["who-serves-me/cleaners.md"]
    assert "commitment-decisions" not in cleaners  # team:office does not reach an external team
    # everyone and team:cleaners: listed once, on the page every team's page links to
    assert "commitment-it-help" not in cleaners
    assert '<a href="../../everyone/">Services for everyone</a>' in cleaners
    assert "commitment-it-help" in pages["everyone.md"]
    for page in (
        p for p in pages if p.startswith("who-serves-me/") and p != "who-serves-me/index.md"
    ):
        assert "commitment-it-help" not in pages[page], page
    it = pages["who-serves-me/it.md"]
    assert "commitment-decisions" in it  # team:office includes its sub-team it


def test_role_page_shows_its_history() -> None:
    project, _ = load_project(FIXTURE, SETTINGS)
    change = Change("expectation-changed", "plan-on-time: meets 5 → 3 days (stricter)", "director")
    entry = HistoryEntry("2026-10-01", "Tighten the <plan> deadline", "abc1234", (change,))
    history = {"director": RoleHistory((entry,), complete=False, shallow=True)}
    page = render_site(
        project.organisation, project.settings, history=history, schemas=SCHEMAS
    ).pages
    director = page["roles/director.md"]
    assert "Tighten the &#60;plan&#62; deadline" in director
    assert "plan-on-time&#58; meets 5 → 3 days &#40;stricter&#41;" in director
    assert "Only recent history was available" in director
    assert 'class="hb-history"' not in page["roles/helpdesk.md"]


def test_role_page_carries_what_paper_needs() -> None:
    """The printed header: the handbook's name as text, the absolute address under the
    site's address, and the last change's date and version."""
    settings = Settings(
        site_name="R&D <Handbook>",
        feedback=FeedbackSettings(site_url="https://handbook.example.org/people/"),
    )
    project, _ = load_project(FIXTURE, settings)
    newer = HistoryEntry("2026-11-20", "Shorter targets", "def5678", ())
    older = HistoryEntry("2026-10-01", "First version", "abc1234", ())
    history = {"director": RoleHistory((newer, older))}
    pages = render_site(
        project.organisation, project.settings, history=history, schemas=SCHEMAS
    ).pages
    header = (
        pages["roles/director.md"]
        .split('<div class="hb-print-meta" data-search-exclude>')[1]
        .split("</div>")[0]
    )
    assert "<strong>R&#38;D &#60;Handbook&#62;</strong>" in header
    address = "https&#58;//handbook.example.org/people/roles/director/"
    assert f'<span class="hb-address">{address}</span>' in header
    assert "data-hb-address" not in header  # the site knows its own address
    assert 'Last changed <time datetime="2026-11-20">November 20, 2026</time>' in header
    assert "version <code>def5678</code>" in header and "abc1234" not in header
    helpdesk = pages["roles/helpdesk.md"].split('<div class="hb-print-meta" data-search-exclude>')[
        1
    ]
    assert "Last changed" not in helpdesk.split("</div>")[0]  # no history, no version


def test_who_serves_me_says_how_to_ask(pages: dict[str, str]) -> None:
    it_team = pages["who-serves-me/it.md"]
    assert '<th scope="col">How to ask</th>' in it_team
    assert '<td class="hb-ask">email director&#64;acme.example</td>' in it_team
    everyone = pages["everyone.md"]  # a service for everyone says how to ask on its own page
    assert (
        "<td>&#91;click&#93;&#40;javascript&#58;alert&#40;1&#41;&#41; or &#35;it-help</td>"
        in everyone
    )


def test_large_listings_split_into_one_page_per_department(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Above the limit, the directory and the services for everyone get a page per department."""
    monkeypatch.setattr(pages_module, "LISTING_LIMIT", 0)
    project, _ = load_project(FIXTURE, SETTINGS)
    site = render_site(project.organisation, project.settings, schemas=SCHEMAS)
    index = OrgIndex.build(project.organisation)
    top = site.pages["directory.md"]
    assert "commitment-" not in top
    departments = {"office": ["office"], "it": ["it"], "cleaners": ["cleaners"]}
    listed: list[str] = []
    assert not index.services_by_team.get("cleaners")
    assert "directory/cleaners.md" not in site.pages  # a department without services
    for department, teams in departments.items():
        if department == "cleaners":
            continue
        assert f'href="{department}/"' in top
        page = site.pages[f"directory/{department}.md"]
        assert page.startswith("# Who do I ask for in ")
        assert 'href="../">Every department</a>' in page
        shown = re.findall(r'#(commitment-[\w-]+)">', page)
        expected = [f"commitment-{s.commitment.id}" for t in teams
                    for s in index.services_by_team.get(t, [])]  # fmt: skip
        assert shown == expected, department
        listed += shown
    assert len(listed) == sum(len(r.commitments) for r in project.organisation.roles.values())
    everyone = [p for p in site.pages if p.startswith("everyone/")]
    assert everyone == ["everyone/it.md"]  # the one service for everyone is the helpdesk's
    assert "commitment-it-help" in site.pages["everyone/it.md"]
    nav = str(site.nav)
    assert "'directory/it.md'" in nav and "'everyone/it.md'" in nav


def test_large_workload_has_the_most_at_risk_and_a_page_per_department(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(pages_module, "WORKLOAD_LIMIT", 1)
    monkeypatch.setattr(pages_module, "WORKLOAD_TOP", 1)
    project, _ = load_project(FIXTURE, SETTINGS)
    site = render_site(project.organisation, project.settings, schemas=SCHEMAS)
    top = site.pages["workload.md"]
    rows = re.findall(r'<tr id="role-([\w-]+)">', top)
    assert rows == ["helpdesk"]  # the one most at risk: it carries the signals
    assert 'href="office/"' in top and 'href="it/"' in top
    for department, roles in (("office", ["director"]), ("it", ["helpdesk"])):
        page = site.pages[f"workload/{department}.md"]
        assert re.findall(r'<tr id="role-([\w-]+)">', page) == roles
        assert f"'workload/{department}.md'" in str(site.nav)
    assert "#single-points" in top and "commitment-it-help" in top.split("single-points")[1]


def test_map_of_a_large_organisation_draws_departments(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Above the limit, rows and columns are departments; every service is still counted."""
    from bench.org import write_handbook  # noqa: PLC0415 - a synthetic tree three levels deep

    monkeypatch.setattr(pages_module, "MAP_TEAM_LIMIT", 0)
    project, _ = load_project(write_handbook(tmp_path, 60), Settings())
    site = render_site(project.organisation, project.settings, schemas=SCHEMAS)
    table = site.pages["map.md"].split("{: #table }")[-1]
    rows = re.findall(r'<th scope="row"><a href="\.\./teams/([\w-]+)/">', table)
    assert rows == ["office", "dept-1", "dept-2", "dept-3"]
    totals = [int(n) for n in re.findall(r"</a></th><td>(\d+)</td>", table)]
    assert sum(totals) == 2 * 60
    assert "team-" not in table.split("<tbody>")[1]  # no team below a department is drawn
    assert "rows and columns are departments" in site.pages["map.md"]


def test_map_of_many_departments_adds_up_the_rest(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Above the drawn limit, the quietest departments are one row and column; none is lost."""
    from bench.org import write_handbook  # noqa: PLC0415 - a synthetic tree three levels deep

    monkeypatch.setattr(pages_module, "MAP_TEAM_LIMIT", 0)
    project, _ = load_project(write_handbook(tmp_path, 60), Settings())
    whole = render_site(project.organisation, project.settings, schemas=SCHEMAS).pages["map.md"]
    monkeypatch.setattr(pages_module, "MAP_DRAWN", 2)
    page = render_site(project.organisation, project.settings, schemas=SCHEMAS).pages["map.md"]
    drawing, table = page.split("{: #table }")
    rows = re.findall(r'<text x="\d+" y="\d+">([^<]+)</text>', drawing.split("hb-matrix__rows")[1])
    assert len(rows) == 3 and rows[-1] == "Other departments"
    cells = [int(n) for n in re.findall(r"<tspan[^>]*>(\d+)</tspan>", drawing)]
    whole_cells = [int(n) for n in re.findall(r"<tspan[^>]*>(\d+)</tspan>", whole)]
    assert len(cells) < len(whole_cells) and sum(cells) == sum(whole_cells)
    assert "the other 2 are added up" in drawing
    assert "Other departments (" in table
    providers = re.findall(r'<th scope="row"><a href="\.\./teams/([\w-]+)/">', table)
    assert providers == ["office", "dept-1", "dept-2", "dept-3"]  # every department keeps its row
    counts = [re.findall(r"\((\d+)\)", t) for t in (table, whole.split("{: #table }")[1])]
    assert sum(map(int, counts[0])) == sum(map(int, counts[1]))
    monkeypatch.setattr(pages_module, "MAP_TEAM_LIMIT", 1000)  # teams, drawn one by one
    teams = render_site(project.organisation, project.settings, schemas=SCHEMAS).pages["map.md"]
    assert "Other departments" not in teams and "added up" not in teams


def test_feedback_forms_of_a_large_organisation_offer_departments(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from bench.org import write_handbook  # noqa: PLC0415 - a synthetic tree three levels deep

    monkeypatch.setattr(pages_module, "MAP_TEAM_LIMIT", 0)
    project, _ = load_project(write_handbook(tmp_path, 60), SETTINGS)
    site = render_site(project.organisation, project.settings, schemas=SCHEMAS)
    select = site.pages["roles/role-00020.md"].split('name="team">')[1].split("</select>")[0]
    offered = re.findall(r'<option value="([\w-]+)">', select)
    assert set(offered) == {"office", "dept-1", "dept-2", "dept-3"}


def test_serve_cache_renders_a_listing_again_only_when_its_services_change(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(pages_module, "LISTING_LIMIT", 0)
    project, _ = load_project(FIXTURE, SETTINGS)
    org = project.organisation
    cache = pages_module.RenderCache()
    first = render_site(org, project.settings, schemas=SCHEMAS, cache=cache).pages
    helpdesk = org.roles["helpdesk"]
    renamed = dataclasses.replace(
        helpdesk,
        commitments=tuple(
            dataclasses.replace(c, service="Renamed help") for c in helpdesk.commitments
        ),
    )
    edited = dataclasses.replace(org, roles={**org.roles, "helpdesk": renamed})
    second = render_site(edited, project.settings, schemas=SCHEMAS, cache=cache).pages
    assert "Renamed help" in second["directory/it.md"]
    assert "Renamed help" in second["everyone/it.md"]
    assert second["directory/office.md"] is first["directory/office.md"]  # reused as it was


def _with_commitment(org: Organisation, role_id: str, **changes: Any) -> Organisation:
    role = org.roles[role_id]
    first = dataclasses.replace(role.commitments[0], **changes)
    edited = dataclasses.replace(role, commitments=(first, *role.commitments[1:]))
    return dataclasses.replace(org, roles={**org.roles, role_id: edited})


@pytest.mark.parametrize("large", [False, True], ids=["one page each", "pages by department"])
def test_serve_cache_renders_every_page_as_a_fresh_render_would(
    large: bool, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Edits that change other teams' connections, listings and workload signals."""
    from bench.org import write_handbook  # noqa: PLC0415 - teams that serve each other

    if large:
        for limit in ("LISTING_LIMIT", "MAP_TEAM_LIMIT", "WORKLOAD_LIMIT", "WORKLOAD_TOP"):
            monkeypatch.setattr(pages_module, limit, 2)

    project, _ = load_project(write_handbook(tmp_path, 120), SETTINGS)
    org = project.organisation
    role = next(r for r in org.roles.values() if r.commitments and r.reports_to)
    other = next(t for t in org.teams if t != role.team)
    boss = org.roles[role.reports_to or ""]
    steps = [org]
    on_call = [r for r in org.roles.values() if r.commitments and r.reports_to][1:5]
    for r in on_call:  # round the clock, escalating to a boss on duty in business hours
        steps.append(_with_commitment(steps[-1], r.id, hours="always", escalate_to=r.reports_to))
    for r in on_call:  # the same roles flagged, for another reason
        steps.append(_with_commitment(steps[-1], r.id, hours="always", escalate_to=None))
    steps.append(_with_commitment(steps[-1], role.id, customers=("everyone",)))
    steps.append(_with_commitment(steps[-1], role.id, customers=(f"team:{other}",)))
    steps.append(_with_commitment(steps[-1], role.id, hours="always", escalate_to=boss.id))
    if boss.commitments:
        steps.append(_with_commitment(steps[-1], boss.id, hours="always"))
    steps.append(_with_commitment(steps[-1], role.id, service="A service renamed"))
    named = next(
        c.partition(":")[2]
        for r in org.roles.values()
        for m in r.commitments
        for c in m.customers
        if c.startswith("role:")
    )
    moved = dataclasses.replace(org.roles[named], team=other)  # its customers' columns move
    steps.append(dataclasses.replace(steps[-1], roles={**steps[-1].roles, named: moved}))
    steps.append(steps[0])
    cache = pages_module.RenderCache()
    for edited in steps:
        kept = render_site(edited, project.settings, schemas=SCHEMAS, cache=cache, today=TODAY)
        fresh = render_site(edited, project.settings, schemas=SCHEMAS, today=TODAY)
        assert kept.pages.keys() == fresh.pages.keys()
        differ = [src for src, page in fresh.pages.items() if kept.pages[src] != page]
        assert not differ, f"pages kept from an earlier render: {differ}"
        assert not large or any(src.startswith("workload/") for src in kept.pages)

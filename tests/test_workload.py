"""The workload view: an organisation with known strains, each flagged exactly once.

The organisation below is written as real role files and loaded like any handbook. It has
one overloaded lead (100 % of working time, more responsibilities and commitments than
the limits), a round-the-clock 15-minute promise one administrator keeps alone and that
escalates to a business-hours role, a 30-minute promise two roles share, an overdue
review, a commitment that names nobody to escalate to, and a role that promises nothing.
"""

from __future__ import annotations

import datetime as dt
import re
import subprocess
import sys
from collections import Counter
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from helpers import TODAY, load, subprocess_env, write_org

from generator.diagnostics.values import Severity
from generator.load.schema import load_schemas
from generator.measure import workload
from generator.model.organisation import Commitment, Organisation, Role, Target, Team
from generator.model.settings import Settings, WorkloadSettings
from generator.render.pages import RenderCache, render_site


def _commitment(
    ident: str,
    service: str,
    *,
    response: str = "4h",
    hours: str = "business",
    escalate_to: str | None = None,
    customers: tuple[str, ...] = ("everyone",),
) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": ident,
        "service": service,
        "customers": list(customers),
        "request_via": "email",
        "targets": [{"priority": "urgent", "response": response}],
        "hours": hours,
    }
    if escalate_to:
        data["escalate_to"] = escalate_to
    return data


def _role(
    ident: str,
    team: str,
    *,
    reports_to: str | None,
    shares: tuple[int, ...] = (50, 30),
    commitments: tuple[dict[str, Any], ...] = (),
    review_by: str = "2035-06-30",
    unused: bool = False,
) -> dict[str, Any]:
    data: dict[str, Any] = {"id": ident, "title": ident.replace("-", " ").title(), "team": team}
    if reports_to:
        data["reports_to"] = reports_to
    data.update(
        owners=["@owner"],
        summary="Does the work.",
        review_by=review_by,
        responsibilities=[
            {"id": f"duty-{i}", "text": "Work.", "share": share} for i, share in enumerate(shares)
        ],
        expectations=[
            {
                "id": "on-time",
                "text": "On time.",
                "measure": "days late",
                "better": "lower",
                "meets": 2,
            }
        ],
        rewards=[]
        if unused
        else [{"id": "bonus", "reward": "Bonus", "requires": {"on-time": "meets"}}],
    )
    if commitments:
        data["commitments"] = list(commitments)
    return data


TEAMS = {
    "organisation": "Strained Ltd.",
    "teams": [
        {"id": "company", "name": "Company", "lead": "ceo"},
        {"id": "ops", "name": "Operations", "parent": "company", "lead": "ops-lead"},
        {"id": "it", "name": "IT", "parent": "company", "lead": "it-admin"},
        {"id": "vendor", "name": "Repair Vendor", "kind": "external", "lead": "vendor-contact"},
    ],
}
OVERLOAD = tuple(
    _commitment(f"request-{i}", f"Operations request {i}", escalate_to="ceo") for i in range(9)
)
ROLES = {
    "company/ceo": _role("ceo", "company", reports_to=None, commitments=(
        _commitment("decisions", "Decisions", response="1d"),)),
    "ops/ops-lead": _role("ops-lead", "ops", reports_to="ceo", shares=(8,) * 10 + (20,),
                          commitments=OVERLOAD),
    "ops/intern": _role("intern", "ops", reports_to="ops-lead", unused=True),
    "it/it-admin": _role("it-admin", "it", reports_to="ceo", commitments=(
        _commitment("outages", "Server outages", response="15m", hours="always",
                    escalate_to="ceo"),
        _commitment("laptops", "Laptop help", response="30m", escalate_to="ceo"))),
    "it/it-helper": _role("it-helper", "it", reports_to="it-admin", review_by="2026-12-31",
                          commitments=(_commitment("laptops", "Laptop  HELP", response="30m",
                                                   escalate_to="it-admin"),)),
    "vendor/vendor-contact": _role("vendor-contact", "vendor", reports_to="it-admin",
                                   commitments=(
        _commitment("repairs", "Hardware repairs", response="1d", escalate_to="it-admin",
                    customers=("team:it",)),
        _commitment("spare-parts", "Spare parts", response="1d", customers=("team:it",)))),
}  # fmt: skip

EXPECTED = {
    ("ops-lead", "little-slack", None),
    ("ops-lead", "too-many-responsibilities", None),
    ("ops-lead", "too-many-commitments", None),
    ("it-admin", "single-point", "outages"),
    ("it-admin", "escalation-gap", "outages"),
    ("it-helper", "review-overdue", None),
    ("vendor-contact", "escalation-gap", "spare-parts"),
    ("intern", "promises-nothing", None),
    ("intern", "unused-expectation", "on-time"),
}


@pytest.fixture(scope="module")
def strained(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_org(tmp_path_factory.mktemp("strained"), TEAMS, ROLES)


def _signals(assessed: workload.Workload) -> list[tuple[str, str, str | None]]:
    return [(r.role.id, s.kind, s.item) for r in assessed.roles for s in r.signals]


def test_each_strain_is_flagged_exactly_once(strained: Path) -> None:
    project, _ = load(strained)
    found = _signals(workload.assess(project.organisation, project.settings, TODAY))
    assert sorted(found, key=str) == sorted(EXPECTED, key=str)
    assert len(found) == len(set(found))


def test_the_reasons_are_the_ones_planted(strained: Path) -> None:
    project, _ = load(strained)
    assessed = workload.assess(project.organisation, project.settings, TODAY)
    gaps = {(r.role.id, s.item): s.detail for r, s in assessed.signals("escalation-gap")}
    assert gaps == {("it-admin", "outages"): "off-hours", ("vendor-contact", "spare-parts"): "none"}
    [(_, single)] = assessed.signals("single-point")
    assert single.detail == "15m"
    [(_, overdue)] = assessed.signals("review-overdue")
    assert overdue.detail == "2026-12-31"
    lead = next(r for r in assessed.roles if r.role.id == "ops-lead")
    assert (lead.shares, lead.slack, lead.unshared) == (100, 0, 0)


def test_validate_reports_the_same_signals_once_each(strained: Path) -> None:
    project, diags = load(strained)
    assessed = workload.assess(project.organisation, project.settings, TODAY)
    expected = Counter((r.role.source, s.code) for r in assessed.roles for s in r.signals if s.code)
    reported = Counter((d.location.file, d.code) for d in diags)
    assert reported == expected
    assert {d.severity for d in diags} == {Severity.WARNING, Severity.INFO}


def test_the_most_at_risk_come_first(strained: Path) -> None:
    project, _ = load(strained)
    assessed = workload.assess(project.organisation, project.settings, TODAY)
    order = [r.role.id for r in assessed.roles]
    assert order[:2] == ["ops-lead", "it-admin"]
    assert order[-1] == "ceo" and not assessed.roles[-1].signals
    risks = [r.risk for r in assessed.roles]
    assert risks == sorted(risks, reverse=True)


def test_thresholds_come_from_the_settings(strained: Path) -> None:
    relaxed = Settings(
        max_responsibilities=20,
        max_commitments=20,
        workload=WorkloadSettings(slack_below=0, short_target="10m"),
    )
    project, _ = load(strained, relaxed)
    found = set(_signals(workload.assess(project.organisation, relaxed, TODAY)))
    assert not any(role == "ops-lead" for role, _, _ in found)
    assert ("it-admin", "single-point", "outages") in found  # round the clock all the same
    strict = Settings(workload=WorkloadSettings(slack_below=25, short_target="1d"))
    found = set(_signals(workload.assess(project.organisation, strict, TODAY)))
    assert ("ceo", "little-slack", None) in found  # 80 %: 20 % free is less than 25 %
    assert ("ceo", "single-point", "decisions") in found  # a first response within a day
    assert ("it-admin", "single-point", "laptops") not in found  # the helper keeps it too


def test_a_rule_turned_off_is_not_shown_either(strained: Path) -> None:
    quiet = Settings(rules={"HB125": None, "escalation-gap": None})
    project, diags = load(strained, quiet)
    kinds = {kind for _, kind, _ in _signals(workload.assess(project.organisation, quiet, TODAY))}
    assert not kinds & {"single-point", "escalation-gap"}
    assert not {"HB125", "HB126"} & {d.code for d in diags}


def test_an_escalation_to_an_unknown_role_is_a_gap_but_reported_as_hb101() -> None:
    role = Role(
        "a",
        "A",
        "t",
        "",
        "a.yaml",
        (),
        (),
        commitments=(Commitment("c", "C", ("everyone",), "email", (), escalate_to="nobody"),),
    )
    organisation = Organisation("O", {"t": Team("t", "T")}, {"a": role})
    assert workload.escalation_gap(role, role.commitments[0], organisation.roles) == "unknown"


def test_a_role_without_shares_is_not_judged_on_slack() -> None:
    role = Role("a", "A", "t", "", "a.yaml", (), ())
    organisation = Organisation("O", {"t": Team("t", "T")}, {"a": role})
    [load_] = workload.assess(organisation, Settings(), None).roles
    assert load_.shares is None and load_.slack is None
    assert [s.kind for s in load_.signals] == ["promises-nothing"]


def _page_links(page: str) -> Counter[str]:
    return Counter(re.findall(r'reference/rules/#([a-z0-9-]+)"', page))


def test_the_workload_page_flags_each_once_and_links_its_rule(strained: Path) -> None:
    project, _ = load(strained)
    site = render_site(project.organisation, project.settings, schemas=load_schemas(), today=TODAY)
    page = site.pages["workload.md"]
    assert _page_links(page) == {
        "hb108": 2,
        "hb125": 1,
        "hb126": 2,
        "hb109": 1,
        "hb111": 1,
        "hb112": 1,
        "signal-little-slack": 1,
    }
    roles = re.findall(r'<tr id="role-([a-z-]+)">', page)
    assert roles[:2] == ["ops-lead", "it-admin"] and len(roles) == len(ROLES)
    rules = site.pages["reference/rules.md"]
    for anchor in _page_links(page):
        assert f'<tr id="{anchor}">' in rules, anchor
    it_team = site.pages["teams/it/index.md"]
    assert re.findall(r'<tr id="role-([a-z-]+)">', it_team) == ["it-admin", "it-helper"]
    assert _page_links(it_team) == {"hb125": 1, "hb126": 1, "hb109": 1}


def test_an_overdue_role_page_says_so_first(strained: Path) -> None:
    project, _ = load(strained)
    pages = render_site(
        project.organisation, project.settings, schemas=load_schemas(), today=TODAY
    ).pages
    helper = pages["roles/it-helper.md"]
    notice = helper.index('class="admonition warning hb-stale"')
    assert notice < helper.index('class="hb-role-meta"')
    assert "due for review by December 31, 2026" in helper
    assert "hb-stale" not in pages["roles/it-admin.md"]
    before = render_site(
        project.organisation, project.settings, schemas=load_schemas(), today=dt.date(2026, 12, 31)
    ).pages
    assert "hb-stale" not in before["roles/it-helper.md"]  # due on the day, not overdue


def test_workload_options_are_read_from_mkdocs_yml(tmp_path: Path) -> None:
    options = {"workload": {"slack_below": 25, "short_target": "1d"}}
    write_org(tmp_path, TEAMS, ROLES, mkdocs=options)
    result = subprocess.run(
        [sys.executable, "-m", "generator.cli", "validate", str(tmp_path), "--format", "json"],
        capture_output=True,
        text=True,
        env=subprocess_env(),
        check=False,
    )
    assert '"HB125"' in result.stdout and "ceo.yaml" in result.stdout, result.stdout


def test_a_bad_short_target_is_a_clear_error(tmp_path: Path) -> None:
    write_org(tmp_path, TEAMS, ROLES, mkdocs={"workload": {"short_target": "soon"}})
    result = subprocess.run(
        [sys.executable, "-m", "generator.cli", "validate", str(tmp_path)],
        capture_output=True,
        text=True,
        env=subprocess_env(),
        check=False,
    )
    assert result.returncode == 1
    assert "'soon' is not a duration; write e.g. 15m, 2h, 1d or 1w" in result.stderr
    assert "Traceback" not in result.stderr


def _service(ident: str, name: str, **values: Any) -> Commitment:
    return Commitment(ident, name, ("everyone",), "email", (Target("urgent", "15m"),), **values)


def _org(*roles: Role) -> Organisation:
    return Organisation("O", {"t": Team("t", "T")}, {role.id: role for role in roles})


def test_kept_loads_follow_the_roles_that_other_roles_depend_on() -> None:
    """A role's load is reused only while the roles its signals read from are unchanged."""
    desk = Role(
        "desk",
        "Desk",
        "t",
        "",
        "desk.yaml",
        (),
        (),
        reports_to="boss",
        commitments=(_service("night", "Night line", hours="always", escalate_to="boss"),),
    )
    boss = Role(
        "boss", "Boss", "t", "", "boss.yaml", (), (), commitments=(_service("d", "Decide"),)
    )
    helper = Role("helper", "Helper", "t", "", "helper.yaml", (), (), reports_to="boss")
    helper_shares = replace(helper, commitments=(_service("n", "night  LINE", hours="always"),))
    boss_on_duty = replace(boss, commitments=(_service("d", "Decide", hours="always"),))
    cache: workload.LoadCache = {}
    steps = [
        _org(desk, boss, helper),
        _org(desk, boss, helper_shares),  # the desk's night line is no longer kept alone
        _org(desk, boss_on_duty, helper_shares),  # its escalation now reaches someone on duty
        _org(desk, boss_on_duty),  # the helper leaves: the desk is alone again
    ]
    kinds = []
    for organisation in steps:
        before = dict(cache)
        kept = workload.assess(organisation, Settings(), TODAY, cache)
        assert kept == workload.assess(organisation, Settings(), TODAY)
        assert cache.keys() == organisation.roles.keys()
        desk_load = next(load for load in kept.roles if load.role.id == "desk")
        kinds.append(sorted(s.kind for s in desk_load.signals))
        reused = [
            load.role.id for load in kept.roles if before.get(load.role.id, (0, 0))[1] is load
        ]
        assert reused or not before, "the roles whose inputs are unchanged keep their load"
    assert kinds == [
        ["escalation-gap", "single-point"],
        ["escalation-gap"],
        [],
        ["single-point"],
    ]


def test_kept_loads_are_dropped_when_the_settings_or_the_date_change() -> None:
    cache = RenderCache()
    loads = cache.loads_for(Settings(), TODAY)
    workload.assess(_org(Role("a", "A", "t", "", "a.yaml", (), ())), Settings(), TODAY, loads)
    assert cache.loads_for(Settings(), TODAY) is loads and loads
    assert not cache.loads_for(Settings(), TODAY + dt.timedelta(days=1))
    workload.assess(_org(Role("a", "A", "t", "", "a.yaml", (), ())), Settings(), TODAY, loads)
    assert not cache.loads_for(Settings(max_commitments=1), TODAY)

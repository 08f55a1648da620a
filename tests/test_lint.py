"""The linter's rules, each with a passing and a failing organisation written to disk."""

from __future__ import annotations

import copy
import datetime as dt
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from helpers import (
    DELETE,
    ROLE_FILES,
    TODAY,
    diagnostics,
    epoch_of,
    locate_in,
    role_with,
    set_field,
    teams_with,
    valid_roles,
    valid_teams,
    with_code,
    write_valid_org,
)

from generator.check import RULES, LintContext, RoleEntry
from generator.diagnostics.values import Diagnostic, Severity
from generator.load.construct import role_from_data, team_from_data
from generator.load.strict_yaml import load_yaml
from generator.model.calendar import BusinessCalendar
from generator.model.settings import Settings
from generator.project import build_date

RULE_CODES = sorted(r.code for r in RULES)
AGENT = "roles/" + ROLE_FILES["helpdesk-agent"]
LEAD = "roles/" + ROLE_FILES["helpdesk-lead"]
DIRECTOR = "roles/" + ROLE_FILES["director"]
VENDOR = "roles/" + ROLE_FILES["vendor-manager"]
TEAMS = "roles/teams.yaml"


# --- helpers -------------------------------------------------------------------------------


def rule_named(code: str) -> Any:
    """The registered rule with ``code``."""
    (found,) = [r for r in RULES if r.code == code]
    return found


def one(diags: Sequence[Diagnostic], code: str) -> Diagnostic:
    """The single diagnostic with ``code``; fail with every headline otherwise."""
    found = with_code(diags, code)
    assert len(found) == 1, [d.headline for d in diags]
    return found[0]


def value_pos(root: Path, file: str, prefix: str, value: str, *, nth: int = 0) -> tuple[int, int]:
    """(line, column) of ``value`` where it follows ``prefix`` in ``root/file``."""
    line, column = locate_in(root, file, prefix + value, nth=nth)
    return line, column + len(prefix)


def check(
    diag: Diagnostic,
    *,
    code: str,
    severity: Severity,
    file: str,
    at: tuple[int, int],
    path: str,
    message: str,
    hint: str | None = None,
) -> None:
    """Compare every field of a diagnostic that a user sees."""
    seen = (
        diag.code,
        diag.severity,
        diag.location.file,
        (diag.location.line, diag.location.column),
        diag.path,
        diag.message,
    )
    assert seen == (code, severity, file, at, path, message)
    if hint is not None:
        assert diag.hint == hint


def unchecked_context(
    root: Path, settings: Settings | None = None, today: dt.date = TODAY
) -> LintContext:
    """The linter's view of an organisation, built without the schema check.

    The schema already refuses some values the linter also guards against; this reaches
    the rule itself.
    """
    teams_doc, problems = load_yaml(root / TEAMS, TEAMS)
    assert teams_doc is not None, problems
    teams = tuple(team_from_data(t) for t in teams_doc.data["teams"])
    entries = []
    for path in sorted((root / "roles").rglob("*.yaml")):
        if path.name == "teams.yaml":
            continue
        display = path.relative_to(root).as_posix()
        doc, problems = load_yaml(path, display)
        assert doc is not None, problems
        entries.append(RoleEntry(role_from_data(doc.data, display), doc))
    return LintContext(
        tuple(entries),
        teams,
        teams_doc,
        frozenset(e.role.id for e in entries),
        frozenset(t.id for t in teams),
        settings or Settings(),
        today,
    )


# --- the rules themselves ------------------------------------------------------------------


def test_rules_have_unique_codes_names_and_docstrings() -> None:
    codes = [r.code for r in RULES]
    names = [r.name for r in RULES]
    assert len(set(codes)) == len(codes)
    assert len(set(names)) == len(names)
    for r in RULES:
        assert re.fullmatch(r"HB1[0-9]{2}", r.code), r.code
        assert re.fullmatch(r"[a-z]+(-[a-z0-9]+)*", r.name), r.name
        assert isinstance(r.severity, Severity)
        parts = [part for part in (r.whole, r.local) if part is not None]
        assert parts, r.code
        for part in parts:
            assert part.__doc__ and r.summary == part.__doc__.strip(), r.code


@pytest.fixture(scope="module")
def valid_diagnostics(tmp_path_factory: pytest.TempPathFactory) -> list[Diagnostic]:
    """Every diagnostic of the valid organisation (there are none)."""
    return diagnostics(write_valid_org(tmp_path_factory.mktemp("valid")))


def test_valid_organisation_is_clean(valid_diagnostics: list[Diagnostic]) -> None:
    assert [d.headline for d in valid_diagnostics] == []


@pytest.mark.parametrize("code", RULE_CODES)
def test_rule_passes_on_valid_organisation(
    code: str, valid_diagnostics: list[Diagnostic], tmp_path: Path
) -> None:
    assert with_code(valid_diagnostics, code) == []
    assert list(rule_named(code).check(unchecked_context(write_valid_org(tmp_path)))) == []


def _no_top(root: Path) -> None:
    write_valid_org(root, roles=role_with("director", ("reports_to",), "helpdesk-lead"))


def _changed(role_id: str, path: tuple[str | int, ...], value: Any) -> Callable[[Path], None]:
    def write(root: Path) -> None:
        write_valid_org(root, roles=role_with(role_id, path, value))

    return write


# One failing organisation per rule; each rule is run on it directly, so rules whose
# values the schema refuses first are reached too.
FAILING: dict[str, Callable[[Path], None]] = {
    "HB101": _changed("helpdesk-agent", ("team",), "suport"),
    "HB102": lambda root: write_valid_org(
        root, teams=teams_with(("teams", 3), {"id": "support", "name": "Again"})
    ),
    "HB103": _changed("helpdesk-agent", ("reports_to",), "helpdesk-agent"),
    "HB104": lambda root: write_valid_org(
        root, teams=teams_with(("teams", 0, "parent"), "support")
    ),
    "HB105": _changed("helpdesk-agent", ("expectations", 0, "exceeds"), 90),
    "HB106": _changed("helpdesk-lead", ("commitments", 0, "targets", 0, "response"), "9h"),
    "HB107": _changed("helpdesk-lead", ("responsibilities", 1, "share"), 31),
    "HB108": _changed(
        "helpdesk-agent",
        ("responsibilities",),
        [{"id": f"task-{i}", "text": "Work."} for i in range(11)],
    ),
    "HB109": _changed("vendor-manager", ("review_by",), "2026-12-31"),
    "HB110": _changed("vendor-manager", ("owners",), DELETE),
    "HB111": _changed("vendor-manager", ("commitments",), DELETE),
    "HB112": _changed("vendor-manager", ("rewards",), DELETE),
    "HB113": lambda root: write_valid_org(
        root, roles={"support/agent.yaml": valid_roles()[ROLE_FILES["helpdesk-agent"]]}
    ),
    "HB115": _no_top,
    "HB116": _changed("helpdesk-agent", ("commitments", 0, "escalate_to"), "helpdesk-agent"),
    "HB117": lambda root: write_valid_org(root, teams=teams_with(("teams", 1, "lead"), "director")),
    "HB118": _changed("helpdesk-lead", ("expectations", 1, "exceeds"), 6),
    "HB119": _changed("helpdesk-lead", ("commitments", 0, "targets", 0, "priority"), "asap"),
    "HB121": _changed("vendor-manager", ("commitments", 0, "targets", 0, "resolution"), "0d"),
    "HB141": lambda root: write_valid_org(
        root, teams=teams_with(("teams", 3), {"id": "index", "name": "Index", "parent": "company"})
    ),
    "HB142": lambda root: write_valid_org(root, teams=_deep_teams(17)),
    "HB143": _changed("vendor-manager", ("commitments", 0, "targets", 0, "resolution"), "367d"),
    "HB125": _changed("helpdesk-agent", ("commitments", 0, "hours"), "always"),
    "HB126": _changed("helpdesk-agent", ("commitments", 0, "escalate_to"), DELETE),
}


def _after(at: tuple[int, int], key: str) -> tuple[int, int]:
    """The position of the value that follows ``key`` at ``at``."""
    return at[0], at[1] + len(key)


def _deep_teams(levels: int) -> dict[str, Any]:
    """The valid teams plus a chain of ``levels`` teams below the top team."""
    teams = valid_teams()
    parent = "company"
    for level in range(2, levels + 1):
        teams["teams"].append({"id": f"level-{level}", "name": f"Level {level}", "parent": parent})
        parent = f"level-{level}"
    return teams


def test_every_rule_has_a_failing_example() -> None:
    assert sorted(FAILING) == RULE_CODES


@pytest.mark.parametrize("code", RULE_CODES)
def test_rule_fails_on_its_example(code: str, tmp_path: Path) -> None:
    FAILING[code](tmp_path)
    found = list(rule_named(code).check(unchecked_context(tmp_path)))
    assert found
    assert {d.code for d in found} == {code}


# --- HB101 dangling references -------------------------------------------------------------


@dataclass(frozen=True)
class Reference:
    """A reference written into one field of a role, and what the linter says about it."""

    role_id: str
    field: tuple[str | int, ...]
    value: str
    prefix: str
    path: str
    message: str
    hint: str


ROLE_REFERENCES = [
    pytest.param(
        Reference(
            "helpdesk-agent",
            ("team",),
            "suport",
            "team: ",
            "$.team",
            "unknown team 'suport'",
            "did you mean 'support'?",
        ),
        id="team",
    ),
    pytest.param(
        Reference(
            "helpdesk-agent",
            ("reports_to",),
            "helpdesk-laed",
            "reports_to: ",
            "$.reports_to",
            "unknown role 'helpdesk-laed'",
            "did you mean 'helpdesk-lead'?",
        ),
        id="reports_to",
    ),
    pytest.param(
        Reference(
            "helpdesk-agent",
            ("commitments", 0, "escalate_to"),
            "helpdesk-leed",
            "escalate_to: ",
            "$.commitments[0].escalate_to",
            "service 'password-resets': unknown role 'helpdesk-leed'",
            "did you mean 'helpdesk-lead'?",
        ),
        id="escalate_to",
    ),
    pytest.param(
        Reference(
            "helpdesk-agent",
            ("commitments", 0, "customers", 0),
            "team:suport",
            "- ",
            "$.commitments[0].customers[0]",
            "service 'password-resets': unknown team 'suport'",
            "did you mean 'support'?",
        ),
        id="customer-team",
    ),
    pytest.param(
        Reference(
            "helpdesk-agent",
            ("commitments", 0, "customers", 1),
            "role:directr",
            "- ",
            "$.commitments[0].customers[1]",
            "service 'password-resets': unknown role 'directr'",
            "did you mean 'director'?",
        ),
        id="customer-role",
    ),
    pytest.param(
        Reference(
            "helpdesk-lead",
            ("expectations", 1, "commitment"),
            "it-request",
            "commitment: ",
            "$.expectations[1].commitment",
            "expectation 'ticket-rating': 'it-request' is not a commitment of this role",
            "did you mean 'it-requests'?",
        ),
        id="expectation-commitment",
    ),
    pytest.param(
        Reference(
            "helpdesk-agent",
            ("reports_to",),
            "zzzz",
            "reports_to: ",
            "$.reports_to",
            "unknown role 'zzzz'",
            "",
        ),
        id="no-close-match",
    ),
]


@pytest.mark.parametrize("ref", ROLE_REFERENCES)
def test_dangling_reference_in_role(tmp_path: Path, ref: Reference) -> None:
    write_valid_org(tmp_path, roles=role_with(ref.role_id, ref.field, ref.value))
    diags = diagnostics(tmp_path)
    file = "roles/" + ROLE_FILES[ref.role_id]
    check(
        one(diags, "HB101"),
        code="HB101",
        severity=Severity.ERROR,
        file=file,
        at=value_pos(tmp_path, file, ref.prefix, ref.value),
        path=ref.path,
        message=ref.message,
        hint=ref.hint,
    )
    assert [d.code for d in diags] == ["HB101"]


def test_dangling_expectation_commitment_without_close_match(tmp_path: Path) -> None:
    write_valid_org(
        tmp_path, roles=role_with("helpdesk-lead", ("expectations", 1, "commitment"), "payroll")
    )
    diag = one(diagnostics(tmp_path), "HB101")
    assert diag.message == "expectation 'ticket-rating': 'payroll' is not a commitment of this role"
    assert diag.hint == "feedback counts only for the role's own commitments"


def test_dangling_reward_requirement_points_at_the_key(tmp_path: Path) -> None:
    write_valid_org(
        tmp_path,
        roles=role_with("helpdesk-lead", ("rewards", 0, "requires"), {"first-fix-rat": "exceeds"}),
    )
    diags = diagnostics(tmp_path)
    check(
        one(diags, "HB101"),
        code="HB101",
        severity=Severity.ERROR,
        file=LEAD,
        at=locate_in(tmp_path, LEAD, "first-fix-rat:"),
        path="$.rewards[0].requires.first-fix-rat",
        message="reward 'service-star': 'first-fix-rat' is not an expectation of this role",
        hint="did you mean 'first-fix-rate'?",
    )
    # first-fix-rate is now used by no reward: reported as a gap as well.
    assert sorted(d.code for d in diags) == ["HB101", "HB112"]


@pytest.mark.parametrize(
    ("where", "value", "message", "hint"),
    [
        pytest.param(
            (1, "parent"),
            "compny",
            "team 'support': unknown team 'compny'",
            "did you mean 'company'?",
            id="parent",
        ),
        pytest.param(
            (1, "lead"),
            "helpdesk-led",
            "team 'support': unknown role 'helpdesk-led'",
            "did you mean 'helpdesk-lead'?",
            id="lead",
        ),
        pytest.param(
            (2, "lead"),
            "nobody-at-all",
            "team 'vendor': unknown role 'nobody-at-all'",
            "",
            id="lead-no-hint",
        ),
    ],
)
def test_dangling_reference_in_teams(
    tmp_path: Path, where: tuple[int, str], value: str, message: str, hint: str
) -> None:
    index, field = where
    write_valid_org(tmp_path, teams=teams_with(("teams", index, field), value))
    diags = diagnostics(tmp_path)
    check(
        one(diags, "HB101"),
        code="HB101",
        severity=Severity.ERROR,
        file=TEAMS,
        at=value_pos(tmp_path, TEAMS, f"{field}: ", value),
        path=f"$.teams[{index}].{field}",
        message=message,
        hint=hint,
    )
    assert [d.code for d in diags] == ["HB101"]


HANDWRITTEN_AGENT = """\
# A role file as a manager writes it: comments, flow lists, a folded summary.
id: helpdesk-agent
title: Helpdesk Agent
team: support
reports_to: helpdesk-lead
owners: ["@hela"]
summary: >
  Answers the phone.
review_by: "2035-06-30"
responsibilities:
  - id: phone
    text: Answer the phone.
expectations:
  - id: answer-time
    text: Calls are answered quickly.
    measure: seconds until a call is answered
    better: lower
    meets: 60
commitments:
  - id: password-resets
    service: Password resets
    customers: [everyone, team:suport, role:nobody-at-all]
    request_via: phone
    targets:
      - {priority: urgent, response: 1h, resolution: 2h}
    escalate_to: helpdesk-lead
rewards:
  - id: quick-answer
    reward: A day off
    requires: {answer-time: meets}
"""


def test_dangling_references_in_a_handwritten_file(tmp_path: Path) -> None:
    write_valid_org(tmp_path, roles={ROLE_FILES["helpdesk-agent"]: HANDWRITTEN_AGENT})
    diags = diagnostics(tmp_path)
    team, role = diags
    check(
        team,
        code="HB101",
        severity=Severity.ERROR,
        file=AGENT,
        at=(22, 27),
        path="$.commitments[0].customers[1]",
        message="service 'password-resets': unknown team 'suport'",
        hint="did you mean 'support'?",
    )
    check(
        role,
        code="HB101",
        severity=Severity.ERROR,
        file=AGENT,
        at=(22, 40),
        path="$.commitments[0].customers[2]",
        message="service 'password-resets': unknown role 'nobody-at-all'",
        hint="",
    )
    assert team.headline == (
        f"{AGENT}:22:27: error: $.commitments[0].customers[1]: service 'password-resets':"
        " unknown team 'suport' [HB101]"
    )
    assert team.source_line == "    customers: [everyone, team:suport, role:nobody-at-all]"


# --- HB102 / HB113 identity ----------------------------------------------------------------


def test_duplicate_role_id_across_files(tmp_path: Path) -> None:
    agent = valid_roles()[ROLE_FILES["helpdesk-agent"]]
    write_valid_org(tmp_path, roles={"other/helpdesk-agent.yaml": agent})
    diags = diagnostics(tmp_path)
    # Files are read in path order: roles/other/… comes first, the second use is reported.
    check(
        one(diags, "HB102"),
        code="HB102",
        severity=Severity.ERROR,
        file=AGENT,
        at=value_pos(tmp_path, AGENT, "id: ", "helpdesk-agent"),
        path="$.id",
        message="role id 'helpdesk-agent' is already used by roles/other/helpdesk-agent.yaml",
        hint="role ids are unique across the organisation",
    )
    assert [d.code for d in diags] == ["HB102"]


@pytest.mark.parametrize(
    ("kind", "ident"),
    [
        ("responsibilities", "phone"),
        ("expectations", "answer-time"),
        ("commitments", "password-resets"),
        ("rewards", "quick-answer"),
    ],
)
def test_duplicate_id_within_a_role(tmp_path: Path, kind: str, ident: str) -> None:
    agent = valid_roles()[ROLE_FILES["helpdesk-agent"]]
    repeated = copy.deepcopy(agent[kind][0])
    repeated.pop("share", None)
    agent[kind].append(repeated)
    write_valid_org(tmp_path, roles={ROLE_FILES["helpdesk-agent"]: agent})
    diags = diagnostics(tmp_path)
    index = len(agent[kind]) - 1
    check(
        one(diags, "HB102"),
        code="HB102",
        severity=Severity.ERROR,
        file=AGENT,
        at=value_pos(tmp_path, AGENT, "- id: ", ident, nth=1),
        path=f"$.{kind}[{index}].id",
        message=f"id '{ident}' is already used by {kind}[0]",
    )
    assert [d.code for d in diags] == ["HB102"]


def test_same_item_id_in_two_roles_is_fine(tmp_path: Path) -> None:
    roles = role_with("helpdesk-agent", ("rewards", 0, "id"), "annual-bonus")
    write_valid_org(tmp_path, roles=roles)
    assert diagnostics(tmp_path) == []


def test_duplicate_team_id(tmp_path: Path) -> None:
    write_valid_org(tmp_path, teams=teams_with(("teams", 3), {"id": "support", "name": "Again"}))
    diags = diagnostics(tmp_path)
    check(
        one(diags, "HB102"),
        code="HB102",
        severity=Severity.ERROR,
        file=TEAMS,
        at=value_pos(tmp_path, TEAMS, "- id: ", "support", nth=1),
        path="$.teams[3].id",
        message="team id 'support' is already used by teams[1]",
    )


def test_file_name_differs_from_id(tmp_path: Path) -> None:
    agent = valid_roles()[ROLE_FILES["helpdesk-agent"]]
    write_valid_org(
        tmp_path, roles={ROLE_FILES["helpdesk-agent"]: None, "support/agent.yaml": agent}
    )
    diags = diagnostics(tmp_path)
    file = "roles/support/agent.yaml"
    check(
        one(diags, "HB113"),
        code="HB113",
        severity=Severity.ERROR,
        file=file,
        at=value_pos(tmp_path, file, "id: ", "helpdesk-agent"),
        path="$.id",
        message="id 'helpdesk-agent' does not match the file name 'agent'",
        hint="rename the file to helpdesk-agent.yaml or change the id",
    )
    assert [d.code for d in diags] == ["HB113"]


# --- HB103 / HB104 / HB115 structure -------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "chain"),
    [
        pytest.param(
            {"helpdesk-agent": "helpdesk-agent"}, "helpdesk-agent → helpdesk-agent", id="self"
        ),
        pytest.param(
            {"helpdesk-lead": "helpdesk-agent"},
            "helpdesk-agent → helpdesk-lead → helpdesk-agent",
            id="two",
        ),
        pytest.param(
            {"helpdesk-lead": "vendor-manager", "vendor-manager": "helpdesk-agent"},
            "helpdesk-agent → helpdesk-lead → vendor-manager → helpdesk-agent",
            id="three",
        ),
    ],
)
def test_reports_to_cycle(tmp_path: Path, changes: dict[str, str], chain: str) -> None:
    roles: dict[str, Any] = {}
    for role_id, boss in changes.items():
        roles |= role_with(role_id, ("reports_to",), boss)
    write_valid_org(tmp_path, roles=roles)
    diags = diagnostics(tmp_path)
    # A cycle is reported once, at its first member in file order.
    check(
        one(diags, "HB103"),
        code="HB103",
        severity=Severity.ERROR,
        file=AGENT,
        at=value_pos(
            tmp_path, AGENT, "reports_to: ", changes.get("helpdesk-agent", "helpdesk-lead")
        ),
        path="$.reports_to",
        message=f"reports_to forms a cycle: {chain}",
        hint="one role in the chain must report to someone outside it",
    )
    assert [d.code for d in diags] == ["HB103"]


@pytest.mark.parametrize(
    ("index", "parent", "chain"),
    [
        pytest.param(0, "support", "company → support → company", id="two"),
        pytest.param(2, "vendor", "vendor → vendor", id="self"),
    ],
)
def test_team_parent_cycle(tmp_path: Path, index: int, parent: str, chain: str) -> None:
    write_valid_org(tmp_path, teams=teams_with(("teams", index, "parent"), parent))
    diags = diagnostics(tmp_path)
    check(
        one(diags, "HB104"),
        code="HB104",
        severity=Severity.ERROR,
        file=TEAMS,
        at=value_pos(tmp_path, TEAMS, "parent: ", parent),
        path=f"$.teams[{index}].parent",
        message=f"team '{chain.split(maxsplit=1)[0]}': team parents form a cycle: {chain}",
    )
    assert [d.code for d in diags] == ["HB104"]


def test_no_role_at_the_top(tmp_path: Path) -> None:
    _no_top(tmp_path)
    diags = diagnostics(tmp_path)
    check(
        one(diags, "HB115"),
        code="HB115",
        severity=Severity.ERROR,
        file=DIRECTOR,
        at=(1, 1),
        path="$",
        message="no role is at the top: every role has reports_to",
        hint="leave reports_to out of exactly one role, the head of the organisation",
    )
    # the director now reports to someone, so its commitment needs an escalation too
    assert sorted(d.code for d in diags) == ["HB103", "HB115", "HB126"]


def test_two_roles_at_the_top(tmp_path: Path) -> None:
    write_valid_org(tmp_path, roles=role_with("vendor-manager", ("reports_to",), DELETE))
    diags = diagnostics(tmp_path)
    check(
        one(diags, "HB115"),
        code="HB115",
        severity=Severity.ERROR,
        file=VENDOR,
        at=value_pos(tmp_path, VENDOR, "id: ", "vendor-manager"),
        path="$.id",
        message="'vendor-manager' has no reports_to, but 'director' is already the top",
        hint="add reports_to: only one role may be at the top",
    )
    assert [d.code for d in diags] == ["HB115"]


def test_self_escalation(tmp_path: Path) -> None:
    write_valid_org(
        tmp_path,
        roles=role_with("helpdesk-agent", ("commitments", 0, "escalate_to"), "helpdesk-agent"),
    )
    diags = diagnostics(tmp_path)
    check(
        one(diags, "HB116"),
        code="HB116",
        severity=Severity.ERROR,
        file=AGENT,
        at=value_pos(tmp_path, AGENT, "escalate_to: ", "helpdesk-agent"),
        path="$.commitments[0].escalate_to",
        message="service 'password-resets': a commitment cannot escalate to its own role",
        hint="name the role that steps in, usually the one reported to",
    )
    assert [d.code for d in diags] == ["HB116"]


def test_lead_outside_team_is_a_warning(tmp_path: Path) -> None:
    write_valid_org(tmp_path, teams=teams_with(("teams", 1, "lead"), "director"))
    diags = diagnostics(tmp_path)
    check(
        one(diags, "HB117"),
        code="HB117",
        severity=Severity.WARNING,
        file=TEAMS,
        at=value_pos(tmp_path, TEAMS, "lead: ", "director", nth=1),
        path="$.teams[1].lead",
        message="lead 'director' belongs to team 'company', not to 'support' or its sub-teams",
    )
    assert [d.code for d in diags] == ["HB117"]


def test_lead_from_a_sub_team_is_fine(tmp_path: Path) -> None:
    write_valid_org(tmp_path, teams=teams_with(("teams", 0, "lead"), "helpdesk-agent"))
    assert diagnostics(tmp_path) == []


# --- HB105 / HB118 expectations ------------------------------------------------------------


@pytest.mark.parametrize(
    ("role_id", "index", "exceeds", "message"),
    [
        pytest.param(
            "helpdesk-agent",
            0,
            90,
            "expectation 'answer-time': exceeds (90) must be below meets (60) when better is"
            " 'lower'",
            id="lower",
        ),
        pytest.param(
            "helpdesk-agent",
            0,
            60,
            "expectation 'answer-time': exceeds (60) must be below meets (60) when better is"
            " 'lower'",
            id="lower-equal",
        ),
        pytest.param(
            "helpdesk-lead",
            0,
            65,
            "expectation 'first-fix-rate': exceeds (65) must be above meets (70) when better is"
            " 'higher'",
            id="higher",
        ),
        pytest.param(
            "helpdesk-lead",
            1,
            3.5,
            "expectation 'ticket-rating': exceeds (3.5) must be above meets (4) when better is"
            " 'higher'",
            id="higher-feedback",
        ),
    ],
)
def test_exceeds_not_better_than_meets(
    tmp_path: Path, role_id: str, index: int, exceeds: float, message: str
) -> None:
    write_valid_org(tmp_path, roles=role_with(role_id, ("expectations", index, "exceeds"), exceeds))
    diags = diagnostics(tmp_path)
    file = "roles/" + ROLE_FILES[role_id]
    check(
        one(diags, "HB105"),
        code="HB105",
        severity=Severity.ERROR,
        file=file,
        at=value_pos(tmp_path, file, "exceeds: ", str(exceeds)),
        path=f"$.expectations[{index}].exceeds",
        message=message,
        hint="swap the values, or change 'better'",
    )
    assert [d.code for d in diags] == ["HB105"]


@pytest.mark.parametrize(("field", "value"), [("meets", 0.5), ("exceeds", 6)])
def test_feedback_scale(tmp_path: Path, field: str, value: float) -> None:
    write_valid_org(tmp_path, roles=role_with("helpdesk-lead", ("expectations", 1, field), value))
    # The schema refuses the value first, with the same advice, and the linter stays quiet.
    diags = diagnostics(tmp_path)
    bound = "at least 1" if field == "meets" else "at most 5"
    check(
        one(diags, "HB001"),
        code="HB001",
        severity=Severity.ERROR,
        file=LEAD,
        at=value_pos(tmp_path, LEAD, f"{field}: ", str(value)),
        path=f"$.expectations[1].{field}",
        message=f"expectation 'ticket-rating': '{field}' must be {bound}, not {value}",
        hint="a feedback expectation is a mean rating on the 1 to 5 scale",
    )
    assert [d.code for d in diags] == ["HB001"]
    # The rule on its own.
    (diag,) = rule_named("HB118").check(unchecked_context(tmp_path))
    check(
        diag,
        code="HB118",
        severity=Severity.ERROR,
        file=LEAD,
        at=value_pos(tmp_path, LEAD, f"{field}: ", str(value)),
        path=f"$.expectations[1].{field}",
        message=f"expectation 'ticket-rating': {field} ({value:g}) is not on the 1–5 rating scale",
        hint="feedback expectations are mean ratings from 1 to 5",
    )


def test_feedback_scale_ends_are_fine(tmp_path: Path) -> None:
    lead = valid_roles()[ROLE_FILES["helpdesk-lead"]]
    set_field(lead, ("expectations", 1, "meets"), 1)
    set_field(lead, ("expectations", 1, "exceeds"), 5)
    write_valid_org(tmp_path, roles={ROLE_FILES["helpdesk-lead"]: lead})
    assert diagnostics(tmp_path) == []


# --- HB106 / HB119 / HB121 targets ---------------------------------------------------------


def _target(role_id: str, response: str, resolution: str, hours: str | None) -> dict[str, Any]:
    role = valid_roles()[ROLE_FILES[role_id]]
    set_field(role, ("commitments", 0, "targets", 0, "response"), response)
    set_field(role, ("commitments", 0, "targets", 0, "resolution"), resolution)
    set_field(role, ("commitments", 0, "hours"), DELETE if hours is None else hours)
    return {ROLE_FILES[role_id]: role}


@pytest.mark.parametrize(
    ("response", "resolution", "hours"),
    [
        pytest.param("9h", "1d", "business", id="9h-after-business-day"),
        pytest.param("9h", "1d", None, id="business-by-default"),
        pytest.param("6d", "1w", "business", id="6-days-after-business-week"),
        pytest.param("2h", "90m", "always", id="minutes"),
        pytest.param("2w", "13d", "always", id="weeks"),
    ],
)
def test_response_after_resolution(
    tmp_path: Path, response: str, resolution: str, hours: str | None
) -> None:
    write_valid_org(tmp_path, roles=_target("helpdesk-lead", response, resolution, hours))
    diags = diagnostics(tmp_path)
    check(
        one(diags, "HB106"),
        code="HB106",
        severity=Severity.ERROR,
        file=LEAD,
        at=value_pos(tmp_path, LEAD, "resolution: ", resolution),
        path="$.commitments[0].targets[0].resolution",
        message=f"service 'it-requests', target 'urgent': 'resolution' ({resolution}) is shorter"
        f" than 'response' ({response})",
        hint="a response can't come after the resolution",
    )
    assert [d.code for d in diags if d.severity is not Severity.INFO] == ["HB106"]


@pytest.mark.parametrize(
    ("response", "resolution", "hours"),
    [
        pytest.param("9h", "1d", "always", id="9h-within-a-clock-day"),
        pytest.param("6d", "1w", "always", id="6-days-within-a-clock-week"),
        pytest.param("8h", "1d", "business", id="exactly-one-business-day"),
        pytest.param("1d", "1d", "business", id="equal"),
        pytest.param("40h", "1w", "business", id="business-week-is-40h"),
    ],
)
def test_response_within_resolution(
    tmp_path: Path, response: str, resolution: str, hours: str
) -> None:
    write_valid_org(tmp_path, roles=_target("helpdesk-lead", response, resolution, hours))
    # round the clock, the role is also noted as the only one on duty (HB125, HB126)
    assert [d for d in diagnostics(tmp_path) if d.severity is not Severity.INFO] == []


def _day_of(hours: float) -> Settings:
    """Settings whose business day lasts ``hours``, from 08:00."""
    return Settings(calendar=BusinessCalendar(hours=((480, 480 + round(hours * 60)),)))


def test_business_day_length_comes_from_settings(tmp_path: Path) -> None:
    write_valid_org(tmp_path, roles=_target("helpdesk-lead", "9h", "1d", "business"))
    assert diagnostics(tmp_path, _day_of(10)) == []
    assert [d.code for d in diagnostics(tmp_path, _day_of(7.5))] == ["HB106"]


@pytest.mark.parametrize(("field", "value"), [("response", "0h"), ("resolution", "0.0d")])
def test_zero_duration(tmp_path: Path, field: str, value: str) -> None:
    write_valid_org(
        tmp_path, roles=role_with("vendor-manager", ("commitments", 0, "targets", 0, field), value)
    )
    diags = diagnostics(tmp_path)
    at = value_pos(tmp_path, VENDOR, f"{field}: ", value)
    path = f"$.commitments[0].targets[0].{field}"
    # The schema refuses it first, saying why.
    check(
        one(diags, "HB001"),
        code="HB001",
        severity=Severity.ERROR,
        file=VENDOR,
        at=at,
        path=path,
        message=f"service 'hardware-repairs', target 'normal': '{value}' is not a duration like"
        " 30m, 2h, 3d or 1w",
        hint="a duration must be more than zero",
    )
    assert [d.code for d in diags] == ["HB001"]
    (diag,) = rule_named("HB121").check(unchecked_context(tmp_path))
    check(
        diag,
        code="HB121",
        severity=Severity.ERROR,
        file=VENDOR,
        at=at,
        path=path,
        message=f"service 'hardware-repairs', target 'normal': '{value}' is not a positive"
        f" duration",
        hint="write a duration longer than zero, like 30m, 4h, 2d or 1w",
    )


@pytest.mark.parametrize(("levels", "found"), [(16, []), (17, ["level-17"]), (40, ["level-17"])])
def test_team_depth(tmp_path: Path, levels: int, found: list[str]) -> None:
    write_valid_org(tmp_path, teams=_deep_teams(levels))
    diags = with_code(diagnostics(tmp_path), "HB142")
    assert [d.message.split("'")[1] for d in diags] == found
    for diag in diags:
        check(
            diag,
            code="HB142",
            severity=Severity.ERROR,
            file="roles/teams.yaml",
            at=_after(locate_in(tmp_path, "roles/teams.yaml", "parent: level-16"), "parent: "),
            path="$.teams[18].parent",
            message="team 'level-17' is 17 levels deep; the team tree has at most 16 levels",
            hint="attach the team to a department higher up",
        )


@pytest.mark.parametrize("ident", ["index"])
def test_reserved_team_id(tmp_path: Path, ident: str) -> None:
    FAILING["HB141"](tmp_path)
    (diag,) = with_code(diagnostics(tmp_path), "HB141")
    check(
        diag,
        code="HB141",
        severity=Severity.ERROR,
        file="roles/teams.yaml",
        at=_after(locate_in(tmp_path, "roles/teams.yaml", "id: index"), "id: "),
        path="$.teams[3].id",
        message=f"team id '{ident}' is reserved: its page would replace a generated page",
        hint=f"choose another id, e.g. '{ident}-team'",
    )


@pytest.mark.parametrize(
    ("value", "fails"),
    [
        ("366d", False),
        ("367d", True),
        ("53w", False),
        ("54w", True),
        ("8784h", False),
        ("8785h", True),
        ("527040m", False),
        ("527041m", True),
        ("365.5d", False),
    ],
)
def test_duration_limit(tmp_path: Path, value: str, fails: bool) -> None:
    write_valid_org(
        tmp_path,
        roles=role_with("vendor-manager", ("commitments", 0, "targets", 0, "resolution"), value),
    )
    diags = with_code(diagnostics(tmp_path), "HB143")
    named = f"service 'hardware-repairs', target 'normal': '{value}' is longer than a year"
    assert [d.message for d in diags] == ([named] if fails else [])


@pytest.mark.parametrize(
    ("value", "hint"),
    [
        ("urgnet", "did you mean 'urgent'?"),
        ("asap", "configured priorities: urgent, normal"),
    ],
)
def test_unknown_priority(tmp_path: Path, value: str, hint: str) -> None:
    write_valid_org(
        tmp_path,
        roles=role_with("helpdesk-lead", ("commitments", 0, "targets", 0, "priority"), value),
    )
    diags = diagnostics(tmp_path)
    check(
        one(diags, "HB119"),
        code="HB119",
        severity=Severity.ERROR,
        file=LEAD,
        at=value_pos(tmp_path, LEAD, "priority: ", value),
        path="$.commitments[0].targets[0].priority",
        message=f"service 'it-requests': unknown priority '{value}'",
        hint=hint,
    )
    assert [d.code for d in diags] == ["HB119"]


def test_repeated_priority(tmp_path: Path) -> None:
    write_valid_org(
        tmp_path,
        roles=role_with("helpdesk-lead", ("commitments", 0, "targets", 1, "priority"), "urgent"),
    )
    diags = diagnostics(tmp_path)
    check(
        one(diags, "HB119"),
        code="HB119",
        severity=Severity.ERROR,
        file=LEAD,
        at=value_pos(tmp_path, LEAD, "priority: ", "urgent", nth=1),
        path="$.commitments[0].targets[1].priority",
        message="service 'it-requests': priority 'urgent' has two targets",
    )


def test_priorities_come_from_settings(tmp_path: Path) -> None:
    write_valid_org(tmp_path)
    settings = Settings(priorities=("urgent", "normal", "low"))
    assert diagnostics(tmp_path, settings) == []
    diags = diagnostics(tmp_path, Settings(priorities=("p1", "p2")))
    assert {d.code for d in diags} == {"HB119"}
    assert len(diags) == 6
    assert {d.hint for d in diags} == {"configured priorities: p1, p2"}


# --- HB107 / HB108 workload ----------------------------------------------------------------


def _shares(role_id: str, shares: Sequence[float]) -> dict[str, Any]:
    items = [{"id": f"task-{i}", "text": "Work.", "share": s} for i, s in enumerate(shares)]
    return role_with(role_id, ("responsibilities",), items)


def test_shares_over_100(tmp_path: Path) -> None:
    write_valid_org(tmp_path, roles=_shares("helpdesk-lead", [70, 31]))
    diags = diagnostics(tmp_path)
    check(
        one(diags, "HB107"),
        code="HB107",
        severity=Severity.ERROR,
        file=LEAD,
        at=locate_in(tmp_path, LEAD, "- id: task-0"),
        path="$.responsibilities",
        message="responsibility shares add up to 101 %, more than 100 %",
        hint="the outline must fit one person's working time; move work elsewhere",
    )
    assert [d.code for d in diags] == ["HB107"]


@pytest.mark.parametrize(
    "shares",
    [
        pytest.param([70, 30], id="whole"),
        pytest.param([12.5, 37.5, 50], id="halves"),
        pytest.param([33.3, 33.3, 33.4], id="tenths"),
        pytest.param([100], id="one"),
    ],
)
def test_shares_of_exactly_100_are_fine(tmp_path: Path, shares: list[float]) -> None:
    write_valid_org(tmp_path, roles=_shares("helpdesk-lead", shares))
    assert diagnostics(tmp_path) == []


def test_shares_in_tenths_adding_up_to_100_are_fine(tmp_path: Path) -> None:
    write_valid_org(tmp_path, roles=_shares("helpdesk-lead", [42.7, 45.1, 12.2]))
    assert diagnostics(tmp_path) == []


def test_too_many_responsibilities_with_default_limit(tmp_path: Path) -> None:
    items = [{"id": f"task-{i}", "text": "Work."} for i in range(11)]
    write_valid_org(tmp_path, roles=role_with("helpdesk-agent", ("responsibilities",), items))
    diags = diagnostics(tmp_path)
    check(
        one(diags, "HB108"),
        code="HB108",
        severity=Severity.WARNING,
        file=AGENT,
        at=locate_in(tmp_path, AGENT, "- id: task-0"),
        path="$.responsibilities",
        message="11 responsibilities, more than the limit of 10",
        hint="a role with this much work risks overload; split it or share the work",
    )
    assert [d.code for d in diags] == ["HB108"]


def test_ten_responsibilities_are_fine(tmp_path: Path) -> None:
    items = [{"id": f"task-{i}", "text": "Work."} for i in range(10)]
    write_valid_org(tmp_path, roles=role_with("helpdesk-agent", ("responsibilities",), items))
    assert diagnostics(tmp_path) == []


def test_too_many_commitments_with_default_limit(tmp_path: Path) -> None:
    agent = valid_roles()[ROLE_FILES["helpdesk-agent"]]
    base = agent["commitments"][0]
    agent["commitments"] = [{**copy.deepcopy(base), "id": f"service-{i}"} for i in range(9)]
    write_valid_org(tmp_path, roles={ROLE_FILES["helpdesk-agent"]: agent})
    diags = diagnostics(tmp_path)
    check(
        one(diags, "HB108"),
        code="HB108",
        severity=Severity.WARNING,
        file=AGENT,
        at=locate_in(tmp_path, AGENT, "- id: service-0"),
        path="$.commitments",
        message="9 commitments, more than the limit of 8",
    )
    del agent["commitments"][8]
    write_valid_org(tmp_path, roles={ROLE_FILES["helpdesk-agent"]: agent})
    assert diagnostics(tmp_path) == []


def test_workload_limits_come_from_settings(tmp_path: Path) -> None:
    write_valid_org(tmp_path)
    diags = diagnostics(tmp_path, Settings(max_responsibilities=1, max_commitments=0))
    assert {d.code for d in diags} == {"HB108"}
    assert {d.severity for d in diags} == {Severity.WARNING}
    # Three roles have two responsibilities; all four have one commitment.
    assert sorted((d.location.file, d.path) for d in diags) == sorted(
        [
            (DIRECTOR, "$.responsibilities"),
            (LEAD, "$.responsibilities"),
            (AGENT, "$.responsibilities"),
        ]
        + [(f, "$.commitments") for f in (DIRECTOR, LEAD, AGENT, VENDOR)]
    )


# --- HB109 / HB110 ownership and freshness -------------------------------------------------


def _overdue(root: Path) -> None:
    write_valid_org(root, roles=role_with("vendor-manager", ("review_by",), "2026-12-31"))


def test_review_date_in_the_past_is_a_warning(tmp_path: Path) -> None:
    _overdue(tmp_path)
    diags = diagnostics(tmp_path)
    check(
        one(diags, "HB109"),
        code="HB109",
        severity=Severity.WARNING,
        file=VENDOR,
        at=value_pos(tmp_path, VENDOR, "review_by: ", "'2026-12-31'"),
        path="$.review_by",
        message="the review date 2026-12-31 has passed",
        hint="the owners should review this role and set a new date",
    )
    assert [d.code for d in diags] == ["HB109"]


def test_review_date_in_the_past_is_an_error_when_strict(tmp_path: Path) -> None:
    _overdue(tmp_path)
    diag = one(diagnostics(tmp_path, Settings(strict=True)), "HB109")
    assert diag.severity is Severity.ERROR
    assert diag.message == "the review date 2026-12-31 has passed"


def test_review_date_today_is_fine(tmp_path: Path) -> None:
    _overdue(tmp_path)
    assert diagnostics(tmp_path, today=dt.date(2026, 12, 31)) == []
    assert [d.code for d in diagnostics(tmp_path, today=dt.date(2027, 1, 1))] == ["HB109"]


def test_review_date_uses_source_date_epoch(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _overdue(tmp_path)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch_of(dt.date(2026, 6, 1)))
    assert build_date() == dt.date(2026, 6, 1)
    assert diagnostics(tmp_path, today=None) == []
    monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch_of(dt.date(2036, 1, 1)))
    assert build_date() == dt.date(2036, 1, 1)
    diags = diagnostics(tmp_path, today=None)
    assert [d.code for d in diags] == ["HB109"] * 4
    assert {d.severity for d in diags} == {Severity.WARNING}


def test_review_date_that_does_not_exist(tmp_path: Path) -> None:
    write_valid_org(tmp_path, roles=role_with("vendor-manager", ("review_by",), "2027-02-30"))
    at = value_pos(tmp_path, VENDOR, "review_by: ", "'2027-02-30'")
    diags = diagnostics(tmp_path)
    check(
        one(diags, "HB001"),
        code="HB001",
        severity=Severity.ERROR,
        file=VENDOR,
        at=at,
        path="$.review_by",
        message="'2027-02-30' is not a real calendar date",
        hint="that day does not exist",
    )
    assert [d.code for d in diags] == ["HB001"]
    (diag,) = rule_named("HB109").check(unchecked_context(tmp_path))
    check(
        diag,
        code="HB109",
        severity=Severity.ERROR,
        file=VENDOR,
        at=at,
        path="$.review_by",
        message="'2027-02-30' is not a calendar date",
        hint="write the date as YYYY-MM-DD",
    )


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("owners", DELETE),
        ("owners", []),
        ("review_by", DELETE),
    ],
)
def test_missing_owners_or_review_date(tmp_path: Path, field: str, value: Any) -> None:
    write_valid_org(tmp_path, roles=role_with("helpdesk-agent", (field,), value))
    diags = diagnostics(tmp_path)
    check(
        one(diags, "HB110"),
        code="HB110",
        severity=Severity.WARNING,
        file=AGENT,
        at=(1, 1),
        path="$",
        message=f"'{field}' is missing",
        hint="owners approve changes and review_by keeps the role fresh",
    )
    assert [d.code for d in diags] == ["HB110"]


# --- HB111 / HB112 gaps --------------------------------------------------------------------


@pytest.mark.parametrize("value", [DELETE, []])
def test_role_that_promises_nothing(tmp_path: Path, value: Any) -> None:
    write_valid_org(tmp_path, roles=role_with("vendor-manager", ("commitments",), value))
    diags = diagnostics(tmp_path)
    check(
        one(diags, "HB111"),
        code="HB111",
        severity=Severity.INFO,
        file=VENDOR,
        at=(1, 1),
        path="$",
        message="role 'vendor-manager' promises nothing to anyone",
        hint="add the services this role gives to colleagues as commitments",
    )
    assert [d.code for d in diags] == ["HB111"]


def test_unused_expectation(tmp_path: Path) -> None:
    write_valid_org(tmp_path, roles=role_with("vendor-manager", ("rewards",), DELETE))
    diags = diagnostics(tmp_path)
    check(
        one(diags, "HB112"),
        code="HB112",
        severity=Severity.INFO,
        file=VENDOR,
        at=value_pos(tmp_path, VENDOR, "- id: ", "repair-time"),
        path="$.expectations[0].id",
        message="expectation 'repair-time' is used by no reward",
        hint="tie it to a reward, or measure it with feedback",
    )
    assert [d.code for d in diags] == ["HB112"]


def test_feedback_expectation_needs_no_reward(tmp_path: Path) -> None:
    # ticket-rating (feedback) is in no reward of the valid organisation.
    lead = valid_roles()[ROLE_FILES["helpdesk-lead"]]
    assert all("ticket-rating" not in r["requires"] for r in lead["rewards"])
    write_valid_org(tmp_path)
    assert with_code(diagnostics(tmp_path), "HB112") == []


# --- configured severities -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("rules", "expected"),
    [
        pytest.param({}, [("HB111", Severity.INFO), ("HB109", Severity.WARNING)], id="defaults"),
        pytest.param({"HB111": None}, [("HB109", Severity.WARNING)], id="off-by-code"),
        pytest.param({"promises-nothing": None, "review-overdue": None}, [], id="off-by-name"),
        pytest.param(
            {"promises-nothing": Severity.ERROR},
            [("HB111", Severity.ERROR), ("HB109", Severity.WARNING)],
            id="raise-by-name",
        ),
        pytest.param(
            {"HB109": Severity.INFO, "HB111": Severity.WARNING},
            [("HB111", Severity.WARNING), ("HB109", Severity.INFO)],
            id="by-code",
        ),
    ],
)
def test_rule_severity_overrides(
    tmp_path: Path, rules: dict[str, Severity | None], expected: list[tuple[str, Severity]]
) -> None:
    vendor = valid_roles()[ROLE_FILES["vendor-manager"]]
    del vendor["commitments"]
    vendor["review_by"] = "2026-12-31"
    write_valid_org(tmp_path, roles={ROLE_FILES["vendor-manager"]: vendor})
    diags = diagnostics(tmp_path, Settings(rules=rules))
    assert [(d.code, d.severity) for d in diags] == expected


def test_off_rule_is_not_run(tmp_path: Path) -> None:
    write_valid_org(tmp_path, roles=role_with("helpdesk-agent", ("reports_to",), "helpdesk-laed"))
    assert diagnostics(tmp_path, Settings(rules={"dangling-reference": None})) == []
    diags = diagnostics(tmp_path, Settings(rules={"HB101": Severity.WARNING}))
    assert [(d.code, d.severity) for d in diags] == [("HB101", Severity.WARNING)]

"""Rules beyond the schema: references, cycles, ordering, workload, freshness."""

from __future__ import annotations

import datetime as dt
import difflib
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass

from . import durations
from .errors import Diagnostic, Severity
from .loader import DataPath, Document
from .model import Commitment, Expectation, Role, Target, Team
from .settings import Settings

FEEDBACK_SCALE = (1.0, 5.0)


@dataclass(frozen=True, slots=True)
class RoleEntry:
    """A schema-valid role and the document it came from."""

    role: Role
    doc: Document


@dataclass(frozen=True, slots=True)
class LintContext:
    """Everything the rules look at; duplicates are kept so they can be reported."""

    roles: tuple[RoleEntry, ...]
    teams: tuple[Team, ...]
    teams_doc: Document | None
    known_roles: frozenset[str]
    known_teams: frozenset[str]
    settings: Settings
    today: dt.date
    all_roles_valid: bool = True

    @property
    def teams_read(self) -> bool:
        """Whether teams.yaml was read and valid, so team references can be checked."""
        return self.teams_doc is not None

    def team_diagnostic(
        self,
        index: int,
        field: str,
        message: str,
        *,
        code: str,
        hint: str = "",
        severity: Severity = Severity.ERROR,
    ) -> Diagnostic:
        """A diagnostic at ``teams[index].field`` of teams.yaml."""
        assert self.teams_doc is not None, "teams are only linted when teams.yaml was read"
        return self.teams_doc.diagnostic(
            ("teams", index, field), message, code=code, hint=hint, severity=severity
        )


RuleFunc = Callable[[LintContext], Iterable[Diagnostic]]


@dataclass(frozen=True, slots=True)
class Rule:
    """A named linter rule with a stable code and a default severity."""

    code: str
    name: str
    severity: Severity
    check: RuleFunc
    summary: str
    strict: Severity | None = None


RULES: list[Rule] = []


def rule(
    code: str, name: str, severity: Severity, *, strict: Severity | None = None
) -> Callable[[RuleFunc], RuleFunc]:
    """Register a rule under ``code``/``name``; ``strict`` is its severity with --strict."""

    def register(func: RuleFunc) -> RuleFunc:
        RULES.append(Rule(code, name, severity, func, (func.__doc__ or "").strip(), strict))
        return func

    return register


def _suggest(value: str, candidates: Iterable[str]) -> str:
    close = difflib.get_close_matches(value, list(candidates), n=1, cutoff=0.6)
    return f"did you mean '{close[0]}'?" if close else ""


def _where(
    entry: RoleEntry, path: DataPath, message: str, code: str, *, hint: str = "", key: bool = False
) -> Diagnostic:
    return entry.doc.diagnostic(path, message, code=code, hint=hint, key=key)


# --- references --------------------------------------------------------------------------


def _role_references(entry: RoleEntry) -> Iterator[tuple[DataPath, str, str]]:
    """(path, kind, id) for every reference a role makes to a role or team."""
    role = entry.role
    yield ("team",), "team", role.team
    if role.reports_to is not None:
        yield ("reports_to",), "role", role.reports_to
    for i, commitment in enumerate(role.commitments):
        if commitment.escalate_to is not None:
            yield ("commitments", i, "escalate_to"), "role", commitment.escalate_to
        for j, customer in enumerate(commitment.customers):
            kind, _, ident = customer.partition(":")
            if kind in ("team", "role"):
                yield ("commitments", i, "customers", j), kind, ident


@rule("HB101", "dangling-reference", Severity.ERROR)
def dangling_references(ctx: LintContext) -> Iterator[Diagnostic]:
    """Every role, team, commitment and expectation a file names exists."""
    known = {"role": ctx.known_roles, "team": ctx.known_teams}
    for entry in ctx.roles:
        for path, kind, ident in _role_references(entry):
            if kind == "team" and not ctx.teams_read:
                continue  # teams.yaml itself is reported; don't repeat it for every reference
            if ident not in known[kind]:
                yield _where(
                    entry,
                    path,
                    f"unknown {kind} '{ident}'",
                    "HB101",
                    hint=_suggest(ident, known[kind]),
                )
        yield from _own_references(entry)
    for index, team in enumerate(ctx.teams):
        if team.parent is not None and team.parent not in ctx.known_teams:
            yield ctx.team_diagnostic(
                index,
                "parent",
                f"unknown team '{team.parent}'",
                code="HB101",
                hint=_suggest(team.parent, ctx.known_teams),
            )
        if team.lead is not None and team.lead not in ctx.known_roles:
            yield ctx.team_diagnostic(
                index,
                "lead",
                f"unknown role '{team.lead}'",
                code="HB101",
                hint=_suggest(team.lead, ctx.known_roles),
            )


def _own_references(entry: RoleEntry) -> Iterator[Diagnostic]:
    role = entry.role
    commitments = [c.id for c in role.commitments]
    expectations = [e.id for e in role.expectations]
    for i, expectation in enumerate(role.expectations):
        if expectation.commitment is not None and expectation.commitment not in commitments:
            yield _where(
                entry,
                ("expectations", i, "commitment"),
                f"'{expectation.commitment}' is not a commitment of this role",
                "HB101",
                hint=_suggest(expectation.commitment, commitments)
                or "feedback counts only for the role's own commitments",
            )
    for i, reward in enumerate(role.rewards):
        for name in reward.requires:
            if name not in expectations:
                yield _where(
                    entry,
                    ("rewards", i, "requires", name),
                    f"'{name}' is not an expectation of this role",
                    "HB101",
                    hint=_suggest(name, expectations),
                    key=True,
                )


# --- identity ----------------------------------------------------------------------------


def _duplicates(ids: Iterable[str]) -> Iterator[tuple[int, str, int]]:
    """(index, id, index of the first use) for every repeated id."""
    first: dict[str, int] = {}
    for index, ident in enumerate(ids):
        if ident in first:
            yield index, ident, first[ident]
        else:
            first.setdefault(ident, index)


@rule("HB102", "duplicate-id", Severity.ERROR)
def duplicate_ids(ctx: LintContext) -> Iterator[Diagnostic]:
    """Role and team ids are unique; item ids are unique within their kind in a role."""
    for index, ident, first in _duplicates(e.role.id for e in ctx.roles):
        other = ctx.roles[first].doc.file
        yield _where(
            ctx.roles[index],
            ("id",),
            f"role id '{ident}' is already used by {other}",
            "HB102",
            hint="role ids are unique across the organisation",
        )
    for index, ident, first in _duplicates(t.id for t in ctx.teams):
        yield ctx.team_diagnostic(
            index, "id", f"team id '{ident}' is already used by teams[{first}]", code="HB102"
        )
    for entry in ctx.roles:
        role = entry.role
        kinds: dict[str, Iterable[str]] = {
            "responsibilities": (r.id for r in role.responsibilities),
            "expectations": (e.id for e in role.expectations),
            "commitments": (c.id for c in role.commitments),
            "rewards": (w.id for w in role.rewards),
        }
        for kind, ids in kinds.items():
            for index, ident, first in _duplicates(ids):
                yield _where(
                    entry,
                    (kind, index, "id"),
                    f"id '{ident}' is already used by {kind}[{first}]",
                    "HB102",
                )


@rule("HB113", "file-name-mismatch", Severity.ERROR)
def file_name_mismatch(ctx: LintContext) -> Iterator[Diagnostic]:
    """A role file is named after its id: ``roles/…/<id>.yaml``."""
    for entry in ctx.roles:
        stem = entry.doc.file.rsplit("/", 1)[-1].rsplit(".", 1)[0]
        if stem != entry.role.id:
            yield _where(
                entry,
                ("id",),
                f"id '{entry.role.id}' does not match the file name '{stem}'",
                "HB113",
                hint=f"rename the file to {entry.role.id}.yaml or change the id",
            )


# --- structure ---------------------------------------------------------------------------


def _find_cycles(parent: Mapping[str, str | None]) -> list[list[str]]:
    """Every cycle in a child → parent mapping, each listed once from its first member."""
    cycles: list[list[str]] = []
    done: set[str] = set()
    for start in parent:
        chain: list[str] = []
        node: str | None = start
        while node is not None and node in parent and node not in done and node not in chain:
            chain.append(node)
            node = parent[node]
        if node is not None and node in chain:
            cycles.append(chain[chain.index(node) :])
        done.update(chain)
    return cycles


@rule("HB103", "reports-to-cycle", Severity.ERROR)
def reports_to_cycles(ctx: LintContext) -> Iterator[Diagnostic]:
    """Following ``reports_to`` always reaches the top, never comes back round."""
    by_id: dict[str, RoleEntry] = {}
    for entry in ctx.roles:  # a repeated id is reported once; its first file counts
        by_id.setdefault(entry.role.id, entry)
    for cycle in _find_cycles({ident: e.role.reports_to for ident, e in by_id.items()}):
        chain = " → ".join([*cycle, cycle[0]])
        yield _where(
            by_id[cycle[0]],
            ("reports_to",),
            f"reports_to forms a cycle: {chain}",
            "HB103",
            hint="one role in the chain must report to someone outside it",
        )


@rule("HB104", "team-cycle", Severity.ERROR)
def team_cycles(ctx: LintContext) -> Iterator[Diagnostic]:
    """Team ``parent`` links form a tree."""
    index = {t.id: i for i, t in reversed(list(enumerate(ctx.teams)))}
    for cycle in _find_cycles({t.id: t.parent for t in ctx.teams}):
        chain = " → ".join([*cycle, cycle[0]])
        yield ctx.team_diagnostic(
            index[cycle[0]], "parent", f"team parents form a cycle: {chain}", code="HB104"
        )


@rule("HB115", "single-top", Severity.ERROR)
def single_top(ctx: LintContext) -> Iterator[Diagnostic]:
    """Exactly one role has no ``reports_to``: the top of the organisation."""
    tops = [e for e in ctx.roles if e.role.reports_to is None]
    if not tops and ctx.roles and ctx.all_roles_valid:
        yield _where(
            ctx.roles[0],
            (),
            "no role is at the top: every role has reports_to",
            "HB115",
            hint="leave reports_to out of exactly one role, the head of the organisation",
        )
    for extra in tops[1:]:
        yield _where(
            extra,
            ("id",),
            f"'{extra.role.id}' has no reports_to, but '{tops[0].role.id}' is already the top",
            "HB115",
            hint="add reports_to: only one role may be at the top",
        )


@rule("HB116", "self-reference", Severity.ERROR)
def self_reference(ctx: LintContext) -> Iterator[Diagnostic]:
    """A commitment escalates to another role, never to the role itself."""
    for entry in ctx.roles:
        for i, commitment in enumerate(entry.role.commitments):
            if commitment.escalate_to == entry.role.id:
                yield _where(
                    entry,
                    ("commitments", i, "escalate_to"),
                    "a commitment cannot escalate to its own role",
                    "HB116",
                    hint="name the role that steps in, usually the one reported to",
                )


def _team_and_descendants(teams: Iterable[Team], top: str) -> set[str]:
    children: dict[str | None, list[str]] = {}
    for team in teams:
        children.setdefault(team.parent, []).append(team.id)
    found, stack = set(), [top]
    while stack:
        current = stack.pop()
        if current not in found:
            found.add(current)
            stack.extend(children.get(current, []))
    return found


@rule("HB117", "lead-outside-team", Severity.WARNING)
def lead_outside_team(ctx: LintContext) -> Iterator[Diagnostic]:
    """A team's lead is a role in that team or one of its sub-teams."""
    team_of = {e.role.id: e.role.team for e in ctx.roles}
    for index, team in enumerate(ctx.teams):
        if team.lead is None or team.lead not in team_of:
            continue
        if team_of[team.lead] not in _team_and_descendants(ctx.teams, team.id):
            yield ctx.team_diagnostic(
                index,
                "lead",
                f"lead '{team.lead}' belongs to team '{team_of[team.lead]}', "
                f"not to '{team.id}' or its sub-teams",
                code="HB117",
                severity=Severity.WARNING,
            )


# --- targets -----------------------------------------------------------------------------


def _ordered(expectation: Expectation) -> bool:
    if expectation.exceeds is None:
        return True
    if expectation.better == "lower":
        return expectation.exceeds < expectation.meets
    return expectation.exceeds > expectation.meets


@rule("HB105", "target-order", Severity.ERROR)
def target_order(ctx: LintContext) -> Iterator[Diagnostic]:
    """``exceeds`` is strictly better than ``meets`` in the ``better`` direction."""
    for entry in ctx.roles:
        for i, expectation in enumerate(entry.role.expectations):
            if not _ordered(expectation):
                word = "below" if expectation.better == "lower" else "above"
                yield _where(
                    entry,
                    ("expectations", i, "exceeds"),
                    f"exceeds ({expectation.exceeds:g}) must be {word} meets "
                    f"({expectation.meets:g}) when better is '{expectation.better}'",
                    "HB105",
                    hint="swap the values, or change 'better'",
                )


@rule("HB118", "feedback-scale", Severity.ERROR)
def feedback_scale(ctx: LintContext) -> Iterator[Diagnostic]:
    """Feedback-based expectations are mean ratings on the 1–5 scale."""
    low, high = FEEDBACK_SCALE
    for entry in ctx.roles:
        for i, expectation in enumerate(entry.role.expectations):
            if expectation.source != "feedback":
                continue
            for field in ("meets", "exceeds"):
                value = getattr(expectation, field)
                if value is not None and not low <= value <= high:
                    yield _where(
                        entry,
                        ("expectations", i, field),
                        f"{field} ({value:g}) is not on the 1–5 rating scale",
                        "HB118",
                        hint="feedback expectations are mean ratings from 1 to 5",
                    )


def _targets(ctx: LintContext) -> Iterator[tuple[RoleEntry, DataPath, Commitment, Target]]:
    for entry in ctx.roles:
        for i, commitment in enumerate(entry.role.commitments):
            for j, target in enumerate(commitment.targets):
                yield entry, ("commitments", i, "targets", j), commitment, target


@rule("HB121", "positive-duration", Severity.ERROR)
def positive_duration(ctx: LintContext) -> Iterator[Diagnostic]:
    """Response and resolution targets are longer than zero."""
    for entry, base, _commitment, target in _targets(ctx):
        for field in ("response", "resolution"):
            value = getattr(target, field)
            if value is not None and not durations.minutes(value):
                yield _where(
                    entry,
                    (*base, field),
                    f"'{value}' is not a positive duration",
                    "HB121",
                    hint="write a duration longer than zero, like 30m, 4h, 2d or 1w",
                )


@rule("HB106", "response-after-resolution", Severity.ERROR)
def response_after_resolution(ctx: LintContext) -> Iterator[Diagnostic]:
    """A target's ``response`` comes no later than its ``resolution``."""
    day = ctx.settings.business_day_hours
    for entry, base, commitment, target in _targets(ctx):
        if target.resolution is None:
            continue
        response = durations.minutes(
            target.response, hours=commitment.hours, business_day_hours=day
        )
        resolution = durations.minutes(
            target.resolution, hours=commitment.hours, business_day_hours=day
        )
        if response and resolution and resolution < response:
            yield _where(
                entry,
                (*base, "resolution"),
                f"'resolution' ({target.resolution}) is shorter than "
                f"'response' ({target.response})",
                "HB106",
                hint="a response can't come after the resolution",
            )


@rule("HB119", "unknown-priority", Severity.ERROR)
def unknown_priority(ctx: LintContext) -> Iterator[Diagnostic]:
    """Target priorities come from the configured list, each at most once per commitment."""
    allowed = ctx.settings.priorities
    for entry in ctx.roles:
        for i, commitment in enumerate(entry.role.commitments):
            seen: set[str] = set()
            for j, target in enumerate(commitment.targets):
                path: DataPath = ("commitments", i, "targets", j, "priority")
                if target.priority not in allowed:
                    yield _where(
                        entry,
                        path,
                        f"unknown priority '{target.priority}'",
                        "HB119",
                        hint=_suggest(target.priority, allowed)
                        or f"configured priorities: {', '.join(allowed)}",
                    )
                elif target.priority in seen:
                    yield _where(
                        entry, path, f"priority '{target.priority}' has two targets", "HB119"
                    )
                seen.add(target.priority)


# --- workload ----------------------------------------------------------------------------


@rule("HB107", "shares-over-100", Severity.ERROR)
def shares_over_100(ctx: LintContext) -> Iterator[Diagnostic]:
    """The shares of a role's responsibilities add up to at most 100 %."""
    for entry in ctx.roles:
        total = round(sum(r.share or 0 for r in entry.role.responsibilities), 6)
        if total > 100:
            yield _where(
                entry,
                ("responsibilities",),
                f"responsibility shares add up to {total:g} %, more than 100 %",
                "HB107",
                hint="the outline must fit one person's working time; move work elsewhere",
            )


@rule("HB108", "workload-limit", Severity.WARNING)
def workload_limit(ctx: LintContext) -> Iterator[Diagnostic]:
    """More responsibilities or commitments than the configured limits."""
    limits = {
        "responsibilities": ctx.settings.max_responsibilities,
        "commitments": ctx.settings.max_commitments,
    }
    for entry in ctx.roles:
        counts = {
            "responsibilities": len(entry.role.responsibilities),
            "commitments": len(entry.role.commitments),
        }
        for kind, limit in limits.items():
            if counts[kind] > limit:
                yield entry.doc.diagnostic(
                    (kind,),
                    f"{counts[kind]} {kind}, more than the limit of {limit}",
                    severity=Severity.WARNING,
                    code="HB108",
                    hint="a role with this much work risks overload; split it or share the work",
                )


# --- ownership and freshness -------------------------------------------------------------


@rule("HB109", "review-overdue", Severity.WARNING, strict=Severity.ERROR)
def review_overdue(ctx: LintContext) -> Iterator[Diagnostic]:
    """``review_by`` is a real date, not in the past (an error with --strict)."""
    for entry in ctx.roles:
        text = entry.role.review_by
        if text is None:
            continue
        try:
            date = dt.date.fromisoformat(text)
        except ValueError:
            yield _where(
                entry,
                ("review_by",),
                f"'{text}' is not a calendar date",
                "HB109",
                hint="write the date as YYYY-MM-DD",
            )
            continue
        if date < ctx.today:
            yield entry.doc.diagnostic(
                ("review_by",),
                f"the review date {text} has passed",
                severity=Severity.WARNING,
                code="HB109",
                hint="the owners should review this role and set a new date",
            )


@rule("HB110", "missing-owner", Severity.WARNING)
def missing_owner(ctx: LintContext) -> Iterator[Diagnostic]:
    """Every role names its owners and a review date."""
    for entry in ctx.roles:
        for field, value in (("owners", entry.role.owners), ("review_by", entry.role.review_by)):
            if not value:
                yield entry.doc.diagnostic(
                    (),
                    f"'{field}' is missing",
                    severity=Severity.WARNING,
                    code="HB110",
                    hint="owners approve changes and review_by keeps the role fresh",
                )


# --- gaps --------------------------------------------------------------------------------


@rule("HB111", "promises-nothing", Severity.INFO)
def promises_nothing(ctx: LintContext) -> Iterator[Diagnostic]:
    """A role with no commitments serves no internal customer visibly."""
    for entry in ctx.roles:
        if not entry.role.commitments:
            yield entry.doc.diagnostic(
                (),
                f"role '{entry.role.id}' promises nothing to anyone",
                severity=Severity.INFO,
                code="HB111",
                hint="add the services this role gives to colleagues as commitments",
            )


@rule("HB112", "unused-expectation", Severity.INFO)
def unused_expectation(ctx: LintContext) -> Iterator[Diagnostic]:
    """An expectation that no reward and no feedback uses."""
    for entry in ctx.roles:
        used = Counter(name for reward in entry.role.rewards for name in reward.requires)
        for i, expectation in enumerate(entry.role.expectations):
            if expectation.id not in used and expectation.source != "feedback":
                yield entry.doc.diagnostic(
                    ("expectations", i, "id"),
                    f"expectation '{expectation.id}' is used by no reward",
                    severity=Severity.INFO,
                    code="HB112",
                    hint="tie it to a reward, or measure it with feedback",
                )


# --- running -----------------------------------------------------------------------------


def resolve_severity(
    rule_: Rule, overrides: Mapping[str, Severity | None], *, strict: bool = False
) -> Severity | None:
    """The severity of a rule: as configured (by code or name, None is off), else its default."""
    for key in (rule_.code, rule_.name):
        if key in overrides:
            return overrides[key]
    return rule_.strict if strict and rule_.strict else rule_.severity


def lint(ctx: LintContext) -> list[Diagnostic]:
    """Run every rule, applying configured severities; ``off`` rules are skipped."""
    found: list[Diagnostic] = []
    for rule_ in RULES:
        configured = resolve_severity(rule_, ctx.settings.rules, strict=ctx.settings.strict)
        if configured is None:
            continue
        diags = rule_.check(ctx)
        if configured != rule_.severity:
            diags = (d.with_severity(configured) for d in diags)
        found.extend(diags)
    return found

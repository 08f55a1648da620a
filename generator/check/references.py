"""Rules on references: every role, team, commitment and expectation named exists."""

from __future__ import annotations

from collections.abc import Iterator

from generator.check.context import Finding, LintContext, RoleEntry, suggest
from generator.check.registry import rule
from generator.diagnostics import codes
from generator.diagnostics.values import msg
from generator.load.strict_yaml import DataPath

_UNKNOWN = {"role": msg("unknown role '%(id)s'"), "team": msg("unknown team '%(id)s'")}


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


@rule(codes.DANGLING_REFERENCE, local=True)
def dangling_references(ctx: LintContext) -> Iterator[Finding]:
    """Every role, team, commitment and expectation a file names exists."""
    known = {"role": ctx.known_roles, "team": ctx.known_teams}
    for entry in ctx.roles:
        for path, kind, ident in _role_references(entry):
            if kind == "team" and not ctx.teams_read:
                continue  # teams.yaml itself is reported; don't repeat it for every reference
            if ident not in known[kind]:
                yield entry.finding(
                    path,
                    msg(_UNKNOWN[kind].template, id=ident),
                    hint=suggest(ident, known[kind]),
                )
        yield from _own_references(entry)
    for index, team in enumerate(ctx.teams):
        if team.parent is not None and team.parent not in ctx.known_teams:
            yield ctx.team_finding(
                index,
                "parent",
                msg(_UNKNOWN["team"].template, id=team.parent),
                hint=suggest(team.parent, ctx.known_teams),
            )
        if team.lead is not None and team.lead not in ctx.known_roles:
            yield ctx.team_finding(
                index,
                "lead",
                msg(_UNKNOWN["role"].template, id=team.lead),
                hint=suggest(team.lead, ctx.known_roles),
            )


def _own_references(entry: RoleEntry) -> Iterator[Finding]:
    role = entry.role
    commitments = [c.id for c in role.commitments]
    expectations = [e.id for e in role.expectations]
    for i, expectation in enumerate(role.expectations):
        if expectation.commitment is not None and expectation.commitment not in commitments:
            yield entry.finding(
                ("expectations", i, "commitment"),
                msg("'%(id)s' is not a commitment of this role", id=expectation.commitment),
                hint=suggest(expectation.commitment, commitments)
                or msg("feedback counts only for the role's own commitments"),
            )
    for i, reward in enumerate(role.rewards):
        for name in reward.requires:
            if name not in expectations:
                yield entry.finding(
                    ("rewards", i, "requires", name),
                    msg("'%(id)s' is not an expectation of this role", id=name),
                    hint=suggest(name, expectations),
                    key=True,
                )

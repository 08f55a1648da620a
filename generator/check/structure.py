"""Rules on the shape of the organisation: trees without cycles, one top, leads in their team."""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from generator.check.context import Finding, LintContext, RoleEntry
from generator.check.registry import rule
from generator.diagnostics import codes
from generator.diagnostics.values import msg


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


@rule(codes.REPORTS_TO_CYCLE)
def reports_to_cycles(ctx: LintContext) -> Iterator[Finding]:
    """Following ``reports_to`` always reaches the top, never comes back round."""
    by_id: dict[str, RoleEntry] = {}
    for entry in ctx.roles:  # a repeated id is reported once; its first file counts
        by_id.setdefault(entry.role.id, entry)
    for cycle in _find_cycles({ident: e.role.reports_to for ident, e in by_id.items()}):
        chain = " → ".join([*cycle, cycle[0]])
        yield by_id[cycle[0]].finding(
            ("reports_to",),
            msg("reports_to forms a cycle: %(chain)s", chain=chain),
            hint=msg("one role in the chain must report to someone outside it"),
        )


@rule(codes.TEAM_CYCLE)
def team_cycles(ctx: LintContext) -> Iterator[Finding]:
    """Team ``parent`` links form a tree."""
    index = {t.id: i for i, t in reversed(list(enumerate(ctx.teams)))}
    for cycle in _find_cycles({t.id: t.parent for t in ctx.teams}):
        chain = " → ".join([*cycle, cycle[0]])
        yield ctx.team_finding(
            index[cycle[0]],
            "parent",
            msg("team parents form a cycle: %(chain)s", chain=chain),
        )


@rule(codes.SINGLE_TOP)
def single_top(ctx: LintContext) -> Iterator[Finding]:
    """Exactly one role has no ``reports_to``: the top of the organisation."""
    tops = [e for e in ctx.roles if e.role.reports_to is None]
    if not tops and ctx.roles and ctx.all_roles_valid:
        yield ctx.roles[0].finding(
            (),
            msg("no role is at the top: every role has reports_to"),
            hint=msg("leave reports_to out of exactly one role, the head of the organisation"),
        )
    for extra in tops[1:]:
        yield extra.finding(
            ("id",),
            msg(
                "'%(role)s' has no reports_to, but '%(top)s' is already the top",
                role=extra.role.id,
                top=tops[0].role.id,
            ),
            hint=msg("add reports_to: only one role may be at the top"),
        )


@rule(codes.SELF_REFERENCE, local=True)
def self_reference(ctx: LintContext) -> Iterator[Finding]:
    """A commitment escalates to another role, never to the role itself."""
    for entry in ctx.roles:
        for i, commitment in enumerate(entry.role.commitments):
            if commitment.escalate_to == entry.role.id:
                yield entry.finding(
                    ("commitments", i, "escalate_to"),
                    msg("a commitment cannot escalate to its own role"),
                    hint=msg("name the role that steps in, usually the one reported to"),
                )


def _within(parent: Mapping[str, str | None], team: str, top: str) -> bool:
    """Whether ``team`` is ``top`` or below it, walking up parents (each visited once)."""
    seen: set[str] = set()
    node: str | None = team
    while node is not None and node not in seen:
        if node == top:
            return True
        seen.add(node)
        node = parent.get(node)
    return False


@rule(codes.LEAD_OUTSIDE_TEAM)
def lead_outside_team(ctx: LintContext) -> Iterator[Finding]:
    """A team's lead is a role in that team or one of its sub-teams."""
    team_of = {e.role.id: e.role.team for e in ctx.roles}
    parent = {t.id: t.parent for t in ctx.teams}
    for index, team in enumerate(ctx.teams):
        if team.lead is None or team.lead not in team_of:
            continue
        if not _within(parent, team_of[team.lead], team.id):
            yield ctx.team_finding(
                index,
                "lead",
                msg(
                    "lead '%(lead)s' belongs to team '%(other)s', not to '%(team)s' or its"
                    " sub-teams",
                    lead=team.lead,
                    other=team_of[team.lead],
                    team=team.id,
                ),
            )

"""Rules on bounds the schema cannot state: reserved ids, the team tree's depth, durations."""

from __future__ import annotations

from collections.abc import Iterator

from generator.check.context import Finding, LintContext
from generator.check.registry import rule
from generator.check.targets import timed_targets
from generator.diagnostics import codes
from generator.diagnostics.values import msg
from generator.model import durations

RESERVED_TEAM_IDS = frozenset({"index"})
"""Team ids whose pages would take the address of a generated page (``who-serves-me/``)."""
RESERVED_ROLE_IDS = frozenset({"index"})
"""Role ids whose page would be the index of the ``roles/`` folder."""
MAX_TEAM_DEPTH = 16
"""How many levels the team tree may have, the top teams counting as the first."""
MAX_DURATION = {"m": 366 * 24 * 60, "h": 366 * 24, "d": 366, "w": 53}
"""The longest target in each unit: a year."""


@rule(codes.RESERVED_ID, local=True)
def reserved_ids(ctx: LintContext) -> Iterator[Finding]:
    """No team or role id takes the address of a generated page (such as 'index')."""
    for index, team in enumerate(ctx.teams):
        if team.id in RESERVED_TEAM_IDS:
            yield ctx.team_finding(
                index,
                "id",
                msg(
                    "team id '%(id)s' is reserved: its page would replace a generated page",
                    id=team.id,
                ),
                hint=msg("choose another id, e.g. '%(id)s-team'", id=team.id),
            )
    for entry in ctx.roles:
        if entry.role.id in RESERVED_ROLE_IDS:
            yield entry.finding(
                ("id",),
                msg(
                    "role id '%(id)s' is reserved: its page would replace a generated page",
                    id=entry.role.id,
                ),
                hint=msg(
                    "choose another id, e.g. '%(id)s-role', and rename the file", id=entry.role.id
                ),
            )


def _depths(ctx: LintContext) -> dict[str, int]:
    """How deep each team sits (1 for a top team), following parents without recursion."""
    parent = {t.id: t.parent for t in ctx.teams}
    depth: dict[str, int] = {}
    for start in parent:
        chain: list[str] = []
        node: str | None = start
        while node is not None and node in parent and node not in depth and node not in chain:
            chain.append(node)
            node = parent[node]
        base = depth.get(node, 0) if node is not None else 0  # a cycle is reported elsewhere
        for offset, team in enumerate(reversed(chain), start=1):
            depth[team] = base + offset
    return depth


@rule(codes.TEAM_DEPTH)
def team_depth(ctx: LintContext) -> Iterator[Finding]:
    """The team tree is at most 16 levels deep."""
    depth = _depths(ctx)
    for index, team in enumerate(ctx.teams):
        parent_depth = depth.get(team.parent, 0) if team.parent else 0
        if depth.get(team.id, 0) > MAX_TEAM_DEPTH >= parent_depth:
            yield ctx.team_finding(
                index,
                "parent",
                msg(
                    "team '%(id)s' is %(depth)s levels deep; the team tree has at most"
                    " %(most)s levels",
                    id=team.id,
                    depth=depth[team.id],
                    most=MAX_TEAM_DEPTH,
                ),
                hint=msg("attach the team to a department higher up"),
            )


@rule(codes.DURATION_LIMIT, local=True)
def duration_limit(ctx: LintContext) -> Iterator[Finding]:
    """Response and resolution targets are at most a year (366d, 53w, 8784h)."""
    for entry, base, _commitment, target in timed_targets(ctx):
        for field in ("response", "resolution"):
            value = getattr(target, field)
            parsed = durations.parse(value) if value is not None else None
            if parsed is not None and parsed[0] > MAX_DURATION[parsed[1]]:
                limit = MAX_DURATION[parsed[1]]
                yield entry.finding(
                    (*base, field),
                    msg("'%(value)s' is longer than a year", value=value),
                    hint=msg("a target is at most a year: %(limit)s", limit=f"{limit}{parsed[1]}"),
                )

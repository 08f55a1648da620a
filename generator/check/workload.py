"""Rules on workload: shares of working time and the number of responsibilities."""

from __future__ import annotations

from collections.abc import Iterator

from generator.check.context import Finding, LintContext
from generator.check.registry import rule
from generator.diagnostics import codes
from generator.diagnostics.values import msg


@rule(codes.SHARES_OVER_100, local=True)
def shares_over_100(ctx: LintContext) -> Iterator[Finding]:
    """The shares of a role's responsibilities add up to at most 100 %."""
    for entry in ctx.roles:
        total = round(sum(r.share or 0 for r in entry.role.responsibilities), 6)
        if total > 100:
            yield entry.finding(
                ("responsibilities",),
                msg(
                    "responsibility shares add up to %(total)s %%, more than 100 %%",
                    total=f"{total:g}",
                ),
                hint=msg("the outline must fit one person's working time; move work elsewhere"),
            )


_LIMITS = {
    "responsibilities": msg("%(count)s responsibilities, more than the limit of %(limit)s"),
    "commitments": msg("%(count)s commitments, more than the limit of %(limit)s"),
}


@rule(codes.WORKLOAD_LIMIT, local=True)
def workload_limit(ctx: LintContext) -> Iterator[Finding]:
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
                yield entry.finding(
                    (kind,),
                    msg(_LIMITS[kind].template, count=counts[kind], limit=limit),
                    hint=msg(
                        "a role with this much work risks overload; split it or share the work"
                    ),
                )

"""Rules on gaps: roles that promise nothing, expectations nothing uses."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

from generator.check.context import Finding, LintContext
from generator.check.registry import rule
from generator.diagnostics import codes
from generator.diagnostics.values import msg


@rule(codes.PROMISES_NOTHING, local=True)
def promises_nothing(ctx: LintContext) -> Iterator[Finding]:
    """A role with no commitments serves no internal customer visibly."""
    for entry in ctx.roles:
        if not entry.role.commitments:
            yield entry.finding(
                (),
                msg("role '%(id)s' promises nothing to anyone", id=entry.role.id),
                hint=msg("add the services this role gives to colleagues as commitments"),
            )


@rule(codes.UNUSED_EXPECTATION, local=True)
def unused_expectation(ctx: LintContext) -> Iterator[Finding]:
    """An expectation that no reward and no feedback uses."""
    for entry in ctx.roles:
        used = Counter(name for reward in entry.role.rewards for name in reward.requires)
        for i, expectation in enumerate(entry.role.expectations):
            if expectation.id not in used and expectation.source != "feedback":
                yield entry.finding(
                    ("expectations", i, "id"),
                    msg("expectation '%(id)s' is used by no reward", id=expectation.id),
                    hint=msg("tie it to a reward, or measure it with feedback"),
                )

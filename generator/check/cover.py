"""Rules on cover: demanding promises have a second role, escalations reach someone on duty.

The conditions are the workload view's (:mod:`generator.measure.workload`), so a note of
``handbook validate`` and a flag on the workload page always agree.
"""

from __future__ import annotations

from collections.abc import Iterator

from generator.check.context import Finding, LintContext
from generator.check.registry import rule
from generator.diagnostics import codes
from generator.measure import workload
from generator.model import durations


@rule(codes.SINGLE_POINT)
def single_point_of_failure(ctx: LintContext) -> Iterator[Finding]:
    """A round-the-clock or very fast promise (``workload.short_target``) has a second role that makes it too."""  # noqa: E501
    if not ctx.all_roles_valid:
        return  # a file that failed to load may hold the second role
    holders = workload.service_holders(entry.role for entry in ctx.roles)
    for entry in ctx.roles:
        for index, commitment, fastest in workload.single_points(entry.role, holders, ctx.settings):
            if fastest is None:
                why = "is promised around the clock"
            else:
                words = durations.in_words(fastest, hours=commitment.hours)
                why = f"promises a first response within {words}"
                if commitment.hours == "always":
                    why += ", around the clock"
            yield entry.finding(
                ("commitments", index, "service"),
                f"'{commitment.service}' {why}, and no other role makes this commitment",
                hint="give a second role the same service as its backup, or relax the target",
            )


@rule(codes.ESCALATION_GAP)
def escalation_gap(ctx: LintContext) -> Iterator[Finding]:
    """Escalations reach someone: a role with a manager names whom to escalate to, a round-the-clock promise a role on duty around the clock."""  # noqa: E501
    roles = {entry.role.id: entry.role for entry in ctx.roles}
    for entry in ctx.roles:
        for index, commitment in enumerate(entry.role.commitments):
            reason = workload.escalation_gap(entry.role, commitment, roles)
            if reason == "none":
                yield entry.finding(
                    ("commitments", index, "service"),
                    f"'{commitment.service}' names nobody to escalate to",
                    hint="add escalate_to: the role that steps in when a target is missed",
                )
            elif reason == "off-hours":
                yield entry.finding(
                    ("commitments", index, "escalate_to"),
                    f"'{commitment.service}' is promised around the clock, but escalates to "
                    f"'{commitment.escalate_to}', who serves only in business hours",
                    hint="escalate to a role on duty around the clock, or give that role "
                    "a round-the-clock commitment",
                )

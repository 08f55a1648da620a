"""Rules on cover: demanding promises have a second role, escalations reach someone on duty.

The conditions are the workload view's (:mod:`generator.measure.workload`), so a note of
``handbook validate`` and a flag on the workload page always agree.
"""

from __future__ import annotations

from collections.abc import Iterator

from generator.check.context import Finding, LintContext
from generator.check.registry import rule
from generator.diagnostics import codes
from generator.diagnostics.values import Msg, Text, msg
from generator.measure import workload
from generator.model import durations


def _duration(text: str, hours: str) -> Text:
    """A duration in words a catalog translates (``30 minutes``)."""
    forms = durations.plural_forms(text, hours=hours)
    if forms is None:
        return text
    singular, plural, amount = forms
    count = int(amount) if float(amount).is_integer() else 2
    return Msg(singular, (("num", f"{amount:g}"),), plural, count)


@rule(codes.SINGLE_POINT)
def single_point_of_failure(ctx: LintContext) -> Iterator[Finding]:
    """A round-the-clock or very fast promise (``workload.short_target``) has a second role that makes it too."""  # noqa: E501
    if not ctx.all_roles_valid:
        return  # a file that failed to load may hold the second role
    holders = workload.service_holders(entry.role for entry in ctx.roles)
    for entry in ctx.roles:
        for index, commitment, fastest in workload.single_points(entry.role, holders, ctx.settings):
            service = commitment.service
            if fastest is None:
                message = msg(
                    "'%(service)s' is promised around the clock, and no other role makes this"
                    " commitment",
                    service=service,
                )
            else:
                words = _duration(fastest, commitment.hours)
                if commitment.hours == "always":
                    message = msg(
                        "'%(service)s' promises a first response within %(time)s, around the"
                        " clock, and no other role makes this commitment",
                        service=service,
                        time=words,
                    )
                else:
                    message = msg(
                        "'%(service)s' promises a first response within %(time)s, and no other"
                        " role makes this commitment",
                        service=service,
                        time=words,
                    )
            yield entry.finding(
                ("commitments", index, "service"),
                message,
                hint=msg("give a second role the same service as its backup, or relax the target"),
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
                    msg("'%(service)s' names nobody to escalate to", service=commitment.service),
                    hint=msg("add escalate_to: the role that steps in when a target is missed"),
                )
            elif reason == "off-hours":
                yield entry.finding(
                    ("commitments", index, "escalate_to"),
                    msg(
                        "'%(service)s' is promised around the clock, but escalates to"
                        " '%(role)s', who serves only in business hours",
                        service=commitment.service,
                        role=commitment.escalate_to,
                    ),
                    hint=msg(
                        "escalate to a role on duty around the clock, or give that role"
                        " a round-the-clock commitment"
                    ),
                )

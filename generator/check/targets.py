"""Rules on targets: levels in the right order, valid durations and priorities."""

from __future__ import annotations

from collections.abc import Iterator

from generator.check.context import Finding, LintContext, RoleEntry, suggest
from generator.check.registry import rule
from generator.diagnostics import codes
from generator.diagnostics.values import msg
from generator.load.strict_yaml import DataPath
from generator.model import durations
from generator.model.organisation import Commitment, Expectation, Target

FEEDBACK_SCALE = (1.0, 5.0)
_BELOW = msg("exceeds (%(exceeds)s) must be below meets (%(meets)s) when better is '%(better)s'")
_ABOVE = msg("exceeds (%(exceeds)s) must be above meets (%(meets)s) when better is '%(better)s'")


def _ordered(expectation: Expectation) -> bool:
    if expectation.exceeds is None:
        return True
    if expectation.better == "lower":
        return expectation.exceeds < expectation.meets
    return expectation.exceeds > expectation.meets


@rule(codes.TARGET_ORDER, local=True)
def target_order(ctx: LintContext) -> Iterator[Finding]:
    """``exceeds`` is strictly better than ``meets`` in the ``better`` direction."""
    for entry in ctx.roles:
        for i, expectation in enumerate(entry.role.expectations):
            if not _ordered(expectation):
                lower = expectation.better == "lower"
                yield entry.finding(
                    ("expectations", i, "exceeds"),
                    msg(
                        (_BELOW if lower else _ABOVE).template,
                        exceeds=f"{expectation.exceeds:g}",
                        meets=f"{expectation.meets:g}",
                        better=expectation.better,
                    ),
                    hint=msg("swap the values, or change 'better'"),
                )


@rule(codes.FEEDBACK_SCALE, local=True)
def feedback_scale(ctx: LintContext) -> Iterator[Finding]:
    """Feedback-based expectations are mean ratings on the 1–5 scale."""
    low, high = FEEDBACK_SCALE
    for entry in ctx.roles:
        for i, expectation in enumerate(entry.role.expectations):
            if expectation.source != "feedback":
                continue
            for field in ("meets", "exceeds"):
                value = getattr(expectation, field)
                if value is not None and not low <= value <= high:
                    yield entry.finding(
                        ("expectations", i, field),
                        msg(
                            "%(field)s (%(value)s) is not on the 1–5 rating scale",
                            field=field,
                            value=f"{value:g}",
                        ),
                        hint=msg("feedback expectations are mean ratings from 1 to 5"),
                    )


def timed_targets(ctx: LintContext) -> Iterator[tuple[RoleEntry, DataPath, Commitment, Target]]:
    """Every target of every commitment, with its role and its path in the file."""
    for entry in ctx.roles:
        for i, commitment in enumerate(entry.role.commitments):
            for j, target in enumerate(commitment.targets):
                yield entry, ("commitments", i, "targets", j), commitment, target


@rule(codes.POSITIVE_DURATION, local=True)
def positive_duration(ctx: LintContext) -> Iterator[Finding]:
    """Response and resolution targets are longer than zero."""
    for entry, base, _commitment, target in timed_targets(ctx):
        for field in ("response", "resolution"):
            value = getattr(target, field)
            if value is not None and not durations.minutes(value):
                yield entry.finding(
                    (*base, field),
                    msg("'%(value)s' is not a positive duration", value=value),
                    hint=msg("write a duration longer than zero, like 30m, 4h, 2d or 1w"),
                )


@rule(codes.RESPONSE_AFTER_RESOLUTION, local=True)
def response_after_resolution(ctx: LintContext) -> Iterator[Finding]:
    """A target's ``response`` comes no later than its ``resolution``."""
    day = ctx.settings.business_day_hours
    for entry, base, commitment, target in timed_targets(ctx):
        if target.resolution is None:
            continue
        response = durations.minutes(
            target.response, hours=commitment.hours, business_day_hours=day
        )
        resolution = durations.minutes(
            target.resolution, hours=commitment.hours, business_day_hours=day
        )
        if response and resolution and resolution < response:
            yield entry.finding(
                (*base, "resolution"),
                msg(
                    "'resolution' (%(resolution)s) is shorter than 'response' (%(response)s)",
                    resolution=target.resolution,
                    response=target.response,
                ),
                hint=msg("a response can't come after the resolution"),
            )


@rule(codes.UNKNOWN_PRIORITY, local=True)
def unknown_priority(ctx: LintContext) -> Iterator[Finding]:
    """Target priorities come from the configured list, each at most once per commitment."""
    allowed = ctx.settings.priority_ids
    for entry in ctx.roles:
        for i, commitment in enumerate(entry.role.commitments):
            seen: set[str] = set()
            for j, target in enumerate(commitment.targets):
                path: DataPath = ("commitments", i, "targets", j, "priority")
                if target.priority not in allowed:
                    yield entry.finding(
                        path,
                        msg("unknown priority '%(id)s'", id=target.priority),
                        hint=suggest(target.priority, allowed)
                        or msg("configured priorities: %(ids)s", ids=", ".join(allowed)),
                    )
                elif target.priority in seen:
                    yield entry.finding(
                        path,
                        msg("priority '%(id)s' has two targets", id=target.priority),
                    )
                seen.add(target.priority)

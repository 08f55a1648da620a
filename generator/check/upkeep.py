"""Rules on upkeep: every role has owners and is reviewed in time."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from generator.check.context import Finding, LintContext
from generator.check.registry import rule
from generator.diagnostics import codes
from generator.diagnostics.values import Severity, msg


@rule(codes.REVIEW_OVERDUE, local=True)
def review_overdue(ctx: LintContext) -> Iterator[Finding]:
    """``review_by`` is a real date, not in the past (an error with --strict)."""
    for entry in ctx.roles:
        text = entry.role.review_by
        if text is None:
            continue
        try:
            date = dt.date.fromisoformat(text)
        except ValueError:
            yield entry.finding(
                ("review_by",),
                msg("'%(value)s' is not a calendar date", value=text),
                hint=msg("write the date as YYYY-MM-DD"),
                severity=Severity.ERROR,
            )
            continue
        if date < ctx.today:
            yield entry.finding(
                ("review_by",),
                msg("the review date %(date)s has passed", date=text),
                hint=msg("the owners should review this role and set a new date"),
            )


@rule(codes.MISSING_OWNER, local=True)
def missing_owner(ctx: LintContext) -> Iterator[Finding]:
    """Every role names its owners and a review date."""
    for entry in ctx.roles:
        for field, value in (("owners", entry.role.owners), ("review_by", entry.role.review_by)):
            if not value:
                yield entry.finding(
                    (),
                    msg("'%(field)s' is missing", field=field),
                    hint=msg("owners approve changes and review_by keeps the role fresh"),
                )

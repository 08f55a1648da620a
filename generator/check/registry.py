"""The rules beyond the schema: each a function registered under its diagnostic code."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from generator.check.context import Finding, LintContext
from generator.diagnostics.codes import Code, configured_severity
from generator.diagnostics.values import Diagnostic, Severity

if TYPE_CHECKING:
    from generator.check.cache import RuleCache

FindFunc = Callable[[LintContext], Iterable[Finding]]
CheckFunc = Callable[[LintContext], list[Diagnostic]]


@dataclass(frozen=True, slots=True)
class Rule:
    """A check and the code its findings are reported under.

    Its ``whole`` part looks at the organisation as a whole; its ``local`` part finds
    problems in teams.yaml and in each role on its own: what it reports about a role
    depends only on that role and the context's sets (known ids, teams, settings,
    date), so :class:`generator.check.cache.RuleCache` runs it again only for the roles
    that changed.
    """

    declared: Code
    whole: CheckFunc | None = None
    local: CheckFunc | None = None

    def check(self, ctx: LintContext) -> list[Diagnostic]:
        """The rule's findings as diagnostics of its code, at the code's default severity."""
        found: list[Diagnostic] = []
        for part in (self.whole, self.local):
            if part is not None:
                found.extend(part(ctx))
        return found

    @property
    def code(self) -> str:
        """The rule's code, e.g. ``HB101``."""
        return self.declared.code

    @property
    def name(self) -> str:
        """The rule's name, e.g. ``dangling-reference``."""
        return self.declared.name

    @property
    def severity(self) -> Severity:
        """The rule's default severity."""
        return self.declared.severity

    @property
    def summary(self) -> str:
        """What the rule asks for."""
        return self.declared.summary


RULES: list[Rule] = []
"""Every rule, in the order they run."""


def _diagnostic(code: Code, finding: Finding) -> Diagnostic:
    return finding.doc.diagnostic(
        finding.path,
        finding.message,
        code=code,
        hint=finding.hint,
        key=finding.key,
        severity=finding.severity,
    )


def rule(code: Code, *, local: bool = False) -> Callable[[FindFunc], FindFunc]:
    """Register a rule whose findings are reported as ``code``; its docstring is the code's.

    ``local``: the function is the rule's local part (see :class:`Rule`). A code may have
    one part of each kind, registered by two functions.
    """

    def register(find: FindFunc) -> FindFunc:
        assert (find.__doc__ or "").strip() == code.summary, f"{code.code}: docstring ≠ summary"

        @functools.wraps(find)
        def check(ctx: LintContext) -> list[Diagnostic]:
            return [_diagnostic(code, finding) for finding in find(ctx)]

        known = next((i for i, r in enumerate(RULES) if r.declared == code), None)
        if known is None:
            RULES.append(Rule(code, None, check) if local else Rule(code, check))
            return find
        registered = RULES[known]
        assert (registered.local if local else registered.whole) is None, f"{code.code}: twice"
        RULES[known] = (
            replace(registered, local=check) if local else replace(registered, whole=check)
        )
        return find

    return register


def run_rules(ctx: LintContext, cache: RuleCache | None = None) -> list[Diagnostic]:
    """Every rule that is not turned off, its findings as diagnostics of its code.

    Severities are the codes' defaults here; the configured ones are applied to all of a
    handbook's diagnostics at once (:func:`generator.diagnostics.codes.relevel`). With
    ``cache`` (kept between runs), the local parts run only for roles that changed.
    """
    levels = dict(ctx.settings.rules)
    active = [
        registered
        for registered in RULES
        if configured_severity(registered.declared, levels, strict=ctx.settings.strict) is not None
    ]
    if cache is None:
        return [found for registered in active for found in registered.check(ctx)]
    local = cache.local_findings(ctx, [r.local for r in active if r.local is not None])
    found: list[Diagnostic] = []
    for registered in active:
        if registered.whole is not None:
            found.extend(registered.whole(ctx))
        if registered.local is not None:
            found.extend(local[registered.local])
    return found

"""The rules beyond the schema: each a function registered under its diagnostic code."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from generator.check.context import Finding, LintContext
from generator.diagnostics.codes import Code, configured_severity
from generator.diagnostics.values import Diagnostic, Severity

FindFunc = Callable[[LintContext], Iterable[Finding]]
CheckFunc = Callable[[LintContext], list[Diagnostic]]


@dataclass(frozen=True, slots=True)
class Rule:
    """A check and the code its findings are reported under."""

    declared: Code
    check: CheckFunc
    """The rule's findings as diagnostics of its code, at the code's default severity."""

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


def rule(code: Code) -> Callable[[FindFunc], FindFunc]:
    """Register a rule whose findings are reported as ``code``; its docstring is the code's."""

    def register(find: FindFunc) -> FindFunc:
        assert (find.__doc__ or "").strip() == code.summary, f"{code.code}: docstring ≠ summary"

        @functools.wraps(find)
        def check(ctx: LintContext) -> list[Diagnostic]:
            return [_diagnostic(code, finding) for finding in find(ctx)]

        RULES.append(Rule(code, check))
        return find

    return register


def run_rules(ctx: LintContext) -> list[Diagnostic]:
    """Every rule that is not turned off, its findings as diagnostics of its code.

    Severities are the codes' defaults here; the configured ones are applied to all of a
    handbook's diagnostics at once (:func:`generator.diagnostics.codes.relevel`).
    """
    levels = dict(ctx.settings.rules)
    found: list[Diagnostic] = []
    for registered in RULES:
        severity = configured_severity(registered.declared, levels, strict=ctx.settings.strict)
        if severity is not None:
            found.extend(registered.check(ctx))
    return found

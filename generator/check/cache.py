"""The rules' local parts, run again only for the role files that changed.

``mkdocs serve`` loads the handbook after every edit; most of the rules look at one role
at a time (:class:`generator.check.registry.Rule`), so what they found in the files an
edit did not touch is kept, as long as what they compare against stays the same.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from generator.check.context import LintContext, RoleEntry
from generator.check.registry import CheckFunc
from generator.diagnostics.values import Diagnostic
from generator.load.strict_yaml import Document
from generator.model.organisation import Role

Found = dict[CheckFunc, list[Diagnostic]]
"""Diagnostics by the local part that reported them."""


@dataclass(slots=True)
class _Checked:
    """A role file's role and document as they were checked, and what was found in it."""

    role: Role
    doc: Document
    found: Found = field(default_factory=dict)


def _context(ctx: LintContext, checks: Sequence[CheckFunc]) -> object:
    """What a local part compares a role against: when it changes, every role is checked."""
    teams_doc = ctx.teams_doc
    teams_text = (teams_doc.file, teams_doc.text) if teams_doc is not None else None
    return (
        tuple(checks),
        ctx.teams,
        teams_text,
        ctx.known_roles,
        ctx.known_teams,
        ctx.settings,
        ctx.today,
    )


class RuleCache:
    """What the rules' local parts found, by role file, kept between runs of the rules."""

    def __init__(self) -> None:
        self._context: object = None
        self._roles: dict[str, _Checked] = {}
        self._others: Found = {}
        """Findings outside role files (in teams.yaml)."""

    def local_findings(self, ctx: LintContext, checks: Sequence[CheckFunc]) -> Found:
        """The findings of every local part in ``checks`` over ``ctx``."""
        context = _context(ctx, checks)
        if context != self._context:
            self._context, self._roles, self._others = context, {}, {}
            stale = list(ctx.roles)
        else:
            stale = [entry for entry in ctx.roles if not self._unchanged(entry)]
        if stale or not self._roles:
            self._check(ctx, checks, stale)
        current = {entry.doc.file for entry in ctx.roles}
        if len(current) != len(self._roles):
            self._roles = {file: kept for file, kept in self._roles.items() if file in current}
        return self._collect(ctx, checks)

    def _unchanged(self, entry: RoleEntry) -> bool:
        kept = self._roles.get(entry.doc.file)
        return kept is not None and kept.role is entry.role and kept.doc is entry.doc

    def _check(self, ctx: LintContext, checks: Sequence[CheckFunc], stale: list[RoleEntry]) -> None:
        """Run the local parts over the ``stale`` roles alone (and teams.yaml)."""
        for entry in stale:
            self._roles[entry.doc.file] = _Checked(entry.role, entry.doc)
        files = {entry.doc.file for entry in stale}
        sub = replace(ctx, roles=tuple(stale))
        self._others = {}
        for check in checks:
            others: list[Diagnostic] = []
            for diag in check(sub):
                file = diag.location.file
                if file in files:
                    self._roles[file].found.setdefault(check, []).append(diag)
                else:
                    others.append(diag)
            self._others[check] = others

    def _collect(self, ctx: LintContext, checks: Sequence[CheckFunc]) -> Found:
        collected: Found = {check: list(self._others.get(check, ())) for check in checks}
        for entry in ctx.roles:
            for check, diags in self._roles[entry.doc.file].found.items():
                collected[check].extend(diags)
        return collected

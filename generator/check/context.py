"""What the rules look at, and the findings they report."""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Iterable
from dataclasses import dataclass

from generator.diagnostics.values import Severity, Text, msg
from generator.load.strict_yaml import DataPath, Document
from generator.model.organisation import Role, Team
from generator.model.settings import Settings

DID_YOU_MEAN = msg("did you mean '%(value)s'?")


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem a rule found: where in which file, what, and how to fix it.

    The rule that yields it gives it its code and severity; ``severity`` is set only for
    a variant its code's summary names.
    """

    doc: Document
    path: DataPath
    message: Text
    hint: Text = ""
    key: bool = False
    severity: Severity | None = None


@dataclass(frozen=True, slots=True)
class RoleEntry:
    """A schema-valid role and the document it came from."""

    role: Role
    doc: Document

    def finding(
        self,
        path: DataPath,
        message: Text,
        *,
        hint: Text = "",
        key: bool = False,
        severity: Severity | None = None,
    ) -> Finding:
        """A finding at ``path`` of this role's file."""
        return Finding(self.doc, path, message, hint, key, severity)


@dataclass(frozen=True, slots=True)
class LintContext:
    """Everything the rules look at; duplicates are kept so they can be reported."""

    roles: tuple[RoleEntry, ...]
    teams: tuple[Team, ...]
    teams_doc: Document | None
    known_roles: frozenset[str]
    known_teams: frozenset[str]
    settings: Settings
    today: dt.date
    all_roles_valid: bool = True

    @property
    def teams_read(self) -> bool:
        """Whether teams.yaml was read and valid, so team references can be checked."""
        return self.teams_doc is not None

    def team_finding(self, index: int, field: str, message: Text, *, hint: Text = "") -> Finding:
        """A finding at ``teams[index].field`` of teams.yaml."""
        assert self.teams_doc is not None, "teams are only linted when teams.yaml was read"
        return Finding(self.teams_doc, ("teams", index, field), message, hint)


def suggest(value: str, candidates: Iterable[str]) -> Text:
    """``did you mean '…'?`` for the closest candidate, or ''."""
    close = difflib.get_close_matches(value, list(candidates), n=1, cutoff=0.6)
    return msg(DID_YOU_MEAN.template, value=close[0]) if close else ""

"""The single entry point: load, validate and lint a handbook directory."""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from generator.check import LintContext, RoleEntry, run_rules
from generator.check.cache import RuleCache
from generator.diagnostics import codes
from generator.diagnostics.values import Diagnostic, sort_key
from generator.load.calendars import with_calendars
from generator.load.files import (
    TEAMS_FILE,
    FileCache,
    declared_id,
    discover_role_files,
    known_team_ids,
    organisation_name,
    read_role,
    read_teams,
)
from generator.load.salvage import Salvaged, salvage_role
from generator.load.schema_copy import copy_diagnostics, modeline_diagnostics
from generator.load.strict_yaml import Document
from generator.model.organisation import Organisation, Role, Team
from generator.model.settings import Settings

if TYPE_CHECKING:
    from generator.load.measurements import Measurements

__all__ = ["FileCache", "Project", "build_date", "load_project"]

_Item = TypeVar("_Item", Team, Role)


@dataclass(frozen=True, slots=True)
class Project:
    """A loaded handbook: settings, the organisation, and where each role was written."""

    root: Path
    settings: Settings
    organisation: Organisation
    documents: dict[str, Document] = field(default_factory=dict)
    measurements: Measurements = field(default_factory=dict)
    """Manual measurements by period (``measurements/<period>.yaml``)."""
    today: dt.date | None = None
    """The date the rules judged review dates against (the build date)."""

    @property
    def roles_path(self) -> Path:
        """The folder holding role files."""
        return self.root / self.settings.roles_dir


def build_date() -> dt.date:
    """Today in UTC, or the date ``SOURCE_DATE_EPOCH`` pins for reproducible builds."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.UTC).date()
    return dt.datetime.now(dt.UTC).date()


def load_project(
    root: Path,
    settings: Settings | None = None,
    *,
    today: dt.date | None = None,
    cache: FileCache | None = None,
    rule_cache: RuleCache | None = None,
) -> tuple[Project, list[Diagnostic]]:
    """Load every file of the handbook at ``root``; return it and all diagnostics, sorted.

    With ``cache`` (a dict kept between calls, e.g. across ``mkdocs serve`` rebuilds),
    role files whose modification time and size are unchanged are not read again; with
    ``rule_cache``, the rules that look at one role at a time check only the roles that changed.
    """
    settings = settings or Settings()
    roles_path = root / settings.roles_dir
    teams_doc, teams, diags = read_teams(roles_path / TEAMS_FILE, root)
    if teams_doc is not None and teams:
        teams, problems = with_calendars(teams, teams_doc, settings.calendar)
        diags.extend(problems)
    files, found = discover_role_files(roles_path, root)
    diags.extend(found)
    entries: list[RoleEntry] = []
    documents: dict[str, Document] = {}
    known_roles: set[str] = set()
    salvaged: dict[str, Salvaged] = {}
    checked_only: list[RoleEntry] = []
    for path in files:
        doc, role, problems = read_role(path, root, cache)
        diags.extend(problems)
        # A file that failed still names a role: its id, or else its stem (which must match).
        known_roles.add(declared_id(doc) or path.stem)
        if doc is not None and role is not None:
            entries.append(RoleEntry(role, doc))
            documents.setdefault(role.id, doc)
        elif doc is not None and (repaired := salvage_role(doc)) is not None:
            salvaged[doc.file] = repaired
            checked_only.append(RoleEntry(repaired.role, doc))
    context = LintContext(
        roles=(*entries, *checked_only),
        teams=tuple(teams),
        teams_doc=teams_doc if teams else None,
        known_roles=frozenset(known_roles),
        known_teams=frozenset(known_team_ids(teams_doc)),
        settings=settings,
        today=today or build_date(),
        all_roles_valid=len(entries) == len(files),
    )
    diags.extend(_kept(run_rules(context, rule_cache), salvaged))
    diags.extend(copy_diagnostics(root))
    written = [(e.doc, "role") for e in entries]
    if teams_doc is not None:
        written.insert(0, (teams_doc, "teams"))
    diags.extend(modeline_diagnostics(root, written))
    organisation = Organisation(
        name=organisation_name(teams_doc),
        teams=_first_of_each(teams),
        roles=_first_of_each([e.role for e in entries]),
    )
    measured, problems = _measurements(
        root, settings, organisation, frozenset(known_roles - set(organisation.roles))
    )
    diags.extend(problems)
    project = Project(root, settings, organisation, documents, measured, today=context.today)
    diags = codes.relevel(diags, dict(settings.rules), strict=settings.strict)
    return project, sorted(diags, key=sort_key)


def _measurements(
    root: Path, settings: Settings, organisation: Organisation, invalid_roles: frozenset[str]
) -> tuple[Measurements, list[Diagnostic]]:
    """The manual measurements and their problems; none without a measurements folder."""
    folder = root / settings.measure.measurements_dir
    if not folder.is_dir():
        return {}, []
    from generator.load.measurements import load_measurements  # noqa: PLC0415 - only with files

    return load_measurements(
        folder, root, organisation, settings.measure.period, invalid_roles=invalid_roles
    )


def _kept(found: list[Diagnostic], salvaged: dict[str, Salvaged]) -> list[Diagnostic]:
    """The rules' findings, less those about the parts of invalid files that were repaired."""
    return [
        d for d in found if d.location.file not in salvaged or salvaged[d.location.file].keeps(d)
    ]


def _first_of_each(items: list[_Item]) -> dict[str, _Item]:
    """Items by id in file order; a repeated id (reported by the linter) keeps the first."""
    by_id: dict[str, _Item] = {}
    for item in items:
        by_id.setdefault(item.id, item)
    return by_id

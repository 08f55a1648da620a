"""The single entry point: load, validate and lint a handbook directory."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from . import schema
from .build_model import role_from_data, team_from_data
from .errors import Diagnostic, Location, Severity, sort_key
from .lint import LintContext, RoleEntry, lint
from .loader import Document, load_yaml
from .model import Organisation, Role, Team
from .settings import Settings

TEAMS_FILE = "teams.yaml"
ROLE_SUFFIXES = (".yaml", ".yml")
_Item = TypeVar("_Item", Team, Role)


@dataclass(frozen=True, slots=True)
class Project:
    """A loaded handbook: settings, the organisation, and where each role was written."""

    root: Path
    settings: Settings
    organisation: Organisation
    documents: dict[str, Document] = field(default_factory=dict)

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


def _display(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


def discover_role_files(roles_path: Path, root: Path) -> tuple[list[Path], list[Diagnostic]]:
    """Every role file below ``roles_path`` in a stable order; symlinks are not followed."""
    found: list[Path] = []
    diags: list[Diagnostic] = []
    for dirpath, dirnames, filenames in os.walk(roles_path, followlinks=False):
        linked = [d for d in dirnames if (Path(dirpath) / d).is_symlink()]
        dirnames[:] = sorted(d for d in dirnames if d not in linked)
        diags.extend(_skipped_link(Path(dirpath) / d, root, "folder") for d in sorted(linked))
        for name in sorted(filenames):
            path = Path(dirpath) / name
            if not name.endswith(ROLE_SUFFIXES) or path == roles_path / TEAMS_FILE:
                continue
            if path.is_symlink():
                diags.append(_skipped_link(path, root, "file"))
                continue
            found.append(path)
    diags.extend(_case_collisions(found, root))
    return found, diags


def _skipped_link(path: Path, root: Path, kind: str) -> Diagnostic:
    return Diagnostic(
        Severity.WARNING,
        Location(_display(path, root)),
        f"symbolic link to a {kind} skipped: links are not followed",
        code="HB114",
        hint=f"move the {kind} into {_display(path.parent, root)}/ instead of linking it",
    )


def _case_collisions(paths: list[Path], root: Path) -> Iterator[Diagnostic]:
    seen: dict[str, Path] = {}
    for path in paths:
        stem = path.stem.lower()
        if stem in seen and seen[stem].stem != path.stem:
            yield Diagnostic(
                Severity.ERROR,
                Location(_display(path, root), 1, 1),
                f"file name differs only in case from {_display(seen[stem], root)}",
                code="HB114",
                hint="the two files collide on case-insensitive file systems",
            )
        seen.setdefault(stem, path)


def _read_teams(path: Path, root: Path) -> tuple[Document | None, list[Team], list[Diagnostic]]:
    display = _display(path, root)
    if not path.is_file():
        return (
            None,
            [],
            [
                Diagnostic(
                    Severity.ERROR,
                    Location(display),
                    "the team tree is missing",
                    hint=f"create {display} with 'organisation' and 'teams'",
                )
            ],
        )
    doc, diags = load_yaml(path, display)
    if doc is None:
        return None, [], diags
    problems = schema.validate_teams(doc)
    diags.extend(problems)
    entries = doc.data.get("teams") if isinstance(doc.data, dict) else None
    if problems or not isinstance(entries, list):
        return doc, [], diags
    teams = [team_from_data(t, doc.position(("teams", i))[0]) for i, t in enumerate(entries)]
    return doc, teams, diags


_RoleRead = tuple[Document | None, Role | None, list[Diagnostic]]
FileCache = dict[str, tuple[tuple[int, int], _RoleRead]]
"""Role files read before, by path, with the (mtime, size) they had; see :func:`load_project`."""


def _read_role_cached(path: Path, root: Path, cache: FileCache | None) -> _RoleRead:
    """:func:`_read_role`, reusing the result for a file unchanged since it was last read."""
    if cache is None:
        return _read_role(path, root)
    try:
        stat = path.stat()
    except OSError:
        return _read_role(path, root)
    stamp = (stat.st_mtime_ns, stat.st_size)
    key = str(path)
    entry = cache.get(key)
    if entry is not None and entry[0] == stamp:
        return entry[1]
    result = _read_role(path, root)
    cache[key] = (stamp, result)
    return result


def _read_role(path: Path, root: Path) -> _RoleRead:
    display = _display(path, root)
    doc, diags = load_yaml(path, display)
    if doc is None:
        return None, None, diags
    problems = schema.validate_role(doc)
    diags.extend(problems)
    if problems:
        return doc, None, diags
    return doc, role_from_data(doc.data, display), diags


def _declared_id(doc: Document | None) -> str | None:
    data: Any = doc.data if doc is not None else None
    ident = data.get("id") if isinstance(data, dict) else None
    return ident if isinstance(ident, str) else None


def load_project(
    root: Path,
    settings: Settings | None = None,
    *,
    today: dt.date | None = None,
    cache: FileCache | None = None,
) -> tuple[Project, list[Diagnostic]]:
    """Load every file of the handbook at ``root``; return it and all diagnostics, sorted.

    With ``cache`` (a dict kept between calls, e.g. across ``mkdocs serve`` rebuilds),
    role files whose modification time and size are unchanged are not read again.
    """
    settings = settings or Settings()
    roles_path = root / settings.roles_dir
    teams_doc, teams, diags = _read_teams(roles_path / TEAMS_FILE, root)
    files, found = discover_role_files(roles_path, root)
    diags.extend(found)
    entries: list[RoleEntry] = []
    documents: dict[str, Document] = {}
    known_roles: set[str] = set()
    for path in files:
        doc, role, problems = _read_role_cached(path, root, cache)
        diags.extend(problems)
        # A file that failed still names a role: its id, or else its stem (which must match).
        known_roles.add(_declared_id(doc) or path.stem)
        if doc is not None and role is not None:
            entries.append(RoleEntry(role, doc))
            documents.setdefault(role.id, doc)
    context = LintContext(
        roles=tuple(entries),
        teams=tuple(teams),
        teams_doc=teams_doc if teams else None,
        known_roles=frozenset(known_roles),
        known_teams=frozenset(_known_team_ids(teams_doc)),
        settings=settings,
        today=today or build_date(),
        all_roles_valid=len(entries) == len(files),
    )
    diags.extend(lint(context))
    organisation = Organisation(
        name=_organisation_name(teams_doc),
        teams=_first_of_each(teams),
        roles=_first_of_each([e.role for e in entries]),
    )
    project = Project(root, settings, organisation, documents)
    return project, sorted(diags, key=sort_key)


def _first_of_each(items: list[_Item]) -> dict[str, _Item]:
    """Items by id in file order; a repeated id (reported by the linter) keeps the first."""
    by_id: dict[str, _Item] = {}
    for item in items:
        by_id.setdefault(item.id, item)
    return by_id


def _known_team_ids(doc: Document | None) -> set[str]:
    data: Any = doc.data if doc is not None else None
    entries = data.get("teams") if isinstance(data, dict) else None
    if not isinstance(entries, list):
        return set()
    return {t["id"] for t in entries if isinstance(t, dict) and isinstance(t.get("id"), str)}


def _organisation_name(doc: Document | None) -> str:
    data: Any = doc.data if doc is not None else None
    name = data.get("organisation") if isinstance(data, dict) else None
    return name if isinstance(name, str) else "Organisation"

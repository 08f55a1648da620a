"""Finding and reading a handbook's files: the team tree and every role file."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from generator.diagnostics import codes
from generator.diagnostics.values import Diagnostic, Location, Severity, msg
from generator.load import schema
from generator.load.construct import role_from_data, team_from_data
from generator.load.strict_yaml import Document, load_yaml, parse_yaml
from generator.model.organisation import Role, Team

TEAMS_FILE = "teams.yaml"
ROLE_SUFFIXES = (".yaml", ".yml")
SAFE_NAME = re.compile(r"[^\W][\w.-]*")
"""A file or folder name under roles/: letters, digits, '_', '-' and '.', not first."""
_UNSAFE = {
    "file": msg(
        "the file name '%(name)s' holds characters other than letters, digits, '-', '_' and"
        " '.'; it is not read"
    ),
    "folder": msg(
        "the folder name '%(name)s' holds characters other than letters, digits, '-', '_' and"
        " '.'; it is not read"
    ),
}
_RENAME = {
    "file": msg("rename the file: its name reaches CODEOWNERS, the terminal and the site"),
    "folder": msg("rename the folder: its name reaches CODEOWNERS, the terminal and the site"),
}
_LINK = {
    "file": msg("symbolic link to a file skipped: links are not followed"),
    "folder": msg("symbolic link to a folder skipped: links are not followed"),
}
_MOVE = {
    "file": msg("move the file into %(folder)s/ instead of linking it"),
    "folder": msg("move the folder into %(folder)s/ instead of linking it"),
}

RoleRead = tuple[Document | None, Role | None, list[Diagnostic]]
"""A role file read: its document (if it parsed), its role (if valid) and the problems."""
FileCache = dict[str, tuple[tuple[int, int], RoleRead]]
"""Role files read before, by path, with the (mtime, size) they had; see :func:`read_role`."""


def display_path(path: Path, root: Path) -> str:
    """``path`` as diagnostics name it: relative to the handbook's folder when inside it."""
    text, prefix = str(path), str(root).rstrip(os.sep) + os.sep
    if text.startswith(prefix) and prefix != os.sep:  # the common case, without pathlib's work
        return text[len(prefix) :].replace(os.sep, "/")
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


def discover_role_files(roles_path: Path, root: Path) -> tuple[list[Path], list[Diagnostic]]:
    """Every role file below ``roles_path`` in a stable order.

    Symbolic links are never followed (the roles folder itself included) and are
    reported with a warning; a file or folder whose name holds anything but letters,
    digits, ``_``, ``-`` and ``.`` is reported and not read, since its name reaches
    CODEOWNERS, the terminal and the site.
    """
    if roles_path.is_symlink():
        return [], [_skipped_link(roles_path, root, "folder")]
    found: list[Path] = []
    diags: list[Diagnostic] = []
    _discover(roles_path, roles_path / TEAMS_FILE, root, found, diags)
    diags.extend(_case_collisions(found, root))
    return found, diags


def _discover(
    folder: Path, teams: Path, root: Path, found: list[Path], diags: list[Diagnostic]
) -> None:
    """Add the role files of ``folder`` (by name), then those of its sub-folders (by name)."""
    try:
        with os.scandir(folder) as listing:
            entries = sorted(listing, key=lambda entry: entry.name)
    except OSError:
        return  # a folder that cannot be listed holds no role the handbook can read
    folders = []
    for entry in entries:
        path = folder / entry.name
        if entry.is_dir():
            folders.append((entry, path))
        elif entry.name.endswith(ROLE_SUFFIXES) and path != teams:
            if entry.is_symlink():
                diags.append(_skipped_link(path, root, "file"))
            elif not SAFE_NAME.fullmatch(entry.name):
                diags.append(_unsafe_name(path, root, "file"))
            else:
                found.append(path)
    for entry, path in folders:
        if entry.is_symlink():
            diags.append(_skipped_link(path, root, "folder"))
        elif not SAFE_NAME.fullmatch(entry.name):
            diags.append(_unsafe_name(path, root, "folder"))
        else:
            _discover(path, teams, root, found, diags)


def _unsafe_name(path: Path, root: Path, kind: str) -> Diagnostic:
    return codes.UNSAFE_NAME.at(
        Location(display_path(path, root)),
        msg(_UNSAFE[kind].template, name=path.name),
        hint=_RENAME[kind],
    )


def _skipped_link(path: Path, root: Path, kind: str) -> Diagnostic:
    return codes.FILE_LAYOUT.at(
        Location(display_path(path, root)),
        _LINK[kind],
        hint=msg(_MOVE[kind].template, folder=display_path(path.parent, root)),
        severity=Severity.WARNING,
    )


def _case_collisions(paths: list[Path], root: Path) -> Iterator[Diagnostic]:
    seen: dict[str, Path] = {}
    for path in paths:
        stem = path.stem.lower()
        if stem in seen and seen[stem].stem != path.stem:
            yield codes.FILE_LAYOUT.at(
                Location(display_path(path, root), 1, 1),
                msg(
                    "file name differs only in case from %(other)s",
                    other=display_path(seen[stem], root),
                ),
                hint=msg("the two files collide on case-insensitive file systems"),
            )
        seen.setdefault(stem, path)


def read_teams(path: Path, root: Path) -> tuple[Document | None, list[Team], list[Diagnostic]]:
    """The team tree's document, its teams (when valid) and the problems found."""
    display = display_path(path, root)
    if path.is_symlink():  # a linked roles folder is reported by discover_role_files
        return None, [], [_skipped_link(path, root, "file"), _missing_teams(display)]
    if path.parent.is_symlink() or not path.is_file():
        return None, [], [_missing_teams(display)]
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


def _missing_teams(display: str) -> Diagnostic:
    return Diagnostic.of(
        Severity.ERROR,
        Location(display),
        msg("the team tree is missing"),
        hint=msg("create %(file)s with 'organisation' and 'teams'", file=display),
    )


def role_from_document(doc: Document) -> RoleRead:
    """Check a parsed role file against the schema and build its role when it is valid."""
    problems = schema.validate_role(doc)
    if problems:
        return doc, None, problems
    return doc, role_from_data(doc.data, doc.file), []


def role_from_bytes(raw: bytes, display: str) -> RoleRead:
    """Parse, check and build a role from a file's bytes (a file, or a blob from git)."""
    doc, diags = parse_yaml(raw, display)
    return (None, None, diags) if doc is None else role_from_document(doc)


def read_role(path: Path, root: Path, cache: FileCache | None = None) -> RoleRead:
    """Read one role file; with ``cache``, a file unchanged since the last read is not reread."""
    name = str(path)
    try:
        stat = path.stat()
    except OSError:
        return _read(path, display_path(path, root))
    stamp = (stat.st_mtime_ns, stat.st_size)
    entry = cache.get(name) if cache is not None else None
    if entry is not None and entry[0] == stamp:
        return entry[1]
    result = _read(path, display_path(path, root))
    if cache is not None:
        cache[name] = (stamp, result)
    return result


def _read(path: Path, display: str) -> RoleRead:
    doc, diags = load_yaml(path, display)
    if doc is None:
        return None, None, diags
    doc, role, problems = role_from_document(doc)
    return doc, role, diags + problems


def declared_id(doc: Document | None) -> str | None:
    """The ``id`` a document declares, even when the file is otherwise invalid."""
    data: Any = doc.data if doc is not None else None
    ident = data.get("id") if isinstance(data, dict) else None
    return ident if isinstance(ident, str) else None


def known_team_ids(doc: Document | None) -> set[str]:
    """The team ids teams.yaml declares, even when it is otherwise invalid."""
    data: Any = doc.data if doc is not None else None
    entries = data.get("teams") if isinstance(data, dict) else None
    if not isinstance(entries, list):
        return set()
    return {t["id"] for t in entries if isinstance(t, dict) and isinstance(t.get("id"), str)}


def organisation_name(doc: Document | None) -> str:
    """The organisation's name from teams.yaml, or a neutral default."""
    data: Any = doc.data if doc is not None else None
    name = data.get("organisation") if isinstance(data, dict) else None
    return name if isinstance(name, str) else "Organisation"

"""A role's history: the dated, meaningful changes of its file in git.

Each commit that touched a role file is compared with the version before it through
the same semantic diff as ``handbook diff``; commits that change nothing for people
(comments, formatting, a moved file) are left out. Renamed and moved files are
followed. In a shallow clone the history shows what the clone has and says so.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from generator.git import revisions as gitrev
from generator.git.diff import diff_roles
from generator.i18n import mark, translate
from generator.load.files import ROLE_SUFFIXES, TEAMS_FILE, role_from_bytes
from generator.model.changes import Change
from generator.model.history import HistoryEntry, RoleHistory
from generator.model.organisation import Organisation, Role
from generator.project import Project

DEFAULT_MAX_ENTRIES = 20
HIDDEN_KINDS = frozenset({"file-moved"})
"""Change kinds that are not shown in a role's history: nothing changes for people."""

FIRST_PUBLISHED = mark("description first published")
"""The words of a role's first version."""

_FORMAT = "--format=%H%x00%cs%x00%s"
"""Each commit as NUL-separated fields; with ``-z --raw`` every path is NUL-ended too, so
no subject or file name can be mistaken for a separator."""
_FILE_MODES = frozenset({"100644", "100755"})

ParseCache = dict[tuple[str, str], Role | None]
"""Parsed role versions by (blob id, display path), kept between calls to save work."""


@dataclass(frozen=True, slots=True)
class _Version:
    sha: str
    date: str
    subject: str
    path: str
    status: str
    oid: str = ""
    """The blob of the file in this version ('' when it is not a regular file)."""


@dataclass(slots=True)
class _Lineage:
    versions: list[_Version] = field(default_factory=list)
    created: bool = False


Commit = tuple[str, str, str, list[list[str]]]
"""(sha, date, subject, [[status, blob, path, (new path)]]), as :func:`_log` reads them."""


def _log(root: Path, args: list[str]) -> list[Commit]:
    """Commits with their changed files, newest first, read from NUL-separated output."""
    out = gitrev.git(["log", "-z", "--no-color", "--raw", "--no-abbrev", _FORMAT, *args], root)
    tokens = out.decode("utf-8", "surrogateescape").split("\0")
    commits: list[Commit] = []
    index = 0
    while index + 2 < len(tokens):
        sha, date, subject = tokens[index : index + 3]
        index += 3
        files: list[list[str]] = []
        while index < len(tokens) and tokens[index].lstrip("\n").startswith(":"):
            meta = tokens[index].lstrip("\n")[1:].split()
            status = meta[4][:1] if len(meta) == 5 else "?"
            width = 2 if status in ("R", "C") else 1
            paths = tokens[index + 1 : index + 1 + width]
            blob = meta[3] if len(meta) == 5 and meta[1] in _FILE_MODES else ""
            files.append([status, blob, *paths])
            index += 1 + width
        if sha:
            commits.append((sha.lstrip("\n"), date, subject, files))
    return commits


def _lineages(commits: list[Commit], wanted: Callable[[str], bool]) -> dict[str, _Lineage]:
    """Versions of each file (keyed by its newest path), following renames backwards."""
    tracked: dict[str, str] = {}
    dead: set[str] = set()
    lineages: dict[str, _Lineage] = {}
    for sha, date, subject, files in commits:
        for entry in files:
            status, blob, paths = entry[0], entry[1], entry[2:]
            if not paths:
                continue
            path = paths[-1]
            if status == "D":
                if path not in tracked:
                    dead.add(path)
                continue
            if path in dead:
                continue
            key = tracked.get(path)
            if key is None:
                if not wanted(path):
                    continue
                key = path
                lineages[key] = _Lineage()
            lineage = lineages[key]
            lineage.versions.append(_Version(sha, date, subject, path, status, blob))
            tracked.pop(path, None)
            if status == "A":
                lineage.created = True
                dead.add(path)
            elif status in ("R", "C") and len(paths) == 2:
                tracked[paths[0]] = key
            else:
                tracked[path] = key
    return lineages


def _parse(blob: bytes | None, display: str) -> Role | None:
    return None if blob is None else role_from_bytes(blob, display)[1]


def _histories(
    root: Path,
    lineages: Mapping[str, _Lineage],
    display: Callable[[str], str],
    *,
    max_entries: int,
    business_day_hours: float,
    cache: ParseCache | None,
    organisation: Organisation | None = None,
    language: str = "en",
) -> dict[str, RoleHistory]:
    shallow = gitrev.is_shallow(root)
    boundary = gitrev.shallow_boundary(root) if shallow else frozenset()
    versions = [v for lineage in lineages.values() for v in lineage.versions]
    ids = [v.oid for v in versions]
    cache = {} if cache is None else cache
    unread: dict[tuple[str, str], str] = {}
    for oid, version in zip(ids, versions, strict=True):
        key = (oid, display(version.path))
        if oid and key not in cache:
            unread.setdefault(key, oid)
    blobs = gitrev.read_blobs(root, list(unread.values()))
    for (oid, shown), blob in zip(unread, blobs, strict=True):
        cache[(oid, shown)] = _parse(blob, shown)
    result: dict[str, RoleHistory] = {}
    position = 0
    for path, lineage in lineages.items():
        roles: list[Role | None] = []
        for version in lineage.versions:
            oid = ids[position]
            position += 1
            roles.append(cache.get((oid, display(version.path))) if oid else None)
        result[path] = _history(
            lineage,
            roles,
            boundary,
            business_day_hours=business_day_hours,
            max_entries=max_entries,
            shallow=shallow,
            organisation=organisation,
            language=language,
        )
    return result


def _history(
    lineage: _Lineage,
    roles: list[Role | None],
    boundary: frozenset[str],
    *,
    business_day_hours: float,
    max_entries: int,
    shallow: bool,
    organisation: Organisation | None,
    language: str,
) -> RoleHistory:
    entries: list[HistoryEntry] = []
    previous: Role | None = None
    complete = True
    pairs = list(zip(lineage.versions, roles, strict=True))
    for index, (version, role) in enumerate(reversed(pairs)):
        if role is None:
            continue
        if previous is None:
            oldest = index == 0
            if oldest and version.status == "A" and version.sha not in boundary:
                words = translate(language, FIRST_PUBLISHED)
                changes: list[Change] = [Change("role-added", words, role=role.id)]
            else:
                complete = complete and not (oldest and not lineage.created)
                complete = complete and version.sha not in boundary
                previous = role
                continue
        else:
            changes = [
                c
                for c in diff_roles(
                    previous,
                    role,
                    business_day_hours=business_day_hours,
                    organisation=organisation,
                    language=language,
                )
                if c.kind not in HIDDEN_KINDS
            ]
        previous = role
        if changes:
            entries.append(
                HistoryEntry(version.date, version.subject, version.sha[:7], tuple(changes))
            )
    entries.reverse()
    if len(entries) > max_entries:
        entries, complete = entries[:max_entries], False
    return RoleHistory(tuple(entries), complete, shallow)


def _is_role_file(roles_folder: str) -> Callable[[str], bool]:
    teams = PurePosixPath(roles_folder, TEAMS_FILE).as_posix()

    def wanted(path: str) -> bool:
        inside = roles_folder in ("", ".") or path.startswith(roles_folder.rstrip("/") + "/")
        return inside and path.endswith(ROLE_SUFFIXES) and path != teams

    return wanted


def role_history(
    repo_root: Path,
    role_path: str,
    max_entries: int = DEFAULT_MAX_ENTRIES,
    *,
    display_root: str = "",
    business_day_hours: float = 8.0,
    organisation: Organisation | None = None,
    language: str = "en",
) -> RoleHistory:
    """The history of one role file (``role_path`` relative to the repository root).

    ``display_root`` is the handbook's folder within the repository, so that versions
    are read with the same file names ``load_project`` gives them. The changes are
    worded in ``language``.
    """
    commits = _log(repo_root, ["--follow", "HEAD", "--", role_path])
    lineages = _lineages(commits, lambda path: path == role_path)
    histories = _histories(
        repo_root,
        lineages,
        _displayer(display_root),
        max_entries=max_entries,
        business_day_hours=business_day_hours,
        cache=None,
        organisation=organisation,
        language=language,
    )
    return histories.get(role_path, RoleHistory(shallow=gitrev.is_shallow(repo_root)))


def roles_history(
    repo_root: Path,
    roles_folder: str,
    max_entries: int = DEFAULT_MAX_ENTRIES,
    *,
    display_root: str = "",
    business_day_hours: float = 8.0,
    cache: ParseCache | None = None,
    organisation: Organisation | None = None,
    language: str = "en",
) -> dict[str, RoleHistory]:
    """The history of every role file below ``roles_folder``, by its path in the repository.

    One ``git log`` and one ``git cat-file`` serve the whole folder, however many roles.
    """
    commits = _log(repo_root, ["-M", "HEAD", "--", roles_folder or "."])
    lineages = _lineages(commits, _is_role_file(roles_folder))
    return _histories(
        repo_root,
        lineages,
        _displayer(display_root),
        max_entries=max_entries,
        business_day_hours=business_day_hours,
        cache=cache,
        organisation=organisation,
        language=language,
    )


def _displayer(display_root: str) -> Callable[[str], str]:
    prefix = display_root.strip("/")
    if not prefix:
        return lambda path: path
    return lambda path: path.removeprefix(prefix + "/")


def history_by_role(
    project: Project, max_entries: int = DEFAULT_MAX_ENTRIES, *, cache: ParseCache | None = None
) -> dict[str, RoleHistory]:
    """Every role's history by role id, in the handbook's language.

    Empty outside a git repository or without commits.
    """
    root = gitrev.repo_root(project.root)
    if root is None:
        return {}
    prefix = gitrev.prefix_in_repo(project.root, root)
    roles_folder = PurePosixPath(prefix, project.settings.roles_dir).as_posix()
    try:
        by_path = roles_history(
            root,
            "" if roles_folder == "." else roles_folder,
            max_entries,
            display_root=prefix,
            business_day_hours=project.settings.business_day_hours,
            cache=cache,
            organisation=project.organisation,
            language=project.settings.language,
        )
    except gitrev.GitError:  # e.g. a repository without commits
        return {}
    shallow = any(h.shallow for h in by_path.values())
    result = {}
    for role in project.organisation.roles.values():
        path = PurePosixPath(prefix, role.source).as_posix() if prefix else role.source
        result[role.id] = by_path.get(path, RoleHistory(shallow=shallow))
    return result

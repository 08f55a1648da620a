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

_RECORD, _FIELD = "\x1e", "\x1f"
_FORMAT = f"--format={_RECORD}%H{_FIELD}%cs{_FIELD}%s"

ParseCache = dict[tuple[str, str], Role | None]
"""Parsed role versions by (blob id, display path), kept between calls to save work."""


@dataclass(frozen=True, slots=True)
class _Version:
    sha: str
    date: str
    subject: str
    path: str
    status: str


@dataclass(slots=True)
class _Lineage:
    versions: list[_Version] = field(default_factory=list)
    created: bool = False


def _log(root: Path, args: list[str]) -> list[tuple[str, str, str, list[list[str]]]]:
    """Commits as (sha, date, subject, [[status, path, (new path)]]), newest first."""
    out = gitrev.git(["log", "-z", "--no-color", _FORMAT, "--name-status", *args], root)
    commits = []
    for record in out.decode("utf-8", "replace").split(_RECORD):
        if not record:
            continue
        header, _, rest = record.partition("\0")
        parts = header.split(_FIELD)
        if len(parts) != 3:
            continue
        tokens = [t for t in rest.lstrip("\n").split("\0") if t]
        files: list[list[str]] = []
        index = 0
        while index < len(tokens):
            status = tokens[index]
            width = 2 if status[:1] in ("R", "C") else 1
            files.append([status[:1], *tokens[index + 1 : index + 1 + width]])
            index += 1 + width
        commits.append((parts[0], parts[1], parts[2], files))
    return commits


def _lineages(
    commits: list[tuple[str, str, str, list[list[str]]]], wanted: Callable[[str], bool]
) -> dict[str, _Lineage]:
    """Versions of each file (keyed by its newest path), following renames backwards."""
    tracked: dict[str, str] = {}
    dead: set[str] = set()
    lineages: dict[str, _Lineage] = {}
    for sha, date, subject, files in commits:
        for entry in files:
            status, paths = entry[0], entry[1:]
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
            lineage.versions.append(_Version(sha, date, subject, path, status))
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
    ids = _blob_ids(root, [f"{v.sha}:{v.path}" for v in versions])
    cache = {} if cache is None else cache
    unread: dict[tuple[str, str], str] = {}
    for oid, version in zip(ids, versions, strict=True):
        key = (oid, display(version.path))
        if oid and key not in cache:
            unread.setdefault(key, f"{version.sha}:{version.path}")
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


def _blob_ids(root: Path, specs: list[str]) -> list[str]:
    """The blob id of each ``REV:PATH`` ('' when it does not exist)."""
    if not specs:
        return []
    request = "".join(f"{spec}\n" for spec in specs).encode()
    out = gitrev.git(["cat-file", "--batch-check=%(objectname) %(objecttype)"], root, stdin=request)
    ids = []
    for line in out.decode().splitlines():
        parts = line.split()
        ids.append(parts[0] if len(parts) == 2 and parts[1] == "blob" else "")
    return ids


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

"""Read a handbook as it was at a git revision, without touching the working tree."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Sequence
from pathlib import Path, PurePosixPath

from generator.diagnostics.values import Diagnostic, HandbookError
from generator.model.settings import Settings
from generator.project import Project, load_project

WORKTREE = "working tree"
"""The name :func:`load_at` accepts (besides ``None``) for the files as they are now."""

_FILE_MODES = ("100644", "100755")


class GitError(HandbookError):
    """A git command failed, or git is not available; the message says why."""


def git(args: Sequence[str], cwd: Path, *, stdin: bytes | None = None) -> bytes:
    """Run ``git ARGS`` in ``cwd`` and return its standard output."""
    import subprocess  # noqa: PLC0415 - not imported by a command that never runs git

    env = {**os.environ, "GIT_TERMINAL_PROMPT": "0", "LC_ALL": "C"}
    try:
        done = subprocess.run(
            ["git", *args],
            cwd=cwd,
            input=stdin,
            capture_output=True,
            check=False,
            env=env,
        )
    except FileNotFoundError:
        raise GitError("git is not installed") from None
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise GitError(message[-1] if message else f"git {args[0]} failed")
    return done.stdout


def repo_root(path: Path) -> Path | None:
    """The top folder of the git working tree holding ``path``, or None outside one."""
    try:
        out = git(["rev-parse", "--show-toplevel"], path)
    except GitError:
        return None
    return Path(out.decode().strip()).resolve()


def prefix_in_repo(directory: Path, root: Path) -> str:
    """``directory`` relative to the repository root, as a POSIX path ('' for the root)."""
    relative = directory.resolve().relative_to(root).as_posix()
    return "" if relative == "." else relative


def resolve(rev: str, root: Path) -> str:
    """The full commit id a revision names; GitError for an unknown one."""
    if rev.startswith("-"):
        raise GitError(f"{rev!r} is not a revision")
    try:
        return git(["rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}"], root).decode().strip()
    except GitError:
        raise GitError(f"unknown revision {rev!r}") from None


def is_shallow(root: Path) -> bool:
    """Whether the repository is a shallow clone (older history is missing)."""
    return git(["rev-parse", "--is-shallow-repository"], root).decode().strip() == "true"


def shallow_boundary(root: Path) -> frozenset[str]:
    """Commits whose parents a shallow clone does not have."""
    path = Path(git(["rev-parse", "--git-path", "shallow"], root).decode().strip())
    path = path if path.is_absolute() else root / path
    try:
        return frozenset(path.read_text(encoding="ascii").split())
    except OSError:
        return frozenset()


def read_blobs(root: Path, specs: Sequence[str]) -> list[bytes | None]:
    """The contents of objects named by id, in order; None for those that do not exist.

    ``git cat-file --batch`` reads one name a line, so only object ids (never paths) are
    asked for here.
    """
    if not specs:
        return []
    request = "".join(f"{spec}\n" for spec in specs).encode()
    out = git(["cat-file", "--batch"], root, stdin=request)
    found: list[bytes | None] = []
    position = 0
    for _spec in specs:
        end = out.index(b"\n", position)
        header = out[position:end].split()
        position = end + 1
        if len(header) != 3 or header[1] != b"blob":  # "missing", "ambiguous" or a tree
            found.append(None)
            continue
        size = int(header[2])
        found.append(out[position : position + size])
        position += size + 1
    return found


def export_files(root: Path, commit: str, folder: str, dest: Path) -> int:
    """Write the regular files below ``folder`` at ``commit`` into ``dest`` (same layout).

    Symbolic links and submodules are left out, as the loader would skip them.
    Returns how many files were written.
    """
    listing = git(["ls-tree", "-r", "-z", "--full-tree", commit, "--", folder], root)
    paths: list[str] = []
    oids: list[str] = []
    for entry in listing.split(b"\0"):
        if not entry:
            continue
        meta, _, name = entry.partition(b"\t")
        mode, kind, oid = meta.split()
        if kind == b"blob" and mode.decode() in _FILE_MODES:
            paths.append(name.decode("utf-8", "surrogateescape"))
            oids.append(oid.decode("ascii"))
    blobs = read_blobs(root, oids)  # object ids: no file name travels newline-separated
    prefix = PurePosixPath(folder)
    for path, blob in zip(paths, blobs, strict=True):
        if blob is None:
            continue
        relative = PurePosixPath(path).relative_to(prefix)
        if ".." in relative.parts:
            continue
        target = dest.joinpath(*relative.parts)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(blob)
    return len(paths)


def load_at(
    directory: Path, rev: str | None, settings: Settings, *, today: dt.date | None = None
) -> tuple[Project, list[Diagnostic]]:
    """Load the handbook in ``directory`` as it was at ``rev`` (None: the working tree).

    The role folder of that revision is copied into a temporary folder and loaded by
    :func:`~generator.project.load_project`, so every revision is read by the same
    loader, schema and model. Settings are the ones given (today's).
    """
    if rev is None or rev == WORKTREE:
        return load_project(directory, settings, today=today)
    root = repo_root(directory)
    if root is None:
        raise GitError(f"{directory} is not inside a git repository")
    commit = resolve(rev, root)
    roles = PurePosixPath(prefix_in_repo(directory, root), settings.roles_dir).as_posix()
    import tempfile  # noqa: PLC0415 - only to read an earlier revision

    with tempfile.TemporaryDirectory(prefix="handbook-rev-") as tmp:
        copy = Path(tmp)
        (copy / settings.roles_dir).mkdir(parents=True)
        export_files(root, commit, roles.removeprefix("./"), copy / settings.roles_dir)
        project, diags = load_project(copy, settings, today=today)
    return Project(directory, project.settings, project.organisation, {}), diags

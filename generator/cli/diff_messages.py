"""The messages of ``handbook diff``, in the handbook's language (or ``--language``)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from generator.git import revisions as gitrev
from generator.i18n import mark, translate
from generator.model.changes import visible_controls

_ERROR = mark("handbook: error: %(message)s")
_NOT_A_DIRECTORY = mark("%(dir)s is not a directory")
_NOT_IN_GIT = mark("%(dir)s is not inside a git repository")
_NOT_A_REVISION = mark("%(rev)s is not a revision")
_UNKNOWN_REVISION = mark("unknown revision %(rev)s")


def error(message: str, language: str) -> str:
    """``handbook: error: …`` with ``message`` shown safely."""
    return translate(language, _ERROR) % {"message": visible_controls(message)}


def _quoted(text: object) -> str:
    return f"'{visible_controls(str(text))}'"


def not_a_directory(directory: Path, language: str) -> str:
    """The error for a handbook folder that does not exist."""
    return error(translate(language, _NOT_A_DIRECTORY) % {"dir": _quoted(directory)}, language)


def revision_problem(directory: Path, revisions: Sequence[str | None], language: str) -> str | None:
    """Why the revisions cannot be compared (outside git, an unknown revision), or None."""
    named = [r for r in revisions if r is not None and r != gitrev.WORKTREE]
    if not named:
        return None
    root = gitrev.repo_root(directory)
    if root is None:
        return error(translate(language, _NOT_IN_GIT) % {"dir": _quoted(directory)}, language)
    for rev in named:
        if rev.startswith("-"):
            return error(translate(language, _NOT_A_REVISION) % {"rev": _quoted(rev)}, language)
        try:
            gitrev.resolve(rev, root)
        except gitrev.GitError:
            return error(translate(language, _UNKNOWN_REVISION) % {"rev": _quoted(rev)}, language)
    return None

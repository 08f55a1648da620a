"""``handbook new``: a fresh handbook folder with one sample role."""

from __future__ import annotations

import datetime as dt
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

from generator.diagnostics.values import HandbookError, msg
from generator.load.schema import SCHEMA_NAMES, schema_text
from generator.project import build_date
from generator.version import __version__

_IS_A_FILE = msg("%(dir)s is a file; 'handbook new' needs a new or empty folder")
_EXISTS = msg("%(path)s already exists; 'handbook new' only writes into a new or empty folder")
SCHEMA_FOLDER = "schema"
SAMPLE_REVIEW_DATE = "2027-12-31"
"""The sample role's review date as shipped; a new handbook gets one a year from its creation."""
VERSION_TOKEN = "@HANDBOOK_VERSION@"
"""Stands for the running version in the templates: a new handbook pins the one that made it."""
WORDED = ("content/", "roles/", "mkdocs.yml")
"""The files written in the handbook's language; ``new/__<language>__/`` holds the others'."""


def _walk(node: Traversable, prefix: str = "") -> list[tuple[str, Traversable]]:
    found: list[tuple[str, Traversable]] = []
    for child in sorted(node.iterdir(), key=lambda c: c.name):
        name = f"{prefix}{child.name}"
        if child.name.startswith("__"):  # another language's files, or Python's caches
            continue
        if child.is_dir():
            found.extend(_walk(child, f"{name}/"))
        else:
            found.append((name, child))
    return found


def scaffold_files(version: str = __version__, language: str = "en") -> dict[str, str]:
    """Every file of a new handbook in ``language``, by relative path, pinned to ``version``."""
    new = resources.files(__package__).joinpath("new")
    files = {name: item.read_text(encoding="utf-8") for name, item in _walk(new)}
    if language != "en":
        files = {name: text for name, text in files.items() if not name.startswith(WORDED)}
        for name, item in _walk(new.joinpath(f"__{language}__")):
            files[name] = item.read_text(encoding="utf-8")
    files = {name.replace("dot-", "."): text for name, text in files.items()}
    review_by = (build_date() + dt.timedelta(days=365)).isoformat()
    files = {
        name: text.replace(SAMPLE_REVIEW_DATE, review_by).replace(VERSION_TOKEN, version)
        for name, text in files.items()
    }
    for kind in SCHEMA_NAMES:
        files[f"{SCHEMA_FOLDER}/{kind}.schema.json"] = schema_text(kind)
    return files


def create(directory: Path, version: str = __version__, *, language: str = "en") -> list[Path]:
    """Write a new handbook in ``language``, pinned to ``version``, into ``directory``.

    Nothing is overwritten: a folder that holds any of the files is refused.
    """
    if directory.exists() and not directory.is_dir():
        raise HandbookError(msg(_IS_A_FILE.template, dir=directory))
    files = scaffold_files(version, language)
    clashes = [directory / name for name in files if (directory / name).exists()]
    if clashes:
        raise HandbookError(msg(_EXISTS.template, path=clashes[0]))
    written = []
    for name, text in files.items():
        path = directory / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written

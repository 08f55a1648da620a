"""``handbook new``: a fresh handbook folder with one sample role."""

from __future__ import annotations

import datetime as dt
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

from generator.load.schema import SCHEMA_NAMES, schema_text
from generator.project import build_date
from generator.version import __version__

SCHEMA_FOLDER = "schema"
SAMPLE_REVIEW_DATE = "2027-12-31"
"""The sample role's review date as shipped; a new handbook gets one a year from its creation."""
VERSION_TOKEN = "@HANDBOOK_VERSION@"
"""Stands for the running version in the templates: a new handbook pins the one that made it."""


def _walk(node: Traversable, prefix: str = "") -> list[tuple[str, Traversable]]:
    found: list[tuple[str, Traversable]] = []
    for child in sorted(node.iterdir(), key=lambda c: c.name):
        name = f"{prefix}{child.name}"
        if child.is_dir():
            found.extend(_walk(child, f"{name}/"))
        elif not child.name.startswith("__"):
            found.append((name, child))
    return found


def scaffold_files(version: str = __version__) -> dict[str, str]:
    """Every file of a new handbook, by relative path, pinned to ``version`` of the tool."""
    files = {
        name: item.read_text(encoding="utf-8")
        for name, item in _walk(resources.files(__package__).joinpath("new"))
    }
    files = {name.replace("dot-", "."): text for name, text in files.items()}
    review_by = (build_date() + dt.timedelta(days=365)).isoformat()
    files = {
        name: text.replace(SAMPLE_REVIEW_DATE, review_by).replace(VERSION_TOKEN, version)
        for name, text in files.items()
    }
    for kind in SCHEMA_NAMES:
        files[f"{SCHEMA_FOLDER}/{kind}.schema.json"] = schema_text(kind)
    return files


def create(directory: Path, version: str = __version__) -> list[Path]:
    """Write a new handbook pinned to ``version`` into ``directory``; overwrite nothing."""
    if directory.exists() and not directory.is_dir():
        raise FileExistsError(f"{directory} is a file; 'handbook new' needs a new or empty folder")
    files = scaffold_files(version)
    clashes = [directory / name for name in files if (directory / name).exists()]
    if clashes:
        raise FileExistsError(
            f"{clashes[0]} already exists; 'handbook new' only writes into a new or empty folder"
        )
    written = []
    for name, text in files.items():
        path = directory / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written

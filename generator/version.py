"""The package's version: from the installed distribution, else the source tree's pyproject."""

from __future__ import annotations

import re
import tomllib
from importlib import metadata
from pathlib import Path

DISTRIBUTION = "expectations-handbook"
UNKNOWN = "0+unknown"
"""The version reported when neither the distribution nor its pyproject.toml can be read."""

_RELEASE = re.compile(r"^\d+(\.\d+)*((a|b|rc)\d+)?(\.post\d+)?$")


def package_version() -> str:
    """The version of the running ``expectations-handbook``."""
    try:
        return metadata.version(DISTRIBUTION)
    except metadata.PackageNotFoundError:
        return _source_version(Path(__file__).resolve().parents[1] / "pyproject.toml")


def _source_version(pyproject: Path) -> str:
    """The version in a source checkout's ``pyproject.toml`` (run without installing)."""
    try:
        project = tomllib.loads(pyproject.read_text(encoding="utf-8")).get("project", {})
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return UNKNOWN
    version = project.get("version")
    if project.get("name") == DISTRIBUTION and isinstance(version, str):
        return version
    return UNKNOWN


def is_release(version: str) -> bool:
    """Whether ``version`` is a public release a package index can have (no dev or local part)."""
    return bool(_RELEASE.match(version))


__version__ = package_version()

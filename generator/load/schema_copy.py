"""The schemas as editors find them: the handbook's ``schema/`` copy and each file's modeline.

``handbook new`` copies the tool's schemas into ``schema/`` and starts every YAML file
with a modeline, ``# yaml-language-server: $schema=<path>``, written relative to the
file. A copy that no longer matches the tool (after an upgrade, or an edit) makes the
editor check against other rules than ``handbook validate``; a modeline that does not
reach the schema (a file moved into a team folder) turns the editor's help off silently.
Both are reported as warnings with the fix.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterable, Iterator
from pathlib import Path

from generator.diagnostics import codes
from generator.diagnostics.values import Diagnostic, Location, msg
from generator.load.schema import SCHEMA_NAMES, schema_text
from generator.load.strict_yaml import Document

SCHEMA_FOLDER = "schema"
"""Where a handbook keeps its copy of the schemas, relative to its folder."""
MODELINE = re.compile(r"^#\s*yaml-language-server:\s*\$schema=(?P<target>\S+)\s*$")


def schema_file(name: str) -> str:
    """The copy of schema ``name`` in a handbook, relative to the handbook's folder."""
    return f"{SCHEMA_FOLDER}/{name}.schema.json"


def modeline_for(file: str, name: str) -> str:
    """The modeline a file at ``file`` (relative to the handbook) needs to find ``name``."""
    target = posixpath.relpath(schema_file(name), posixpath.dirname(file) or ".")
    return f"# yaml-language-server: $schema={target}"


def copy_diagnostics(root: Path) -> Iterator[Diagnostic]:
    """A warning for each schema in ``schema/`` that differs from the tool's own."""
    for name in SCHEMA_NAMES:
        shown = schema_file(name)
        path = root / shown
        if path.is_symlink() or not path.is_file():
            continue
        try:
            same = path.read_text(encoding="utf-8") == schema_text(name)
        except (OSError, UnicodeDecodeError):
            same = False
        if not same:
            yield codes.SCHEMA_COPY.at(
                Location(shown, 1, 1),
                msg("%(file)s differs from the schema of this version of the tool", file=shown),
                hint=msg(
                    "replace it with the tool's copy (handbook new writes it) or delete %(file)s",
                    file=shown,
                ),
            )


def modeline_diagnostics(root: Path, docs: Iterable[tuple[Document, str]]) -> Iterator[Diagnostic]:
    """A warning for each file whose relative modeline does not reach a schema file."""
    for doc, name in docs:
        first = doc.line_text(1)
        match = MODELINE.match(first)
        if match is None:
            continue
        target = match["target"]
        if "://" in target or target.startswith("/"):
            continue
        folder = posixpath.dirname(doc.file)
        reached = root / posixpath.normpath(posixpath.join(folder, target))
        if reached.is_file():
            continue
        yield codes.SCHEMA_COPY.at(
            Location(doc.file, 1, match.start("target") + 1),
            msg(
                "the modeline's schema %(target)s does not exist: editors cannot check this file",
                target=target,
            ),
            hint=msg("write the first line as '%(line)s'", line=modeline_for(doc.file, name)),
            source_line=first,
        )

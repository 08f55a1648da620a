"""What the rules can still check in a role file that fails the schema.

A file with a misspelled field should still hear about its shares, its references and
its targets in the same run. The file's data is repaired just enough to pass the schema:
unknown fields are left out, a missing or broken text field that no rule reads gets a
placeholder, and a broken optional field is left out. Anything else (an id, a team, a
level, a target) cannot be guessed: the file is then not checked further, as before.
The repaired role is only ever checked, never published, and the places it repaired
are remembered so that no rule reports on them (the schema already did).
"""

from __future__ import annotations

import copy
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from generator.diagnostics.values import Diagnostic, json_path
from generator.load import schema
from generator.load.construct import role_from_data
from generator.load.strict_yaml import DataPath, Document
from generator.model.organisation import Role

if TYPE_CHECKING:
    from jsonschema import ValidationError

PLACEHOLDER = "…"
TEXT_FIELDS = frozenset({"title", "summary", "text", "request_via", "reward", "measure"})
"""Text fields no rule reads: a placeholder stands in for a missing or broken one."""
GUESSED_NEVER = frozenset({"reports_to", "team"})
"""Optional or not, these place the role among the others: without them, nothing is checked."""
COLLECTIONS = frozenset({"responsibilities", "expectations", "commitments", "rewards"})
MAX_PASSES = 8


@dataclass(frozen=True, slots=True)
class Salvaged:
    """A role built from a repaired copy of an invalid file, and the places repaired."""

    role: Role
    repaired: tuple[DataPath, ...]

    def keeps(self, diag: Diagnostic) -> bool:
        """Whether a rule's finding is about a part of the file that was not repaired."""
        return not any(_related(diag.path, json_path(scope)) for scope in self.repaired)


def _related(path: str, scope: str) -> bool:
    """One JSON path is the other or lies within it."""
    shorter, longer = sorted((path, scope), key=len)
    return longer.startswith(shorter) and longer[len(shorter) : len(shorter) + 1] in ("", ".", "[")


def salvage_role(doc: Document) -> Salvaged | None:
    """The role the rules can check in an invalid role file, or None when none can be built."""
    if not isinstance(doc.data, dict):
        return None
    data: dict[str, Any] = copy.deepcopy(doc.data)
    repaired: list[DataPath] = []
    for _ in range(MAX_PASSES):
        errors = schema.role_errors(data)
        if not errors:
            return _built(data, doc.file, repaired)
        for error in errors:
            scopes = _repair(data, error)
            if scopes is None:
                return None
            repaired.extend(scopes)
    return None


def _built(data: dict[str, Any], file: str, repaired: list[DataPath]) -> Salvaged | None:
    try:
        role = role_from_data(data, file)
    except Exception:  # the schema accepted it, so this is only a safety net
        return None
    return Salvaged(role, tuple(dict.fromkeys(repaired)))


def _repair(data: dict[str, Any], error: ValidationError) -> list[DataPath] | None:
    """Repair what ``error`` is about in ``data``; the places repaired, or None if it can't be."""
    path: DataPath = tuple(error.absolute_path)
    if "propertyNames" in error.schema_path:
        return _one(_drop(data, (*path, str(error.instance))))
    if error.validator == "additionalProperties" and error.validator_value is False:
        return _drop_unknown(data, path, error)
    if error.validator == "required":
        return _one(_fill_missing(data, path, schema.missing_field(error)))
    while path and isinstance(path[-1], int):
        path = path[:-1]  # an entry of a list: the list is the field at fault
    return _one(_replace_field(data, path))


def _one(scope: DataPath | None) -> list[DataPath] | None:
    return None if scope is None else [scope]


def _drop_unknown(
    data: dict[str, Any], path: DataPath, error: ValidationError
) -> list[DataPath] | None:
    described: Any = error.schema
    allowed = described.get("properties", {}) if isinstance(described, dict) else {}
    container = _at(data, path)
    if not isinstance(container, dict):
        return None
    unknown = [k for k in container if k not in allowed]
    for key in unknown:
        del container[key]
    return [_scope((*path, key)) for key in unknown]


def _fill_missing(data: dict[str, Any], path: DataPath, missing: str) -> DataPath | None:
    container = _at(data, path)
    if missing not in TEXT_FIELDS or not isinstance(container, dict):
        return None
    container[missing] = PLACEHOLDER
    return _scope((*path, missing))


def _replace_field(data: dict[str, Any], path: DataPath) -> DataPath | None:
    if not path or not isinstance(path[-1], str):
        return None
    field = path[-1]
    container = _at(data, path[:-1])
    if not isinstance(container, dict) or field in GUESSED_NEVER:
        return None
    if field in TEXT_FIELDS:
        container[field] = PLACEHOLDER
        return _scope(path)
    if field in schema.required_fields("role", path[:-1]):
        return None
    return _drop(data, path)


def _drop(data: dict[str, Any], path: DataPath) -> DataPath | None:
    container = _at(data, path[:-1])
    if not isinstance(container, dict) or path[-1] in GUESSED_NEVER:
        return None
    container.pop(path[-1], None)
    return _scope(path)


def _at(data: Any, path: Sequence[str | int]) -> Any:
    node = data
    for part in path:
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            return None
    return node


def _scope(path: DataPath) -> DataPath:
    """What a repair may change the findings of: the item it is in, or the top-level field."""
    if len(path) >= 2 and path[0] in COLLECTIONS and isinstance(path[1], int):
        return path[:2]
    return path[:1]

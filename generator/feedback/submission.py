"""Strict validation of one feedback answer, whichever way it was posted."""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass

from .storage import MAX_COMMENT, Submission

REQUIRED_FIELDS = frozenset({"key", "rating"})
OPTIONAL_FIELDS = frozenset({"comment", "priority", "team"})
FORM_FIELDS = frozenset({"return_to"})
HONEYPOT = "website"
ALLOWED_FIELDS = REQUIRED_FIELDS | OPTIONAL_FIELDS | FORM_FIELDS | {HONEYPOT}
MAX_RETURN_TO = 1024

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_RATING = re.compile(r"[1-5]")


class InvalidSubmission(Exception):  # noqa: N818 - names the verdict on the input
    """The answer breaks a rule; ``status`` is the HTTP status to answer with."""

    def __init__(
        self,
        message: str,
        *,
        field: str | None = None,
        status: int = 422,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        self.status = status
        self.headers = dict(headers or {})


@dataclass(frozen=True, slots=True)
class Rules:
    """What a valid answer may contain."""

    keys: Collection[str]
    teams: Mapping[str, str]
    priorities: Collection[str]


def validate(fields: Mapping[str, object], rules: Rules) -> Submission:
    """Turn posted fields into a :class:`Submission`, or raise :class:`InvalidSubmission`."""
    _check_field_names(fields)
    if _optional_text(fields, HONEYPOT, limit=MAX_COMMENT) is not None:
        raise InvalidSubmission("this submission looks automated and was not stored", status=400)
    return Submission(
        key=_key(fields, rules.keys),
        rating=_rating(fields.get("rating")),
        comment=_optional_text(fields, "comment", limit=MAX_COMMENT),
        priority=_choice(fields, "priority", rules.priorities, "priority"),
        team=_choice(fields, "team", rules.teams, "team"),
    )


def safe_return_path(value: object) -> str:
    """``value`` if it is a same-site path (``/…``, not ``//…``), else ``/``."""
    if not isinstance(value, str) or len(value) > MAX_RETURN_TO:
        return "/"
    if not value.startswith("/") or value.startswith("//") or "\\" in value:
        return "/"
    if _CONTROL.search(value) or any(ch.isspace() for ch in value):
        return "/"
    return value


def _check_field_names(fields: Mapping[str, object]) -> None:
    unknown = sorted(set(fields) - ALLOWED_FIELDS)
    if unknown:
        names = ", ".join(repr(name[:40]) for name in unknown[:5])
        raise InvalidSubmission(f"unknown field(s): {names}", field=unknown[0][:40])
    missing = sorted(REQUIRED_FIELDS - set(fields))
    if missing:
        raise InvalidSubmission(f"missing field(s): {', '.join(missing)}", field=missing[0])


def _key(fields: Mapping[str, object], keys: Collection[str]) -> str:
    key = fields["key"]
    if not isinstance(key, str) or key not in keys:
        raise InvalidSubmission("unknown role/commitment", field="key")
    return key


def _rating(value: object) -> int:
    if isinstance(value, bool):
        raise InvalidSubmission("rating must be a whole number from 1 to 5", field="rating")
    if isinstance(value, int) and 1 <= value <= 5:
        return value
    if isinstance(value, str) and _RATING.fullmatch(value):
        return int(value)
    raise InvalidSubmission("rating must be a whole number from 1 to 5", field="rating")


def _optional_text(fields: Mapping[str, object], name: str, *, limit: int) -> str | None:
    value = fields.get(name)
    if value is None:
        return None
    if not isinstance(value, str):
        raise InvalidSubmission(f"{name} must be text", field=name)
    value = value.replace("\r\n", "\n").strip()
    if not value:
        return None
    if len(value) > limit:
        raise InvalidSubmission(f"{name} is longer than {limit} characters", field=name)
    if _CONTROL.search(value) or not _is_encodable(value):
        raise InvalidSubmission(f"{name} contains characters that are not allowed", field=name)
    return value


def _choice(
    fields: Mapping[str, object], name: str, allowed: Collection[str], label: str
) -> str | None:
    value = fields.get(name)
    if value is None or value == "":
        return None
    if not isinstance(value, str) or value not in allowed:
        raise InvalidSubmission(f"unknown {label}", field=name)
    return value


def _is_encodable(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True

"""Strict validation of one feedback answer, whichever way it was posted."""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass

from generator.feedback.storage import MAX_COMMENT, Submission
from generator.i18n import mark, translate

REQUIRED_FIELDS = frozenset({"key", "rating"})
OPTIONAL_FIELDS = frozenset({"comment", "priority", "team"})
FORM_FIELDS = frozenset({"return_to"})
HONEYPOT = "website"
INVITE_FIELD = "invite"
ALLOWED_FIELDS = REQUIRED_FIELDS | OPTIONAL_FIELDS | FORM_FIELDS | {HONEYPOT, INVITE_FIELD}
MAX_RETURN_TO = 1024

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_RATING = re.compile(r"[1-5]")


class InvalidSubmission(Exception):  # noqa: N818 - names the verdict on the input
    """The answer breaks a rule; ``status`` is the HTTP status to answer with.

    ``message`` is English and may name ``values`` as ``%(name)s``; :meth:`text`
    gives it in the handbook's language.
    """

    def __init__(
        self,
        message: str,
        *,
        field: str | None = None,
        status: int = 422,
        headers: Mapping[str, str] | None = None,
        values: Mapping[str, object] | None = None,
    ) -> None:
        self.template = message
        self.values = dict(values or {})
        self.message = message % self.values if self.values else message
        super().__init__(self.message)
        self.field = field
        self.status = status
        self.headers = dict(headers or {})

    def text(self, language: str = "en") -> str:
        """The message in ``language``."""
        translated = translate(language, self.template)
        return translated % self.values if self.values else translated


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
        priority=_choice(fields, "priority", rules.priorities, mark("unknown priority")),
        team=_choice(fields, "team", rules.teams, mark("unknown team")),
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
        raise InvalidSubmission(
            "unknown field(s): %(names)s", field=unknown[0][:40], values={"names": names}
        )
    missing = sorted(REQUIRED_FIELDS - set(fields))
    if missing:
        raise InvalidSubmission(
            "missing field(s): %(names)s", field=missing[0], values={"names": ", ".join(missing)}
        )


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
        raise InvalidSubmission("%(name)s must be text", field=name, values={"name": name})
    value = value.replace("\r\n", "\n").strip()
    if not value:
        return None
    if len(value) > limit:
        raise InvalidSubmission(
            "%(name)s is longer than %(limit)s characters",
            field=name,
            values={"name": name, "limit": limit},
        )
    if _CONTROL.search(value) or not _is_encodable(value):
        raise InvalidSubmission(
            "%(name)s contains characters that are not allowed", field=name, values={"name": name}
        )
    return value


def _choice(
    fields: Mapping[str, object], name: str, allowed: Collection[str], refusal: str
) -> str | None:
    value = fields.get(name)
    if value is None or value == "":
        return None
    if not isinstance(value, str) or value not in allowed:
        raise InvalidSubmission(refusal, field=name)
    return value


def _is_encodable(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True

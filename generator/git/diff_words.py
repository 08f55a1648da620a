"""The words of a change, in the handbook's language and in people's terms.

Every label comes from the gettext catalog; author text is quoted, shortened, put on one
line and has its control characters made visible; teams, roles, expectations, services
and rewards are named as people know them, never by their ids.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass

from generator import i18n
from generator.i18n import mark
from generator.model import durations
from generator.model.changes import visible_controls
from generator.model.organisation import Expectation, Organisation, Role

NAME_LIMIT = 60
"""Longest name of an item (an expectation's text, a reward) before it is shortened."""
TEXT_LIMIT = 100
"""Longest quoted text (a rewritten summary) before it is shortened."""

_SPACES = re.compile(r"[ \t\n\r]+")

_QUOTED = mark("“%(text)s”")
_NONE = mark("not set")
_NOBODY = mark("nobody")
_NO_DATE = mark("no date")
_EVERYONE = mark("everyone")
_EVERYONE_IN = mark("everyone in %(team)s")
_AND = mark("and")
_LABELS = {
    "stricter": mark("stricter"),
    "looser": mark("looser"),
    "meets": mark("meets"),
    "exceeds": mark("exceeds"),
    "lower": mark("lower"),
    "higher": mark("higher"),
    "manual": mark("manual measurement"),
    "feedback": mark("internal customers' ratings"),
    "business": mark("business hours on working days"),
    "always": mark("around the clock"),
    "internal": mark("internal"),
    "external": mark("external"),
}
_FEEDBACK_MEASURE = mark("mean rating (1–5) from internal customers of %(service)s")


def one_line(text: object, limit: int | None = None) -> str:
    """Author text on one line, shortened to ``limit`` characters, control characters shown."""
    line = _SPACES.sub(" ", str(text)).strip()
    if limit is not None and len(line) > limit:
        line = line[: limit - 1].rstrip() + "…"
    return visible_controls(line)


@dataclass(frozen=True, slots=True)
class Words:
    """Labels in ``language``; names of teams and roles from the newer organisation first."""

    language: str = "en"
    old: Organisation | None = None
    new: Organisation | None = None
    business_day_hours: float = 8.0

    def __call__(self, message: str, **params: str) -> str:
        """The catalog's ``message`` in the language, filled with ``params``."""
        text = i18n.translate(self.language, message)
        return text % params if params else text

    def plural(self, forms: tuple[str, str], count: int, **params: str) -> str:
        """The plural form of ``forms`` for ``count``; ``%(num)s`` is the count."""
        text = i18n.translate_plural(self.language, *forms, count)
        return text % {"num": self.number(count), **params}

    def label(self, value: str) -> str:
        """A fixed value of the role format (``meets``, ``lower``, ``business``…) in words."""
        return self(_LABELS[value]) if value in _LABELS else one_line(value)

    def quote(self, text: object, limit: int = TEXT_LIMIT) -> str:
        """Author text in quotation marks, or "not set"."""
        if text is None or text == "":
            return self(_NONE)
        return self(_QUOTED, text=one_line(text, limit))

    def name(self, text: object) -> str:
        """A short quoted name of an item: an expectation's text, a service, a reward."""
        return self.quote(text, NAME_LIMIT)

    def number(self, value: float | None) -> str:
        """A number as the language writes it, or "not set"."""
        return self(_NONE) if value is None else _number(value, self.language)

    def duration(self, text: str | None, hours: str) -> str:
        """``2d`` as ``2 business days``, or "not set"."""
        if text is None:
            return self(_NONE)
        return one_line(durations.in_words(text, hours=hours, language=self.language))

    def date(self, iso: str | None) -> str:
        """An ISO date in words, or "no date"."""
        return self(_NO_DATE) if iso is None else one_line(i18n.long_date(iso, self.language))

    def listing(self, items: Iterable[str]) -> str:
        """``a, b and c`` (or "not set" for none)."""
        names = list(items)
        if not names:
            return self(_NONE)
        if len(names) == 1:
            return names[0]
        return f"{', '.join(names[:-1])} {self(_AND)} {names[-1]}"

    def plain(self, value: object) -> str:
        """Unquoted author text (a handle, a file name), or "not set"."""
        return self(_NONE) if value is None or value == "" else one_line(value)

    def team(self, team_id: str | None) -> str:
        """A team by its name."""
        for org in (self.new, self.old):
            if org is not None and team_id is not None and team_id in org.teams:
                return one_line(org.teams[team_id].name, NAME_LIMIT)
        return self.plain(team_id)

    def role(self, role_id: str | None) -> str:
        """A role by its title, or "nobody"."""
        if role_id is None:
            return self(_NOBODY)
        for org in (self.new, self.old):
            if org is not None and role_id in org.roles:
                return one_line(org.roles[role_id].title, NAME_LIMIT)
        return one_line(role_id)

    def customer(self, customer: str) -> str:
        """``everyone``, ``everyone in <team>`` or a role's title."""
        kind, _, ident = customer.partition(":")
        if customer == "everyone":
            return self(_EVERYONE)
        if kind == "team":
            return self(_EVERYONE_IN, team=self.team(ident))
        return self.role(ident)

    def expectation(self, role: Role | None, expectation_id: str) -> str:
        """An expectation of ``role`` by its (shortened) text."""
        found = _expectation(role, expectation_id)
        return self.name(found.text) if found else one_line(expectation_id)

    def service(self, role: Role | None, commitment_id: str | None) -> str:
        """A commitment of ``role`` by its service's name, or "not set"."""
        if commitment_id is None:
            return self(_NONE)
        found = next((c for c in role.commitments if c.id == commitment_id), None) if role else None
        return self.name(found.service) if found else one_line(commitment_id)

    def measure(self, role: Role | None, expectation: Expectation) -> str:
        """What an expectation measures, in words ('' when it does not say)."""
        if expectation.source == "feedback":
            return self(_FEEDBACK_MEASURE, service=self.service(role, expectation.commitment))
        return one_line(expectation.measure or "", TEXT_LIMIT)


@functools.lru_cache(maxsize=4096)
def _number(value: float, language: str) -> str:
    """Numbers recur (levels, shares, counts); Babel formats each once."""
    return i18n.number(value, language)


def _expectation(role: Role | None, expectation_id: str) -> Expectation | None:
    if role is None:
        return None
    return next((e for e in role.expectations if e.id == expectation_id), None)

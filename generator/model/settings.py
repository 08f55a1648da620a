"""Organisation-wide settings, read from the ``handbook`` plugin in mkdocs.yml."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

from generator import i18n
from generator.diagnostics.values import Severity
from generator.model.calendar import BusinessCalendar
from generator.model.periods import PeriodKind

Audience = Literal["everyone", "leaders"]

# shown through the catalog (the ``priority`` filter): the defaults appear translated
DEFAULT_FEEDBACK_PRIORITIES = (
    i18n.mark("speed"),
    i18n.mark("quality"),
    i18n.mark("communication"),
    i18n.mark("availability"),
)


@dataclass(frozen=True, slots=True)
class Priority:
    """An urgency a commitment's targets are given for: its id, label and meaning per language.

    Without a label of its own, a priority is named by its id (``urgent`` → "Urgent", or
    its translation for the built-in ``urgent`` and ``normal``).
    """

    id: str
    label: Mapping[str, str] = field(default_factory=dict)
    means: Mapping[str, str] = field(default_factory=dict)

    def label_in(self, language: str) -> str:
        """The priority's name in ``language``."""
        own = self.label.get(language) or self.label.get(i18n.SOURCE_LANGUAGE)
        if own:
            return own
        built_in = _BUILT_IN_LABELS.get(self.id)
        if built_in:
            return i18n.translate(language, built_in)
        return self.id[:1].upper() + self.id[1:]

    def means_in(self, language: str) -> str:
        """What the priority is for, in ``language`` ('' when nobody said)."""
        own = self.means.get(language) or self.means.get(i18n.SOURCE_LANGUAGE)
        if own:
            return own
        built_in = _BUILT_IN_MEANINGS.get(self.id)
        return i18n.translate(language, built_in) if built_in else ""


_BUILT_IN_LABELS = {"urgent": i18n.mark("Urgent"), "normal": i18n.mark("Normal")}
_BUILT_IN_MEANINGS = {
    "urgent": i18n.mark("work is stopped or a deadline is today"),
    "normal": i18n.mark("everything else"),
}
DEFAULT_PRIORITIES = (Priority("urgent"), Priority("normal"))


@dataclass(frozen=True, slots=True)
class WorkloadSettings:
    """Thresholds of the workload view: when a role is flagged as at risk."""

    slack_below: float = 5.0
    """Less working time than this (in %) left free by the shares is flagged."""
    short_target: str = "30m"
    """A first response this fast (or a round-the-clock service) needs a second role."""


@dataclass(frozen=True, slots=True)
class FeedbackSettings:
    """Where feedback forms post to and what they ask."""

    endpoint: str | None = None
    fallback_url: str | None = None
    report: str | None = None
    priorities: tuple[str, ...] = DEFAULT_FEEDBACK_PRIORITIES
    min_responses: int = 5
    origins: tuple[str, ...] = ()
    """Origins besides ``site_url``'s whose pages may post answers."""
    site_url: str | None = None
    """The site's public address (MkDocs' ``site_url``); its origin may post answers."""
    trusted_proxies: tuple[str, ...] = ()
    """Addresses or networks of reverse proxies whose forwarding headers are believed."""
    sso_header: str | None = None
    """Header a trusted proxy sets to the signed-in person (e.g. ``X-Forwarded-Email``)."""
    open_answers: bool = True
    """Accept answers that carry neither an invitation nor a sign-on identity."""
    verified_only: bool = False
    """Reports and exports count verified answers (invitation or sign-on) only."""
    period: str = "quarter"
    """One answer per person per commitment per period: ``month``, ``quarter`` or ``year``."""
    open_answers_per_hour: int = 6
    """Open answers accepted from one client address per hour."""
    answers_per_person_per_hour: int = 60
    """Signed-on answers accepted from one person per hour."""
    invite_secret_env: str = "HANDBOOK_INVITE_SECRET"
    """Environment variable holding the secret that signs invitation links."""
    sso_secret_env: str = "HANDBOOK_SSO_SECRET"
    """Environment variable holding the secret that salts sign-on identities."""


@dataclass(frozen=True, slots=True)
class MeasureSettings:
    """How promises are measured: periods, the measured report, manual measurements."""

    period: PeriodKind = "quarter"
    periods: int = 4
    """How many periods a report holds and a trend shows."""
    report: str | None = None
    """The measured report (``handbook report --out``) the pages show."""
    measurements_dir: str = "measurements"
    """Folder of manual measurements, one file per period (``2026-Q4.yaml``)."""


@dataclass(frozen=True, slots=True)
class Settings:
    """Everything the loader, linter and renderer need to know besides the files."""

    roles_dir: str = "roles"
    priorities: tuple[Priority, ...] = DEFAULT_PRIORITIES
    max_responsibilities: int = 10
    max_commitments: int = 8
    calendar: BusinessCalendar = field(default_factory=BusinessCalendar)
    rules: Mapping[str, Severity | None] = field(default_factory=dict)
    strict: bool = False
    edit_url: str | None = None
    language: str = "en"
    base_path: str = "/"
    site_name: str = ""
    """The handbook's name (MkDocs' ``site_name``), printed on every role description."""
    admins: tuple[str, ...] = ()
    feedback: FeedbackSettings = field(default_factory=FeedbackSettings)
    workload: WorkloadSettings = field(default_factory=WorkloadSettings)
    measure: MeasureSettings = field(default_factory=MeasureSettings)
    audience: Audience = "everyone"

    def __post_init__(self) -> None:
        if any(isinstance(p, str) for p in self.priorities):  # names alone are priorities too
            given: tuple[Priority | str, ...] = self.priorities
            named = tuple(Priority(p) if isinstance(p, str) else p for p in given)
            object.__setattr__(self, "priorities", named)

    @property
    def priority_ids(self) -> tuple[str, ...]:
        """The configured priorities' ids, most urgent first."""
        return tuple(p.id for p in self.priorities)

    def priority(self, ident: str) -> Priority:
        """The priority ``ident`` (one named only by its id when it is not configured)."""
        return next((p for p in self.priorities if p.id == ident), Priority(ident))

    @property
    def business_day_hours(self) -> float:
        """Length of a working day in hours: ``d`` with ``hours: business``."""
        return self.calendar.day_minutes / 60

"""Organisation-wide settings, read from the ``handbook`` plugin in mkdocs.yml."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from generator.diagnostics.values import Severity

DEFAULT_PRIORITIES = ("urgent", "normal")
DEFAULT_FEEDBACK_PRIORITIES = ("speed", "quality", "communication", "availability")


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


@dataclass(frozen=True, slots=True)
class Settings:
    """Everything the loader, linter and renderer need to know besides the files."""

    roles_dir: str = "roles"
    priorities: tuple[str, ...] = DEFAULT_PRIORITIES
    max_responsibilities: int = 10
    max_commitments: int = 8
    business_day_hours: float = 8.0
    rules: Mapping[str, Severity | None] = field(default_factory=dict)
    strict: bool = False
    edit_url: str | None = None
    language: str = "en"
    base_path: str = "/"
    admins: tuple[str, ...] = ()
    feedback: FeedbackSettings = field(default_factory=FeedbackSettings)
    workload: WorkloadSettings = field(default_factory=WorkloadSettings)

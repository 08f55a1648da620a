"""Organisation-wide settings, read from the ``handbook`` plugin in mkdocs.yml."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from .errors import Severity
from .i18n import mark

DEFAULT_PRIORITIES = ("urgent", "normal")
# shown through the catalog (the ``priority`` filter): the defaults appear translated
DEFAULT_FEEDBACK_PRIORITIES = (
    mark("speed"),
    mark("quality"),
    mark("communication"),
    mark("availability"),
)


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

"""The plugin's options in mkdocs.yml, and the plain settings made from them."""

from __future__ import annotations

from typing import TYPE_CHECKING

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.config.base import BaseConfigOption, ValidationError
from mkdocs.exceptions import PluginError

from generator.i18n import LANGUAGES
from generator.model import durations
from generator.model.calendar import BusinessCalendar, CalendarError, calendar_from_config
from generator.model.settings import DEFAULT_PRIORITIES, Priority, Settings
from generator.site.options import (
    AUDIENCE_ENV,
    AUDIENCES,
    LEVELS,
    OptionError,
    SiteValues,
    priorities,
    rule_problem,
    settings_from_options,
)

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig

__all__ = ["AUDIENCE_ENV", "HandbookConfig", "settings_from_config", "site_values"]


class RuleLevels(c.DictOfItems[str]):
    """``rules:``: a severity per diagnostic, by code (``HB111``) or name; unknown keys fail."""

    def __init__(self) -> None:
        super().__init__(c.Choice(LEVELS), default={})

    def run_validation(self, value: object) -> dict[str, str]:
        levels: dict[str, str] = super().run_validation(value)
        for key in levels:
            problem = rule_problem(key)
            if problem:
                raise ValidationError(problem)
        return levels


class PrioritiesOption(BaseConfigOption[list[Priority]]):
    """``priorities:``: names, or objects with an id, a label and a meaning per language."""

    def __init__(self) -> None:
        super().__init__()
        self.default = list(DEFAULT_PRIORITIES)

    def run_validation(self, value: object) -> list[Priority]:
        try:
            return priorities(value)
        except OptionError as error:
            raise ValidationError(str(error)) from None


class CalendarOption(BaseConfigOption[BusinessCalendar | None]):
    """``calendar:``: the organisation's business hours."""

    def __init__(self) -> None:
        super().__init__()
        self.default = None

    def run_validation(self, value: object) -> BusinessCalendar | None:
        if value is None or isinstance(value, BusinessCalendar):
            return value
        try:
            return calendar_from_config(value)
        except CalendarError as error:
            hint = f" ({error.hint})" if error.hint else ""
            raise ValidationError(f"{error.field}: {error.message}{hint}") from None


class MeasureConfig(base.Config):
    """``measure:`` options."""

    period = c.Choice(("quarter", "month"), default="quarter")
    """The length of a reporting period: a quarter (2026-Q4) or a month (2026-11)."""
    periods = c.Type(int, default=4)
    """How many periods a report holds and a trend shows."""
    report = c.Optional(c.Type(str))
    """The measured report (written by `handbook report`) the pages show."""
    measurements_dir = c.Type(str, default="measurements")
    """Folder of manual measurements, one YAML file per period."""


class FeedbackConfig(base.Config):
    """``feedback:`` options."""

    endpoint = c.Optional(c.Type(str))
    """URL the embedded forms post to; without it forms are left out."""
    fallback_url = c.Optional(c.Type(str))
    """A mailto: or issue link shown instead of forms when there is no endpoint."""
    report = c.Optional(c.Type(str))
    """A feedback report (JSON) whose scores the pages show."""
    priorities = c.ListOfItems(
        c.Type(str), default=["speed", "quality", "communication", "availability"]
    )
    """Choices for "what matters most to you"."""
    min_responses = c.Type(int, default=5)
    """Groups with fewer responses are never shown."""
    origins = c.ListOfItems(c.Type(str), default=[])
    """Origins besides `site_url`'s that the receiver accepts submissions from."""
    trusted_proxies = c.ListOfItems(c.Type(str), default=[])
    """Reverse proxies (addresses or networks) whose X-Forwarded-For and sign-on header count."""
    sso_header = c.Optional(c.Type(str))
    """Header a trusted proxy sets to the signed-in person, e.g. `X-Forwarded-Email`."""
    open_answers = c.Type(bool, default=True)
    """Accept answers without an invitation or sign-on."""
    verified_only = c.Type(bool, default=False)
    """Count only verified answers (invitation or sign-on) in reports and exports."""
    period = c.Choice(("month", "quarter", "year"), default="quarter")
    """One answer per person per commitment in each period; reports show trends by period."""
    open_answers_per_hour = c.Type(int, default=6)
    """Open answers accepted from one client address per hour."""
    answers_per_person_per_hour = c.Type(int, default=60)
    """Signed-on answers accepted from one person per hour."""
    invite_secret_env = c.Type(str, default="HANDBOOK_INVITE_SECRET")
    """Environment variable with the secret that signs invitation links."""
    sso_secret_env = c.Type(str, default="HANDBOOK_SSO_SECRET")
    """Environment variable with the secret that salts sign-on identities."""


class Duration(c.Type[str]):
    """A duration such as ``30m``, ``2h`` or ``1d``."""

    def __init__(self, default: str) -> None:
        super().__init__(str, default=default)

    def run_validation(self, value: object) -> str:
        text: str = super().run_validation(value)
        if durations.parse(text) is None:
            raise ValidationError(f"'{text}' is not a duration; write e.g. 15m, 2h, 1d or 1w")
        return text


class WorkloadConfig(base.Config):
    """``workload:`` options: when the workload view flags a role."""

    slack_below = c.Type((int, float), default=5)
    """Less working time than this (in %) left free by the shares is flagged."""
    short_target = Duration(default="30m")
    """A first response this fast, or a round-the-clock service, held by one role is flagged."""


class HandbookConfig(base.Config):
    """``plugins: - handbook:`` options."""

    roles_dir = c.Type(str, default="roles")
    """Folder (relative to mkdocs.yml) with teams.yaml and the role files."""
    priorities = PrioritiesOption()
    """Urgencies a commitment's targets may use, most urgent first: names, or
    `{id, label: {en, pl}, means: {en, pl}}`."""
    max_responsibilities = c.Type(int, default=10)
    """More responsibilities than this in one role is a warning."""
    max_commitments = c.Type(int, default=8)
    """More commitments than this in one role is a warning."""
    calendar = CalendarOption()
    """Business hours: `timezone`, `working_days`, `hours`, `holidays`, `closed`."""
    business_day_hours = c.Deprecated(
        message="'{}' is replaced by 'calendar: {{hours: …}}'; a business "
        "day of that many hours from 08:00 is assumed",
        option_type=c.Type((int, float)),
    )
    """Deprecated: the length of a business day; use `calendar.hours`."""
    measure = c.SubConfig(MeasureConfig)
    """Periods, the measured report and manual measurements."""
    audience = c.Choice(AUDIENCES, default="everyone")
    """Who the site is for: `everyone` (criteria and service levels), or `leaders` (adds
    manual measurements and reward eligibility per role; publish it behind a sign-in)."""
    rules = RuleLevels()
    """Severity per diagnostic, by code (`HB111`) or name (`promises-nothing`)."""
    edit_uri = c.Optional(c.Type(str))
    """Path under `repo_url` to edit files, e.g. `edit/main/`; derived from MkDocs' own
    `edit_uri` when left out."""
    language = c.Choice(LANGUAGES, default="en")
    """Language of every label the handbook writes (`en`, `pl`); the theme follows it."""
    admins = c.ListOfItems(c.Type(str), default=[])
    """Owners (`@org/team`) of mkdocs.yml, the workflows and anything without a role owner,
    written into CODEOWNERS."""
    history = c.Type(bool, default=True)
    """Show each role's dated history of meaningful changes (read from git, when there is one)."""
    history_entries = c.Type(int, default=20)
    """The most history entries shown per role."""
    feedback = c.SubConfig(FeedbackConfig)
    """Embedded feedback forms and scores."""
    workload = c.SubConfig(WorkloadConfig)
    """Thresholds of the workload view."""
    fonts = c.Choice(("system", "theme"), default="system")
    """`system`: the reader's own fonts, nothing downloaded; `theme`: the theme's `font:`
    setting (Material loads it from Google Fonts unless its privacy plugin self-hosts it)."""
    repository_stats = c.Type(bool, default=False)
    """Let the theme ask the repository host's API for stars and forks (a request from every
    reader's browser to another origin)."""


def site_values(config: MkDocsConfig) -> SiteValues:
    """What the handbook reads of MkDocs' own settings in a loaded configuration."""
    return SiteValues(
        site_name=config.site_name,
        site_url=config.site_url,
        repo_url=config.repo_url,
        edit_uri=config.edit_uri,
        docs_dir=config.docs_dir,
        strict=bool(config.strict),
    )


def settings_from_config(plugin: HandbookConfig, config: MkDocsConfig) -> Settings:
    """Plain settings for the pure functions, from the typed plugin configuration."""
    try:
        return settings_from_options(plugin, site_values(config))
    except OptionError as error:
        raise PluginError(str(error)) from None

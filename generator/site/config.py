"""The plugin's options in mkdocs.yml, and the plain settings made from them."""

from __future__ import annotations

import difflib
from pathlib import Path
from urllib.parse import urlsplit

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.config.base import ValidationError
from mkdocs.config.defaults import MkDocsConfig

from generator.diagnostics import codes
from generator.diagnostics.values import Severity
from generator.i18n import LANGUAGES
from generator.model import durations
from generator.model.settings import FeedbackSettings, Settings, WorkloadSettings

LEVELS = ("error", "warning", "info", "off")


class RuleLevels(c.DictOfItems[str]):
    """``rules:``: a severity per diagnostic, by code (``HB111``) or name; unknown keys fail."""

    def __init__(self) -> None:
        super().__init__(c.Choice(LEVELS), default={})

    def run_validation(self, value: object) -> dict[str, str]:
        levels: dict[str, str] = super().run_validation(value)
        for key in levels:
            found = codes.find(key)
            if found is None:
                close = difflib.get_close_matches(key, codes.keys(), n=1, cutoff=0.6)
                hint = f"; did you mean '{close[0]}'?" if close else ""
                raise ValidationError(
                    f"unknown rule '{key}'{hint} (`handbook rules` lists every code and name)"
                )
            if not found.adjustable:
                raise ValidationError(
                    f"'{key}' cannot be re-levelled: a file with this problem cannot be read"
                )
        return levels


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
    """Site origins the receiver accepts submissions from."""


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
    priorities = c.ListOfItems(c.Type(str), default=["urgent", "normal"])
    """Urgency names a commitment's targets may use, most urgent first."""
    max_responsibilities = c.Type(int, default=10)
    """More responsibilities than this in one role is a warning."""
    max_commitments = c.Type(int, default=8)
    """More commitments than this in one role is a warning."""
    business_day_hours = c.Type((int, float), default=8)
    """Length of a business day in hours, for `d` and `w` with `hours: business`."""
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


def _severity(name: str) -> Severity | None:
    return None if name == "off" else Severity.parse(name)


def _edit_base(config: MkDocsConfig, edit_uri: str | None) -> str | None:
    """Base URL for editing files in the repository, e.g. ``…/edit/main/``."""
    if not config.repo_url:
        return None
    if edit_uri is None:
        docs_uri = (config.edit_uri or "").rstrip("/")
        docs_dir = Path(config.docs_dir).name
        if not docs_uri or not docs_uri.endswith(docs_dir):
            return None
        edit_uri = docs_uri[: -len(docs_dir)]
    return config.repo_url.rstrip("/") + "/" + edit_uri.strip("/") + "/"


def settings_from_config(plugin: HandbookConfig, config: MkDocsConfig) -> Settings:
    """Plain settings for the pure functions, from the typed plugin configuration."""
    fb = plugin.feedback
    return Settings(
        roles_dir=plugin.roles_dir,
        priorities=tuple(plugin.priorities),
        max_responsibilities=plugin.max_responsibilities,
        max_commitments=plugin.max_commitments,
        business_day_hours=float(plugin.business_day_hours),
        rules={key: _severity(level) for key, level in plugin.rules.items()},
        strict=bool(config.strict),
        edit_url=_edit_base(config, plugin.edit_uri),
        language=plugin.language,
        admins=tuple(plugin.admins),
        base_path=urlsplit(config.site_url or "/").path.rstrip("/") + "/",
        feedback=FeedbackSettings(
            endpoint=fb.endpoint,
            fallback_url=fb.fallback_url,
            report=fb.report,
            priorities=tuple(fb.priorities),
            min_responses=fb.min_responses,
            origins=tuple(fb.origins),
        ),
        workload=WorkloadSettings(
            slack_below=float(plugin.workload.slack_below),
            short_target=plugin.workload.short_target,
        ),
    )

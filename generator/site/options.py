"""What the plugin's options mean, without MkDocs: their rules, and the settings made from them.

``config.py`` declares the options for MkDocs with these rules; ``settings_file.py`` reads
them from mkdocs.yml without loading MkDocs. Both turn the values into ``Settings`` here.
"""

from __future__ import annotations

import dataclasses
import difflib
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast
from urllib.parse import urlsplit

from generator.diagnostics import codes
from generator.diagnostics.values import Severity
from generator.i18n import LANGUAGES, SOURCE_LANGUAGE
from generator.model.calendar import BusinessCalendar
from generator.model.periods import PeriodKind
from generator.model.settings import (
    Audience,
    FeedbackSettings,
    MeasureSettings,
    Priority,
    Settings,
    WorkloadSettings,
)

LEVELS = ("error", "warning", "info", "off")
AUDIENCES = ("everyone", "leaders")
AUDIENCE_ENV = "HANDBOOK_AUDIENCE"
"""Set by ``handbook build|serve --audience`` to build another edition than mkdocs.yml's."""
ID = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


class OptionError(ValueError):
    """An option's value breaks its rule; the message says how."""


def rule_problem(key: str) -> str | None:
    """Why ``rules:`` cannot name ``key`` (a code like ``HB111`` or a name), or None."""
    found = codes.find(key)
    if found is None:
        close = difflib.get_close_matches(key, codes.keys(), n=1, cutoff=0.6)
        hint = f"; did you mean '{close[0]}'?" if close else ""
        return f"unknown rule '{key}'{hint} (`handbook rules` lists every code and name)"
    if not found.adjustable:
        return f"'{key}' cannot be re-levelled: a file with this problem cannot be read"
    return None


def priorities(value: object) -> list[Priority]:
    """``priorities:``: names, or objects with an id, a label and a meaning per language."""
    if not isinstance(value, list) or not value:
        raise OptionError("expected a list of priorities, most urgent first")
    found = [_priority(item, index) for index, item in enumerate(value)]
    ids = [p.id for p in found]
    repeated = sorted({i for i in ids if ids.count(i) > 1})
    if repeated:
        raise OptionError(f"priority '{repeated[0]}' is listed twice")
    return found


def _priority(item: object, index: int) -> Priority:
    where = f"item {index + 1}"
    if isinstance(item, Priority):  # the default
        return item
    if isinstance(item, str):
        item = {"id": item}
    if not isinstance(item, dict):
        raise OptionError(f"{where}: write a name, or {{id: …, label: …, means: …}}")
    unknown = sorted(set(item) - {"id", "label", "means"})
    if unknown:
        raise OptionError(f"{where}: unknown key '{unknown[0]}' (use id, label, means)")
    ident = item.get("id")
    if not isinstance(ident, str) or not ID.fullmatch(ident) or len(ident) > 64:
        raise OptionError(f"{where}: the id must be a short name in kebab-case, like urgent")
    return Priority(ident, _words(item.get("label"), where), _words(item.get("means"), where))


def _words(value: object, where: str) -> dict[str, str]:
    if value is None:
        return {}
    if isinstance(value, str):
        return {SOURCE_LANGUAGE: value}
    if isinstance(value, dict) and all(
        lang in LANGUAGES and isinstance(text, str) and text.strip() for lang, text in value.items()
    ):
        return {lang: " ".join(text.split()) for lang, text in value.items()}
    raise OptionError(f"{where}: write text, or text per language like {{en: …, pl: …}}")


@dataclass(frozen=True, slots=True)
class SiteValues:
    """What the handbook reads of MkDocs' own settings, as MkDocs validated them."""

    site_name: str | None = None
    site_url: str | None = None
    repo_url: str | None = None
    edit_uri: str | None = None
    docs_dir: str = "docs"
    """The absolute path of the docs folder."""
    strict: bool = False


def _severity(name: str) -> Severity | None:
    return None if name == "off" else Severity.parse(name)


def _edit_base(site: SiteValues, edit_uri: str | None) -> str | None:
    """Base URL for editing files in the repository, e.g. ``…/edit/main/``."""
    if not site.repo_url:
        return None
    if edit_uri is None:
        docs_uri = (site.edit_uri or "").rstrip("/")
        docs_dir = Path(site.docs_dir).name
        if not docs_uri or not docs_uri.endswith(docs_dir):
            return None
        edit_uri = docs_uri[: -len(docs_dir)]
    return site.repo_url.rstrip("/") + "/" + edit_uri.strip("/") + "/"


def _calendar(options: Mapping[str, Any]) -> BusinessCalendar:
    """The configured calendar; the deprecated ``business_day_hours`` sets its hours."""
    calendar: BusinessCalendar | None = options.get("calendar")
    day_hours = options.get("business_day_hours")
    if calendar is None:
        calendar = BusinessCalendar()
        if day_hours is not None:
            start = 8 * 60
            end = min(24 * 60, start + round(float(day_hours) * 60))
            calendar = dataclasses.replace(calendar, hours=((start, end),))
    return calendar


def audience(configured: str) -> Audience:
    """The edition to build: ``HANDBOOK_AUDIENCE``, else the configured one."""
    chosen = os.environ.get(AUDIENCE_ENV) or configured
    if chosen not in AUDIENCES:
        raise OptionError(f"{AUDIENCE_ENV}={chosen!r}: the audience is everyone or leaders")
    return cast(Audience, chosen)


def settings_from_options(options: Mapping[str, Any], site: SiteValues) -> Settings:
    """Plain settings for the pure functions, from the validated plugin options."""
    fb, measure, workload = options["feedback"], options["measure"], options["workload"]
    return Settings(
        roles_dir=options["roles_dir"],
        priorities=tuple(options["priorities"]),
        max_responsibilities=options["max_responsibilities"],
        max_commitments=options["max_commitments"],
        calendar=_calendar(options),
        measure=MeasureSettings(
            period=cast(PeriodKind, measure["period"]),
            periods=measure["periods"],
            report=measure["report"],
            measurements_dir=measure["measurements_dir"],
        ),
        audience=audience(options["audience"]),
        rules={key: _severity(level) for key, level in options["rules"].items()},
        strict=bool(site.strict),
        edit_url=_edit_base(site, options["edit_uri"]),
        language=options["language"],
        admins=tuple(options["admins"]),
        base_path=urlsplit(site.site_url or "/").path.rstrip("/") + "/",
        site_name=site.site_name or "",
        feedback=FeedbackSettings(
            endpoint=fb["endpoint"],
            fallback_url=fb["fallback_url"],
            report=fb["report"],
            priorities=tuple(fb["priorities"]),
            min_responses=fb["min_responses"],
            origins=tuple(fb["origins"]),
            site_url=site.site_url or None,
            trusted_proxies=tuple(fb["trusted_proxies"]),
            sso_header=fb["sso_header"],
            open_answers=fb["open_answers"],
            verified_only=fb["verified_only"],
            period=fb["period"],
            open_answers_per_hour=fb["open_answers_per_hour"],
            answers_per_person_per_hour=fb["answers_per_person_per_hour"],
            invite_secret_env=fb["invite_secret_env"],
            sso_secret_env=fb["sso_secret_env"],
        ),
        workload=WorkloadSettings(
            slack_below=float(workload["slack_below"]),
            short_target=workload["short_target"],
        ),
    )

"""The handbook's settings from mkdocs.yml, read without loading MkDocs when the file is plain.

Loading MkDocs' configuration loads its theme and every plugin, which takes longer than
checking a small handbook. The ``handbook`` plugin's options and the few site values the
handbook uses (``site_name``, ``site_url``, ``repo_url``, ``edit_uri``, ``docs_dir``) are
read here the way MkDocs reads them: the YAML with the same loader and ``!ENV`` tag, each
option by the rules ``config.py`` declares. Whatever this reader cannot judge for certain
(``INHERIT:``, another tag, an unknown or unusual option, any value MkDocs would refuse or
warn about, ``--strict``) goes to MkDocs' own loading, which reads the file or reports
what is wrong with it exactly as before.
"""

from __future__ import annotations

import copy
import functools
import os
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import yaml

from generator.i18n import LANGUAGES, SOURCE_LANGUAGE
from generator.model import durations
from generator.model.calendar import CalendarError, calendar_from_config
from generator.model.settings import DEFAULT_PRIORITIES, Settings
from generator.site.options import (
    AUDIENCES,
    LEVELS,
    OptionError,
    SiteValues,
    priorities,
    rule_problem,
    settings_from_options,
)

PLUGIN = "handbook"


class _NeedsMkDocsError(Exception):
    """The file needs MkDocs to judge it."""


Check = Callable[[Any], Any]
"""Validates one option's value as MkDocs would, or raises ``_NeedsMkDocsError``."""


def _of_type(*types: type) -> Check:
    def check(value: Any) -> Any:
        if type(value) not in types:
            raise _NeedsMkDocsError
        return value

    return check


def _one_of(choices: tuple[str, ...]) -> Check:
    def check(value: Any) -> Any:
        if type(value) is not str or value not in choices:
            raise _NeedsMkDocsError
        return value

    return check


def _texts(value: Any) -> Any:
    if type(value) is not list or any(type(item) is not str for item in value):
        raise _NeedsMkDocsError
    return list(value)


def _priorities(value: Any) -> Any:
    try:
        return priorities(value)
    except OptionError:
        raise _NeedsMkDocsError from None


def _calendar(value: Any) -> Any:
    if type(value) is not dict:
        raise _NeedsMkDocsError
    try:
        return calendar_from_config(value)
    except CalendarError:
        raise _NeedsMkDocsError from None


def _rules(value: Any) -> Any:
    if type(value) is not dict:
        raise _NeedsMkDocsError
    for key, level in value.items():
        if type(key) is not str or type(level) is not str or level not in LEVELS:
            raise _NeedsMkDocsError
        if rule_problem(key):
            raise _NeedsMkDocsError
    return dict(value)


def _refuse(value: Any) -> Any:
    raise _NeedsMkDocsError


def _duration(value: Any) -> Any:
    if type(value) is not str or durations.parse(value) is None:
        raise _NeedsMkDocsError
    return value


_TEXT, _NUMBER, _FLAG = _of_type(str), _of_type(int), _of_type(bool)
Options = Mapping[str, "tuple[Check, Any] | Options"]

MEASURE: Options = {
    "period": (_one_of(("quarter", "month")), "quarter"),
    "periods": (_NUMBER, 4),
    "report": (_TEXT, None),
    "measurements_dir": (_TEXT, "measurements"),
}
FEEDBACK: Options = {
    "endpoint": (_TEXT, None),
    "fallback_url": (_TEXT, None),
    "report": (_TEXT, None),
    "priorities": (_texts, ["speed", "quality", "communication", "availability"]),
    "min_responses": (_NUMBER, 5),
    "origins": (_texts, []),
    "trusted_proxies": (_texts, []),
    "sso_header": (_TEXT, None),
    "open_answers": (_FLAG, True),
    "verified_only": (_FLAG, False),
    "period": (_one_of(("month", "quarter", "year")), "quarter"),
    "open_answers_per_hour": (_NUMBER, 6),
    "answers_per_person_per_hour": (_NUMBER, 60),
    "invite_secret_env": (_TEXT, "HANDBOOK_INVITE_SECRET"),
    "sso_secret_env": (_TEXT, "HANDBOOK_SSO_SECRET"),
}
WORKLOAD: Options = {
    "slack_below": (_of_type(int, float), 5),
    "short_target": (_duration, "30m"),
}
HANDBOOK: Options = {
    "roles_dir": (_TEXT, "roles"),
    "priorities": (_priorities, list(DEFAULT_PRIORITIES)),
    "max_responsibilities": (_NUMBER, 10),
    "max_commitments": (_NUMBER, 8),
    "calendar": (_calendar, None),
    "business_day_hours": (_refuse, None),  # deprecated: MkDocs warns
    "measure": MEASURE,
    "audience": (_one_of(AUDIENCES), "everyone"),
    "rules": (_rules, {}),
    "edit_uri": (_TEXT, None),
    "language": (_one_of(LANGUAGES), "en"),
    "admins": (_texts, []),
    "history": (_FLAG, True),
    "history_entries": (_NUMBER, 20),
    "feedback": FEEDBACK,
    "workload": WORKLOAD,
    "fonts": (_one_of(("system", "theme")), "system"),
    "repository_stats": (_FLAG, False),
}
"""The plugin's options (``config.HandbookConfig``): each one's check and default."""


def _options(given: Any, declared: Options) -> dict[str, Any]:
    """The options ``given`` checked against ``declared``, with the defaults of the rest."""
    if type(given) is not dict or set(given) - set(declared):
        raise _NeedsMkDocsError  # not a mapping, or an option MkDocs would warn about
    values: dict[str, Any] = {}
    for name, rule in declared.items():
        value = given.get(name)
        if isinstance(rule, Mapping):
            values[name] = _options({} if name not in given else value, rule)
        elif name not in given:
            values[name] = copy.copy(rule[1])
        elif value is None:
            raise _NeedsMkDocsError  # written empty: MkDocs decides what that means
        else:
            values[name] = rule[0](value)
    return values


# --- MkDocs' own settings --------------------------------------------------------------


def _url(value: Any, *, is_dir: bool = False) -> str | None:
    """``c.Optional(c.URL(is_dir=…))`` for the values it accepts."""
    if value is None:
        return None
    if type(value) is not str:
        raise _NeedsMkDocsError
    if value == "":
        return value
    parts = urlsplit(value)
    if not (parts.scheme and parts.netloc):
        raise _NeedsMkDocsError
    if is_dir and not parts.path.endswith("/"):
        parts = parts._replace(path=f"{parts.path}/")
    return urlunsplit(parts)


def _edit_uri(value: Any, repo_url: str | None) -> str | None:
    """``c.Optional(c.EditURI('repo_url'))``: written, or derived from the repository's host."""
    if value is not None and type(value) is not str:
        raise _NeedsMkDocsError
    edit_uri: str | None = value
    if edit_uri is None and repo_url is not None:
        host = urlsplit(repo_url).netloc.lower()
        if host in ("github.com", "gitlab.com"):
            edit_uri = "edit/master/docs/"
        elif host == "bitbucket.org":
            edit_uri = "src/default/docs/"
    if edit_uri and not edit_uri.endswith("/"):
        edit_uri += "/"
    return edit_uri


def _docs_dir(value: Any, config_file: Path) -> str:
    """``c.DocsDir(default='docs', exists=True)``: an existing folder beside mkdocs.yml."""
    if type(value) is not str:
        raise _NeedsMkDocsError
    folder = config_file.parent
    path = _absolute(folder / value)
    if not path.is_dir():
        raise _NeedsMkDocsError
    if path == _absolute(folder):
        raise _NeedsMkDocsError  # MkDocs refuses the folder of mkdocs.yml itself
    return str(path)


def _absolute(path: Path) -> Path:
    """``path`` made absolute and normalised as MkDocs does (links are not followed)."""
    return Path(os.path.abspath(path))  # noqa: PTH100 - Path.resolve would follow links


def _site_values(data: dict[str, Any], config_file: Path) -> SiteValues:
    site_name = data.get("site_name")
    if type(site_name) is not str:
        raise _NeedsMkDocsError  # required by MkDocs
    repo_url = _url(data.get("repo_url"))
    return SiteValues(
        site_name=site_name,
        site_url=_url(data.get("site_url"), is_dir=True),
        repo_url=repo_url,
        edit_uri=_edit_uri(data.get("edit_uri"), repo_url),
        docs_dir=_docs_dir(data.get("docs_dir", "docs"), config_file),
    )


# --- reading the file --------------------------------------------------------------------


@functools.cache
def _loader() -> type[yaml.Loader]:
    """MkDocs' YAML loader (``mkdocs.utils.yaml.get_yaml_loader``) without a configuration:
    PyYAML's ``Loader`` with the ``!ENV`` tag; any other tag is an error."""
    import yaml_env_tag  # type: ignore[import-untyped]  # noqa: PLC0415 - MkDocs' own

    class Loader(getattr(yaml, "CLoader", yaml.Loader)):  # type: ignore[misc]
        """A loader of its own, leaving PyYAML's unchanged; libyaml's parser when built."""

    Loader.add_constructor("!ENV", yaml_env_tag.construct_env_tag)
    return Loader


def read_yaml(config_file: Path) -> Any:
    """The data in ``config_file`` as MkDocs' loader reads it (``INHERIT`` not followed)."""
    with config_file.open("rb") as stream:
        return yaml.load(stream, Loader=_loader())


def _plugin_options(data: dict[str, Any]) -> Any:
    """The options written for the ``handbook`` plugin in the ``plugins:`` list."""
    plugins = data.get("plugins")
    if type(plugins) is not list:
        raise _NeedsMkDocsError
    found: list[Any] = []
    for entry in plugins:
        if entry == PLUGIN:
            found.append({})
        elif type(entry) is dict and len(entry) == 1:
            if PLUGIN in entry:
                found.append(entry[PLUGIN])
        elif type(entry) is not str:
            raise _NeedsMkDocsError
    if len(found) != 1 or (type(found[0]) is dict and "enabled" in found[0]):
        raise _NeedsMkDocsError  # missing, repeated or switched: MkDocs says what is wrong
    return found[0]


def quick_settings(config_file: Path) -> Settings | None:
    """The settings in ``config_file`` read without MkDocs; None when MkDocs must read it."""
    try:
        data = read_yaml(config_file)
        if type(data) is not dict or "INHERIT" in data:
            raise _NeedsMkDocsError
        options = _options(_plugin_options(data), HANDBOOK)
        return settings_from_options(options, _site_values(data, config_file))
    except (_NeedsMkDocsError, OSError, yaml.YAMLError, ValueError, ImportError):
        return None


def load_settings(config_file: Path, *, strict: bool = False) -> Settings:
    """The handbook settings in ``config_file``; raises ``ConfigError`` as MkDocs reports it.

    Under ``strict`` MkDocs' own configuration warnings fail too, and only its loading
    finds them, so MkDocs reads the file then.
    """
    settings = None if strict else quick_settings(config_file)
    if settings is not None:
        return settings
    from generator.site import build  # noqa: PLC0415 - MkDocs and its plugins, when needed

    return build.handbook_settings(build.load_mkdocs_config(config_file, strict=strict))


def configured_language(config_file: Path) -> str:
    """The handbook plugin's ``language`` in ``config_file``, read without loading MkDocs'
    configuration (plugins, theme, calendar); English when it can't be told."""
    try:
        data = read_yaml(config_file)
    except (OSError, yaml.YAMLError, ValueError):
        return SOURCE_LANGUAGE
    plugins = data.get("plugins") if isinstance(data, dict) else None
    entries = plugins if isinstance(plugins, list) else [plugins]
    for entry in entries:
        if isinstance(entry, dict) and isinstance(entry.get(PLUGIN), dict):
            language = entry[PLUGIN].get("language", SOURCE_LANGUAGE)
            return language if language in LANGUAGES else SOURCE_LANGUAGE
    return SOURCE_LANGUAGE

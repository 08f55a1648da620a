"""The Jinja environment of one language: package templates, strict, everything escaped."""

from __future__ import annotations

import functools

import jinja2
from markupsafe import Markup

from generator import i18n
from generator.model import durations
from generator.render import text


def _finalize(value: object) -> object:
    """Escape every expression output that is not already safe markup."""
    if isinstance(value, Markup):
        return value
    if value is None:
        return ""
    return text.plain(value)


@functools.lru_cache(maxsize=4096)
def _duration(text: str, *, hours: str = "business", language: str) -> str:
    """A duration in words in ``language``; the same few recur on every page."""
    return durations.in_words(text, hours=hours, language=language)


@functools.cache
def environment(language: str = i18n.SOURCE_LANGUAGE) -> jinja2.Environment:
    """The Jinja environment of one language: package templates, strict, everything escaped."""
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("generator.render", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        finalize=_finalize,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        extensions=["jinja2.ext.i18n"],
        auto_reload=False,  # the package's templates do not change while it runs
    )
    env.install_gettext_translations(i18n.translations(language), newstyle=True)  # type: ignore[attr-defined]
    env.filters["rich"] = text.rich
    env.filters["plain"] = text.plain
    env.filters["number"] = functools.partial(i18n.number, language=language)
    env.filters["long_date"] = functools.partial(i18n.long_date, language=language)
    env.filters["duration"] = functools.partial(_duration, language=language)
    env.filters["priority"] = functools.partial(i18n.translate, language)
    return env

"""Labels in the handbook's language: gettext catalogs, plural rules, numbers and dates (Babel)."""

from __future__ import annotations

import datetime as dt
import functools
import io
from importlib import resources

from babel import Locale, dates, numbers, support
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

DOMAIN = "handbook"
LANGUAGES = ("en", "pl")
SOURCE_LANGUAGE = "en"


@functools.cache
def translations(language: str) -> support.NullTranslations:
    """The catalog for ``language``; English, the source language, needs none."""
    if language not in LANGUAGES:
        raise ValueError(f"unsupported language {language!r}; choose one of {', '.join(LANGUAGES)}")
    if language == SOURCE_LANGUAGE:
        return support.NullTranslations()
    po = resources.files("generator").joinpath("locale", language, "LC_MESSAGES", f"{DOMAIN}.po")
    with po.open("rb") as handle:
        catalog = read_po(handle, locale=language, domain=DOMAIN)
    compiled = io.BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    return support.Translations(compiled, domain=DOMAIN)


def mark(message: str) -> str:
    """Mark a message for extraction where it is defined; it is translated where it is used."""
    return message


def mark_plural(singular: str, plural: str) -> tuple[str, str]:
    """Mark a plural message for extraction; it is translated where it is used."""
    return singular, plural


def translate(language: str, message: str) -> str:
    """``message`` in ``language``."""
    return translations(language).gettext(message)


def translate_plural(language: str, singular: str, plural: str, count: float) -> str:
    """The plural form for ``count``; fractions take the form of 2 (``1,5 godziny``)."""
    n = int(count) if float(count).is_integer() else 2
    return translations(language).ngettext(singular, plural, n)


def number(value: float, language: str) -> str:
    """A number as written in ``language`` (``4.5`` / ``4,5``)."""
    return numbers.format_decimal(value, locale=language, decimal_quantization=False)


def long_date(iso: str, language: str) -> str:
    """An ISO date in words (``30 June 2027`` / ``30 czerwca 2027``); other text as is."""
    try:
        day = dt.date.fromisoformat(iso)
    except ValueError:
        return iso
    return dates.format_date(day, format="long", locale=language)


def theme_language(language: str) -> str:
    """The Material theme's language code for ``language``."""
    return str(Locale.parse(language).language)

"""Labels in the handbook's language: gettext catalogs, plural rules, numbers and dates (Babel).

Babel is imported where it is used: English, the source language, needs no catalog, so
``handbook validate`` of an English handbook never loads it.
"""

from __future__ import annotations

import datetime as dt
import functools
import gettext
import io
import json
from collections.abc import Collection, Iterator, Mapping
from typing import IO, Any

DOMAIN = "handbook"
LANGUAGES = ("en", "pl")
SOURCE_LANGUAGE = "en"


@functools.cache
def translations(language: str) -> gettext.NullTranslations:
    """The catalog for ``language``; English, the source language, needs none."""
    if language not in LANGUAGES:
        raise ValueError(f"unsupported language {language!r}; choose one of {', '.join(LANGUAGES)}")
    if language == SOURCE_LANGUAGE:
        return gettext.NullTranslations()
    from importlib import resources  # noqa: PLC0415 - only for a catalog

    from babel import support  # noqa: PLC0415 - only for a language other than English
    from babel.messages.mofile import write_mo  # noqa: PLC0415
    from babel.messages.pofile import read_po  # noqa: PLC0415

    po = resources.files(__package__).joinpath("locale", language, "LC_MESSAGES", f"{DOMAIN}.po")
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


@functools.lru_cache(maxsize=4096, typed=True)
def number(value: float, language: str) -> str:
    """A number as written in ``language`` (``4.5`` / ``4,5``); cached, as the same few
    numbers recur on every page and Babel takes long to format one."""
    from babel import numbers  # noqa: PLC0415 - Babel's locale data, only when formatting

    return numbers.format_decimal(value, locale=language, decimal_quantization=False)


def long_date(iso: str, language: str) -> str:
    """An ISO date in words (``30 June 2027`` / ``30 czerwca 2027``); other text as is."""
    try:
        day = dt.date.fromisoformat(iso)
    except ValueError:
        return iso
    from babel import dates  # noqa: PLC0415 - Babel's locale data, only when formatting

    return dates.format_date(day, format="long", locale=language)


def theme_language(language: str) -> str:
    """The Material theme's language code for ``language``."""
    from babel import Locale  # noqa: PLC0415 - Babel's locale data, only for the theme

    return str(Locale.parse(language).language)


def extract_schema_descriptions(
    fileobj: IO[bytes],
    keywords: Collection[str],
    comment_tags: Collection[str],
    options: Mapping[str, Any],
) -> Iterator[tuple[int, None, str, list[str]]]:
    """Babel extractor: every ``title`` and ``description`` text of a JSON Schema.

    The format reference page shows them translated, with the English text as msgid.
    """
    text = fileobj.read().decode("utf-8")
    seen: set[str] = set()
    for value in _schema_texts(json.loads(text)):
        if value not in seen:
            seen.add(value)
            yield _line_of(text, value), None, value, []


def _schema_texts(node: object) -> Iterator[str]:
    if isinstance(node, list):
        for item in node:
            yield from _schema_texts(item)
    elif isinstance(node, dict):
        for key, value in node.items():
            if key in ("title", "description") and isinstance(value, str):
                yield value
            elif key not in ("const", "default", "enum", "examples", "pattern"):
                yield from _schema_texts(value)


def _line_of(text: str, value: str) -> int:
    """The 1-based line where ``value`` is first written as a JSON string."""
    index = text.find(json.dumps(value, ensure_ascii=False))
    return text.count("\n", 0, index) + 1 if index >= 0 else 1

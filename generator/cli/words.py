"""The command line's language: chosen once per run, by ``--language`` or the handbook's."""

from __future__ import annotations

import argparse
from collections.abc import Sequence

from generator.diagnostics.values import (
    Catalog,
    Diagnostic,
    Msg,
    Severity,
    Text,
    format_text,
    msg,
    msg_plural,
)
from generator.i18n import LANGUAGES, SOURCE_LANGUAGE, translations
from generator.model.changes import visible_controls

_language = [SOURCE_LANGUAGE]

_COUNTS = {
    Severity.ERROR: msg_plural("%(count)s error", "%(count)s errors", 0),
    Severity.WARNING: msg_plural("%(count)s warning", "%(count)s warnings", 0),
    Severity.INFO: msg_plural("%(count)s info", "%(count)s infos", 0),
}
_FOUND = msg("Found %(counts)s.")
_ERROR = msg("handbook: error: %(message)s")
_WARNING = msg("handbook: warning: %(message)s")


def use(language: str) -> None:
    """Speak ``language`` for the rest of this run."""
    translations(language)  # an unknown language fails here, before any output
    _language[0] = language


def language() -> str:
    """The language of this run."""
    return _language[0]


def catalog() -> Catalog:
    """The gettext catalog of this run's language."""
    return translations(language())


def say(text: Text) -> str:
    """``text`` in this run's language."""
    return text.render(catalog()) if isinstance(text, Msg) else text


def counted(words: Msg, count: int, **args: object) -> str:
    """A plural message (marked with ``msg_plural``) for ``count``, in this run's language."""
    return say(msg_plural(words.template, words.plural, count, **args))


def error(message: Text) -> str:
    """``handbook: error: …``."""
    return say(msg(_ERROR.template, message=message))


def warning(message: Text) -> str:
    """``handbook: warning: …``."""
    return say(msg(_WARNING.template, message=message))


def quoted(value: object) -> str:
    """A value from the command line or a file, quoted and with its controls shown."""
    return f"'{visible_controls(str(value))}'"


def diagnostic(diag: Diagnostic) -> str:
    """A diagnostic in the human format, in this run's language."""
    return format_text(diag, catalog())


def counts(diags: Sequence[Diagnostic]) -> str:
    """``Found 2 errors, 1 warning.`` in this run's language, with its plurals."""
    parts: list[str] = []
    for severity in sorted(Severity, reverse=True):
        number = sum(1 for d in diags if d.severity is severity)
        if number:
            parts.append(counted(_COUNTS[severity], number))
    return say(msg(_FOUND.template, counts=", ".join(parts)))


def add_option(parser: argparse.ArgumentParser) -> None:
    """``--language``: the language of the command's messages (default: the handbook's)."""
    parser.add_argument(
        "--language",
        choices=LANGUAGES,
        help="language of the messages (default: the handbook's language setting)",
    )

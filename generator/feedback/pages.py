"""The small HTML pages a plain form post gets back: thanks, or what went wrong."""

from __future__ import annotations

import functools
from html import escape

from generator.i18n import translate

_PAGE = """<!doctype html>
<html lang="{language}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>{title}</title>
<style>
body{{font-family:system-ui,sans-serif;max-width:40rem;margin:3rem auto;padding:0 1rem}}
body{{line-height:1.5}}a:focus{{outline:3px solid #4051b5;outline-offset:2px}}
</style>
</head>
<body>
<main>
<h1>{title}</h1>
<p role="status">{message}</p>
<p><a href="{back}">{back_text}</a></p>
</main>
</body>
</html>
"""


def thank_you_page(back: str, language: str = "en") -> str:
    """Confirmation that the answer was recorded, with a link back to the page it came from."""
    _ = functools.partial(translate, language)
    return _page(
        language,
        _("Thank you for your feedback"),
        _("Your answer was recorded anonymously."),
        back,
        _("Back to the page you came from"),
    )


def error_page(message: str, back: str, language: str = "en") -> str:
    """Why the answer was not recorded, with a link back to try again."""
    _ = functools.partial(translate, language)
    return _page(language, _("Your feedback was not sent"), message, back, _("Back to the form"))


def _page(language: str, title: str, message: str, back: str, back_text: str) -> str:
    return _PAGE.format(
        language=escape(language, quote=True),
        title=escape(title),
        message=escape(message),
        back=escape(back, quote=True),
        back_text=escape(back_text),
    )

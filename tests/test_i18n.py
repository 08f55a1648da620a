"""Labels in English and Polish: plural forms, a complete catalog, fully Polish pages."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

from generator import i18n
from generator.load.schema import load_schemas
from generator.model.durations import in_words
from generator.model.settings import FeedbackSettings, Settings
from generator.project import load_project
from generator.render.pages import render_site

LOCALE = Path(__file__).resolve().parents[1] / "generator" / "i18n" / "locale"
FIXTURE = Path(__file__).parent / "fixtures" / "small"
PLACEHOLDER = re.compile(r"%\((\w+)\)s")

SCHEMAS = load_schemas()


@pytest.mark.parametrize(
    ("duration", "hours", "polish", "english"),
    [
        ("1d", "business", "1 dzień roboczy", "1 business day"),
        ("2d", "business", "2 dni robocze", "2 business days"),
        ("5d", "business", "5 dni roboczych", "5 business days"),
        ("22d", "always", "22 dni", "22 days"),
        ("1h", "business", "1 godzina", "1 hour"),
        ("2h", "business", "2 godziny", "2 hours"),
        ("5h", "business", "5 godzin", "5 hours"),
        ("12h", "business", "12 godzin", "12 hours"),
        ("24h", "always", "24 godziny", "24 hours"),
        ("1.5h", "business", "1,5 godziny", "1.5 hours"),
        ("30m", "business", "30 minut", "30 minutes"),
        ("1w", "business", "1 tydzień roboczy", "1 working week"),
        ("3w", "always", "3 tygodnie", "3 weeks"),
    ],
)
def test_durations_in_words(duration: str, hours: str, polish: str, english: str) -> None:
    assert in_words(duration, hours=hours, language="pl") == polish
    assert in_words(duration, hours=hours, language="en") == english


def test_polish_catalog_is_complete() -> None:
    with (LOCALE / "handbook.pot").open("rb") as handle:
        template = read_po(handle)
    with (LOCALE / "pl" / "LC_MESSAGES" / "handbook.po").open("rb") as handle:
        catalog = read_po(handle, locale="pl")
    assert catalog.num_plurals == 3
    for message in template:
        if not message.id:
            continue
        translated = catalog.get(message.id)
        assert translated is not None and not translated.fuzzy, message.id
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = (
            translated.string if isinstance(translated.string, tuple) else (translated.string,)
        )
        assert all(strings), message.id
        expected = set(PLACEHOLDER.findall(ids[0]))
        for text in strings:
            assert set(PLACEHOLDER.findall(text)) == expected, (message.id, text)


def test_polish_pages_have_no_english_labels() -> None:
    settings = Settings(language="pl", feedback=FeedbackSettings(endpoint="/api/feedback"))
    project, diags = load_project(FIXTURE, settings)
    assert [d.code for d in diags] == ["HB125", "HB126"]
    site = render_site(project.organisation, settings, schemas=SCHEMAS)
    role = site.pages["roles/helpdesk.md"]
    for english in (
        "Responsibilities",
        "Expectations",
        "How to ask",
        "Send feedback",
        "Reports to",
        "business day",
        "hours",
        "Rewards",
        "Comment (optional)",
    ):
        assert english not in role, english
    for polish in (
        "Obowiązki",
        "Oczekiwania",
        "Jak poprosić",
        "Wyślij opinię",
        "Podlega",
        "30 minut",
        "4 godziny",
        "Nagrody",
        "31 stycznia 2030",
    ):
        assert polish in role, polish
    nav_titles = {next(iter(item)) for item in site.nav if isinstance(item, dict)}
    assert {"Zespoły", "Kogo poprosić o…?", "Kto mnie obsługuje"} <= nav_titles
    assert "(1 rola)" in site.pages["teams/index.md"]


def test_unknown_language_is_refused() -> None:
    with pytest.raises(ValueError, match="unsupported language"):
        i18n.translations("xx")


def test_theme_follows_the_language(tmp_path: Path) -> None:
    config = (
        (FIXTURE / "mkdocs.yml")
        .read_text("utf-8")
        .replace("  - handbook:\n", "  - handbook:\n      language: pl\n")
    )
    handbook = tmp_path / "handbook"
    shutil.copytree(FIXTURE, handbook)
    (handbook / "mkdocs.yml").write_text(config, "utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "generator.cli", "build", str(handbook), "--strict"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    page = (handbook / "site" / "roles" / "helpdesk" / "index.html").read_text("utf-8")
    assert '<html lang="pl"' in page
    assert "Szukaj" in page  # Material's own labels follow the handbook's language


def test_polish_example_validates_cleanly(root: Path) -> None:
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "generator.cli",
            "validate",
            str(root / "examples" / "pl"),
            "--strict",
            "--format",
            "json",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout
    found = json.loads(result.stdout)["diagnostics"]
    assert {d["code"] for d in found} == {"HB125", "HB126"}
    assert {d["severity"] for d in found} == {"info"}


def test_schema_texts_are_extracted_into_the_template() -> None:
    root = LOCALE.parents[2]
    with (root / "babel.cfg").open(encoding="utf-8") as handle:
        method_map, options_map = parse_mapping_cfg(handle)
    schema_map = [(p, method) for p, method in method_map if p.endswith(".schema.json")]
    assert schema_map, "babel.cfg maps no extractor to the JSON Schemas"
    extracted = {
        message
        for _file, _line, message, _comments, _context in extract_from_dir(
            root, schema_map, options_map
        )
    }
    assert "Role" in extracted
    assert "Plain text on a single line." in extracted
    with (LOCALE / "handbook.pot").open("rb") as handle:
        template = {message.id for message in read_po(handle)}
    assert extracted <= template

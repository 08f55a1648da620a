"""The command line speaks the handbook's language, names the item each finding is about,
reports everything at once and each finding once."""

from __future__ import annotations

import html
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from helpers import REPO_ROOT, run_handbook
from test_diff_words import english_in

from generator.cli import words
from generator.diagnostics.values import Diagnostic, Location, Severity

ADMIN = "roles/it/administrator-systemow.yaml"


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """The ``handbook`` command line."""
    return run_handbook(*args, cwd=cwd)


DATA = [
    re.compile(r"^\s+\d+ \|.*$|^\s+\| *\^$", re.M),  # the quoted source line and its caret
    re.compile(r"``[^`\n]*``|'[^'\n]*'|„[^”\n]*”|\"[^\"\n]*\"|`[^`\n]*`"),  # quoted data
    re.compile(r"\$[\w.\[\]\"-]*"),  # the data path
    re.compile(r"\[[\w-]+\]$", re.M),  # the code
    re.compile(r"(?:/|\b[\w.-]+/)[\w./-]*"),  # file and folder names
    re.compile(r"\bhandbook [a-z]+(?: [a-z]+)?|--[a-z-]+"),  # commands and options
    re.compile(r"^(?:INFO|WARNING|ERROR|DEBUG) +- .*$", re.M),  # MkDocs' own log lines
]
"""What a message shows from the handbook or the command line rather than in words."""


RULE_LINE = re.compile(r"^\S+ +\S+ +(\S+) +(.*)$", re.M)


def words_of(output: str) -> str:
    """The words of the tool's output, without the data it quotes."""
    for pattern in DATA:
        output = pattern.sub(" ", output)
    return output


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.fixture
def broken_polish(tmp_path: Path) -> Path:
    """The Polish example with many defects: schema errors beside rule findings."""
    root = tmp_path / "pl"
    shutil.copytree(REPO_ROOT / "examples" / "pl", root)
    admin = root / ADMIN
    _replace(admin, "summary:", "sumary:")
    _replace(admin, "    meets: 6\n    exceeds: 4\n", "    meets: 3\n    exceeds: 5\n")
    _replace(admin, "share: 45", "share: 75")
    _replace(root / "roles/it/kierownik-it.yaml", "response: ", "response: za chwilę ")
    for role in sorted((root / "roles").rglob("*.yaml"))[1:4]:
        if role.name != "teams.yaml" and role != admin:
            text = role.read_text(encoding="utf-8")
            role.write_text(text.replace("reports_to: ", "reports_to: nikt-"), encoding="utf-8")
    return root


def test_a_polish_handbook_is_checked_in_polish(broken_polish: Path) -> None:
    done = run("validate", str(broken_polish))
    assert done.returncode == 1
    output = done.stderr
    assert f"{ADMIN}:7:1: błąd: $.sumary: nieznane pole 'sumary' [HB001]" in output
    assert "  wskazówka: czy chodziło o 'summary'?" in output
    assert "błąd: $: brakuje wymaganego pola 'summary' [HB001]" in output
    assert (
        "$.expectations[0].exceeds: oczekiwanie 'czas-rozwiazania': próg „przekracza” (5) musi"
        " być niższy niż próg „spełnia” (3), gdy better to 'lower' [HB105]"
    ) in output
    assert "nieznana rola 'nikt-" in output
    assert re.search(r"\nZnaleziono: \d+ błęd(y|ów)(, \d+ (ostrzeżeni|uwag)\w*)*\.\n$", output)
    assert output.count(" błąd: ") >= 6
    assert english_in(words_of(output)) == []


def test_every_command_speaks_the_handbooks_language(tmp_path: Path) -> None:
    handbook = tmp_path / "pl"
    shutil.copytree(REPO_ROOT / "examples" / "pl", handbook)
    outputs = [
        run("validate", str(handbook)).stderr,
        run("rules", "--language", "pl").stdout,
        run("codeowners", str(handbook)).stderr,
        run("render", str(handbook), "--out", str(tmp_path / "md")).stderr,
        run("validate", str(tmp_path / "none"), "--language", "pl").stderr,
        run("build", str(tmp_path), "--language", "pl").stderr,
    ]
    assert outputs[1].startswith("HB001              schema                       błąd ")
    assert "Każdy plik jest zgodny ze swoim schematem JSON" in outputs[1]
    assert "nie jest folderem" in outputs[4]
    outputs[1] = RULE_LINE.sub(r"\1 \2", outputs[1])  # the codes and names are identifiers
    for output in outputs:
        assert output.strip()
        assert english_in(words_of(output)) == [], output
    english = run("rules", "--language", "en").stdout
    assert "HB001              schema                       error " in english


def test_the_language_option_overrides_the_handbooks(broken_polish: Path) -> None:
    done = run("validate", str(broken_polish), "--language", "en")
    assert f"{ADMIN}:7:1: error: $.sumary: unknown field 'sumary' [HB001]" in done.stderr
    assert "  hint: did you mean 'summary'?" in done.stderr
    assert "\nFound " in done.stderr


def _errors(count: int) -> list[Diagnostic]:
    return [Diagnostic(Severity.ERROR, Location("f.yaml"), "m")] * count


@pytest.mark.parametrize(
    ("count", "errors", "warnings"),
    [
        (1, "1 błąd", "1 ostrzeżenie"),
        (2, "2 błędy", "2 ostrzeżenia"),
        (4, "4 błędy", "4 ostrzeżenia"),
        (5, "5 błędów", "5 ostrzeżeń"),
        (12, "12 błędów", "12 ostrzeżeń"),
        (14, "14 błędów", "14 ostrzeżeń"),
        (22, "22 błędy", "22 ostrzeżenia"),
        (24, "24 błędy", "24 ostrzeżenia"),
    ],
)
def test_summary_lines_have_polish_plurals(count: int, errors: str, warnings: str) -> None:
    found = [
        *_errors(count),
        *[Diagnostic(Severity.WARNING, Location("f.yaml"), "m")] * count,
    ]
    words.use("pl")
    try:
        assert words.counts(found) == f"Znaleziono: {errors}, {warnings}."
        assert words.counts(_errors(count)) == f"Znaleziono: {errors}."
    finally:
        words.use("en")
    english = f"Found {count} error{'s' if count > 1 else ''}."
    assert words.counts(_errors(count)) == english


def test_the_number_of_roles_and_teams_is_counted_in_polish(tmp_path: Path) -> None:
    made = run("new", str(tmp_path / "h"), "--language", "pl")
    assert made.returncode == 0, made.stderr
    assert "utworzono " in made.stderr and "Dalej: handbook validate" in made.stderr
    done = run("validate", str(tmp_path / "h"))
    assert done.returncode == 0, done.stderr
    assert done.stderr == "1 rola, 2 zespoły: nie znaleziono problemów.\n"
    english = run("validate", str(tmp_path / "h"), "--language", "en")
    assert english.stderr == "1 role in 2 teams: no problems found.\n"


# -- handbook new --language pl ----------------------------------------------------------------


def page_text(page: Path) -> str:
    """The visible words of a built page: no scripts, styles, tags or search data."""
    markup = page.read_text(encoding="utf-8")
    markup = re.sub(r"<(script|style|svg|code)\b.*?</\1>", " ", markup, flags=re.S)
    markup = markup.replace("Material for MkDocs", " ")  # the theme's credit, a product name
    markup = re.sub(r'<span class="hb-address"[^>]*>[^<]*</span>', " ", markup)  # a URL
    markup = re.sub(r"<[^>]+>", " ", markup)
    return html.unescape(markup)


def test_a_polish_scaffold_validates_builds_and_shows_polish(tmp_path: Path) -> None:
    handbook = tmp_path / "nowy"
    assert run("new", str(handbook), "--language", "pl").returncode == 0
    config = (handbook / "mkdocs.yml").read_text(encoding="utf-8")
    assert "      language: pl " in config and "  language: pl\n" in config
    assert "      # feedback:\n      #   endpoint: /api/feedback" in config
    assert (handbook / "roles" / "prezes-zarzadu.yaml").is_file()
    assert not (handbook / "roles" / "managing-director.yaml").exists()
    assert not list(handbook.glob("**/__*")), "another language's or Python's files copied"
    assert (handbook / "content" / "guide.md").read_text("utf-8").startswith("# Jak korzystać")
    validated = run("validate", str(handbook), "--strict")
    assert validated.returncode == 0, validated.stderr
    built = run("build", str(handbook), "--strict")
    assert built.returncode == 0, built.stderr
    site = handbook / "site"
    pages = [
        site / "index.html",
        site / "guide" / "index.html",
        site / "roles" / "prezes-zarzadu" / "index.html",
    ]
    home = page_text(pages[0])
    assert "Witamy w podręczniku" in home
    assert "Prezes zarządu" in page_text(pages[2])
    for page in pages:
        assert english_in(page_text(page)) == [], page


def test_an_english_scaffold_is_the_default(tmp_path: Path) -> None:
    handbook = tmp_path / "new"
    assert run("new", str(handbook)).returncode == 0
    config = (handbook / "mkdocs.yml").read_text(encoding="utf-8")
    assert "      language: en " in config
    assert "      # feedback:\n      #   endpoint: /api/feedback" in config
    assert (handbook / "roles" / "managing-director.yaml").is_file()
    assert (handbook / "content" / "guide.md").is_file()
    assert run("validate", str(handbook), "--strict").returncode == 0


# -- the feedback report, once -----------------------------------------------------------------


def _turn_on_the_report(handbook: Path) -> None:
    _replace(
        handbook / "mkdocs.yml",
        "      # feedback:\n",
        "      feedback:\n        report: feedback-report.json\n",
    )


@pytest.mark.parametrize("language", ["en", "pl"])
def test_a_missing_feedback_report_is_a_warning_with_a_hint(tmp_path: Path, language: str) -> None:
    handbook = tmp_path / "h"
    assert run("new", str(handbook), "--language", language).returncode == 0
    _turn_on_the_report(handbook)
    built = run("build", str(handbook))
    assert built.returncode == 0, built.stderr
    assert (handbook / "site" / "index.html").is_file()
    hint = {"en": "hint: run handbook feedback report", "pl": "wskazówka: uruchom handbook"}
    shown = {"en": ": warning: ", "pl": ": ostrzeżenie: "}
    assert f"feedback-report.json{shown[language]}" in built.stderr
    assert hint[language] in built.stderr
    assert built.stderr.count("feedback-report.json") == 1
    assert run("build", str(handbook), "--strict").returncode == 1


def test_build_prints_each_diagnostic_once(tmp_path: Path) -> None:
    handbook = tmp_path / "h"
    assert run("new", str(handbook)).returncode == 0
    role = handbook / "roles" / "managing-director.yaml"
    _replace(
        role,
        "  - id: decisions-rating",
        "  - id: unused-one\n    text: Something.\n"
        "    measure: things\n    better: higher\n    meets: 1\n  - id: decisions-rating",
    )
    built = run("build", str(handbook))
    assert built.returncode == 0, built.stderr
    headline = "$.expectations[1].id: expectation 'unused-one' is used by no reward"
    assert built.stderr.count("is used by no reward") == 1, built.stderr
    assert headline in built.stderr
    assert built.stderr.count("Found 1 info.") == 1


# -- everything at once, each item named -------------------------------------------------------


def test_a_misspelled_field_does_not_hide_the_rules(tmp_path: Path) -> None:
    handbook = tmp_path / "h"
    assert run("new", str(handbook)).returncode == 0
    role = handbook / "roles" / "managing-director.yaml"
    _replace(role, "summary: >", "sumary: >")
    _replace(
        role, "    share: 40\n  - id: leadership-team", "    share: 70\n  - id: leadership-team"
    )
    _replace(role, "    meets: 30\n    exceeds: 15", "    meets: 15\n    exceeds: 30")
    _replace(role, "      - priority: normal\n", "      - priority: normla\n")
    done = run("validate", str(handbook))
    assert done.returncode == 1
    found = sorted(re.findall(r"\[(HB\d+)\]", done.stderr))
    assert found == ["HB001", "HB001", "HB105", "HB107", "HB119"], done.stderr
    assert "$.sumary: unknown field 'sumary'" in done.stderr
    assert "$.responsibilities: responsibility shares add up to 110 %" in done.stderr
    assert (
        "$.expectations[0].exceeds: expectation 'plan-published': exceeds (30) must be below"
        " meets (15) when better is 'lower' [HB105]"
    ) in done.stderr
    assert (
        "$.commitments[0].targets[1].priority: service 'decisions': unknown priority 'normla'"
        " [HB119]"
    ) in done.stderr


def test_repaired_parts_are_not_reported_twice(tmp_path: Path) -> None:
    handbook = tmp_path / "h"
    assert run("new", str(handbook)).returncode == 0
    role = handbook / "roles" / "managing-director.yaml"
    _replace(role, 'review_by: "', 'review_by: "not a date ')
    _replace(
        role, "    share: 40\n  - id: leadership-team", "    shares: 40\n  - id: leadership-team"
    )
    done = run("validate", str(handbook))
    assert done.returncode == 1
    assert sorted(re.findall(r"\[(HB\d+)\]", done.stderr)) == ["HB001", "HB001"], done.stderr
    assert "$.responsibilities[0].shares: responsibility 'direction': unknown field" in done.stderr


def test_a_file_whose_id_is_broken_is_not_guessed(tmp_path: Path) -> None:
    handbook = tmp_path / "h"
    assert run("new", str(handbook)).returncode == 0
    role = handbook / "roles" / "managing-director.yaml"
    _replace(role, "id: managing-director", "id: Managing Director")
    _replace(
        role, "    share: 40\n  - id: leadership-team", "    share: 70\n  - id: leadership-team"
    )
    done = run("validate", str(handbook))
    assert done.returncode == 1
    assert "HB107" not in done.stderr and "[HB001]" in done.stderr


def test_the_database_commands_speak_the_handbooks_language(tmp_path: Path) -> None:
    handbook = tmp_path / "pl"
    shutil.copytree(REPO_ROOT / "examples" / "pl", handbook)
    report = run("feedback", "report", str(handbook), "--out", str(tmp_path / "f.json"))
    assert report.returncode == 0, report.stderr
    assert re.fullmatch(r"Zapisano raport opinii dla \d+ zobowiązań w \S+\n", report.stderr)
    exported = run("requests", "export", str(handbook), "--out", str(tmp_path / "r.csv"))
    assert exported.stderr == "Wyeksportowano 0 zgłoszeń\n"
    unknown = run("feedback", "invite", str(handbook), "nikt/nic")
    assert unknown.returncode == 1
    assert unknown.stderr == "handbook: nikt/nic: nie ma takiej roli/zobowiązania\n"
    english = run("requests", "export", str(handbook), "--language", "en", "--out", "-")
    assert english.stderr == "Exported 0 requests\n"
    for done in (report, exported, unknown):
        assert english_in(words_of(done.stderr)) == []

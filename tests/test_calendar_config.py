"""The business calendar and priority definitions as an organisation configures them."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml
from helpers import run_handbook, write_valid_org

from generator.cli.commands import load_settings
from generator.load.schema import load_schemas
from generator.project import load_project
from generator.render.pages import render_site


def handbook(*args: str) -> subprocess.CompletedProcess[str]:
    return run_handbook(*args)


def configured(root: Path, **options: Any) -> Path:
    write_valid_org(root, mkdocs=options)
    return root


def pages(root: Path) -> dict[str, str]:
    project, diags = load_project(root, load_settings(root))
    assert [d.headline for d in diags if d.severity.name == "ERROR"] == []
    return dict(render_site(project.organisation, project.settings, schemas=load_schemas()).pages)


def test_pages_say_in_plain_words_when_business_hours_are(tmp_path: Path) -> None:
    calendar = {"timezone": "Europe/Warsaw", "hours": "08:00-16:00", "holidays": "PL"}
    root = configured(tmp_path, calendar=calendar, language="pl")
    text = "\n".join(pages(root).values())
    assert "poniedziałek–piątek" in text and "Europe/Warsaw" in text
    assert "święta państwowe" in text


@pytest.mark.parametrize(
    ("calendar", "message"),
    [
        ({"timezone": "Europe/Warshaw"}, "calendar.timezone"),
        ({"hours": "16:00-08:00"}, "calendar.hours"),
        ({"working_days": ["mon", "funday"]}, "calendar.working_days"),
        ({"holidays": "XX"}, "calendar.holidays"),
        ({"closed": ["2026-02-30"]}, "calendar.closed"),
        ({"openings": "09:00"}, "calendar.openings"),
    ],
)
def test_a_bad_calendar_stops_with_its_field_named(
    tmp_path: Path, calendar: dict[str, Any], message: str
) -> None:
    root = configured(tmp_path, calendar=calendar)
    done = handbook("validate", str(root))
    assert done.returncode == 1
    assert "option 'calendar'" in done.stderr and message in done.stderr
    assert "Traceback" not in done.stderr


def test_a_team_calendar_overrides_the_organisations(tmp_path: Path) -> None:
    root = configured(tmp_path, calendar={"timezone": "Europe/London"})
    teams = yaml.safe_load((root / "roles" / "teams.yaml").read_text("utf-8"))
    teams["teams"][0]["calendar"] = {"timezone": "America/New_York", "hours": "09:00-17:00"}
    (root / "roles" / "teams.yaml").write_text(yaml.safe_dump(teams), "utf-8")
    project, diags = load_project(root, load_settings(root))
    assert diags == []
    first = teams["teams"][0]["id"]
    children = [t.id for t in project.organisation.teams.values() if t.parent == first]
    london = project.settings.calendar
    own = project.organisation.calendar_of(first, london)
    assert own.timezone == "America/New_York" and own.hours == ((540, 1020),)
    for child in children:  # sub-teams inherit it
        assert project.organisation.calendar_of(child, london) == own


def test_a_bad_team_calendar_is_reported_at_its_line(tmp_path: Path) -> None:
    root = configured(tmp_path)
    teams_file = root / "roles" / "teams.yaml"
    teams = yaml.safe_load(teams_file.read_text("utf-8"))
    teams["teams"][0]["calendar"] = {"hours": "9-5"}
    teams_file.write_text(yaml.safe_dump(teams, sort_keys=False), "utf-8")
    _project, diags = load_project(root, load_settings(root))
    (found,) = [d for d in diags if d.code == "HB123"]
    line = teams_file.read_text("utf-8").splitlines().index("    hours: 9-5") + 1
    assert (found.location.file, found.location.line) == ("roles/teams.yaml", line)
    assert found.path.endswith(".calendar.hours")


def test_business_day_hours_is_a_deprecated_alias(tmp_path: Path) -> None:
    root = configured(tmp_path, business_day_hours=10)
    done = handbook("validate", str(root))
    assert done.returncode == 0, done.stderr
    assert "business_day_hours" in done.stderr and "calendar" in done.stderr
    assert load_settings(root).business_day_hours == 10


def test_priorities_are_labelled_and_explained_in_each_language(tmp_path: Path) -> None:
    priorities = [
        {"id": "urgent", "label": {"en": "Critical", "pl": "Krytyczne"},
         "means": {"en": "the line has stopped", "pl": "linia stoi"}},
        "normal",
    ]  # fmt: skip
    english = "\n".join(pages(configured(tmp_path / "en", priorities=priorities)).values())
    assert "Critical" in english and "the line has stopped" in english
    polish_root = configured(tmp_path / "pl", priorities=priorities, language="pl")
    polish = "\n".join(pages(polish_root).values())
    assert "Krytyczne" in polish and "linia stoi" in polish and "Critical" not in polish
    assert "Zwykłe" in polish  # the built-in label of normal, translated


@pytest.mark.parametrize(
    "priorities",
    [[{"id": "Urgent!"}], ["urgent", "urgent"], [{"id": "urgent", "colour": "red"}], []],
)
def test_bad_priority_definitions_stop_with_a_clear_message(
    tmp_path: Path, priorities: list[Any]
) -> None:
    done = handbook("validate", str(configured(tmp_path, priorities=priorities)))
    assert done.returncode == 1 and "option 'priorities'" in done.stderr
    assert "Traceback" not in done.stderr

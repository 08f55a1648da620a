"""Feedback scores on pages: judged against expectations, suppressed below k, scorecard."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from generator.load.schema import load_schemas
from generator.measure.scores import judge, load_scores
from generator.model.organisation import Expectation
from generator.model.settings import FeedbackSettings, Settings
from generator.project import load_project
from generator.render.pages import render_site

FIXTURE = Path(__file__).parent / "fixtures" / "small"

SCHEMAS = load_schemas()


def _report(entries: list[dict[str, object]], min_responses: int = 5) -> dict[str, object]:
    return {
        "version": 1,
        "period": {"since": "2026-10-01T00:00:00+00:00", "until": "2026-11-01T00:00:00+00:00"},
        "min_responses": min_responses,
        "entries": entries,
    }


HELPDESK = {
    "key": "helpdesk/it-help",
    "suppressed": False,
    "count": 8,
    "mean": 3.5,
    "distribution": {"1": 0, "2": 1, "3": 3, "4": 3, "5": 1},
    "priorities": [{"priority": "speed", "count": 5}, {"priority": "quality", "count": 2}],
}
DIRECTOR = {"key": "director/decisions", "suppressed": True}


@pytest.mark.parametrize(
    ("better", "meets", "exceeds", "value", "expected"),
    [
        ("higher", 4.0, 4.5, 4.6, "exceeds"),
        ("higher", 4.0, 4.5, 4.0, "meets"),
        ("higher", 4.0, 4.5, 3.9, "below"),
        ("lower", 3.0, 2.0, 2.0, "exceeds"),
        ("lower", 3.0, 2.0, 3.5, "below"),
        ("higher", 4.0, None, None, "unknown"),
    ],
)
def test_judge(
    better: str, meets: float, exceeds: float | None, value: float | None, expected: str
) -> None:
    expectation = Expectation("e", "t", better, meets, exceeds)  # type: ignore[arg-type]
    assert judge(expectation, value) == expected


@pytest.fixture
def handbook(tmp_path: Path) -> Path:
    root = tmp_path / "handbook"
    shutil.copytree(FIXTURE, root)
    (root / "report.json").write_text(json.dumps(_report([HELPDESK, DIRECTOR])), "utf-8")
    config = (root / "mkdocs.yml").read_text("utf-8")
    (root / "mkdocs.yml").write_text(config + "        report: report.json\n", "utf-8")
    return root


def test_scores_on_role_pages_and_scorecard(handbook: Path) -> None:
    settings = Settings(feedback=FeedbackSettings(report="report.json"))
    project, diags = load_project(handbook, settings)
    scores, problems = load_scores(handbook, project.organisation, settings.feedback)
    assert [d.code for d in diags] == ["HB125", "HB126"]
    assert problems == [] and scores is not None
    pages = render_site(project.organisation, settings, scores=scores, schemas=SCHEMAS).pages
    helpdesk = pages["roles/helpdesk.md"]
    assert "Rated 3.5 out of 5</strong> by 8 internal customers" in helpdesk
    assert "speed (5), quality (2)" in helpdesk
    assert "Below target" in helpdesk  # mean 3.5 is under meets 4
    assert 'aria-label="Ratings: 0 rated 1, 1 rated 2, 3 rated 3, 3 rated 4, 1 rated 5"' in helpdesk
    director = pages["roles/director.md"]
    assert "Fewer than 5 responses" in director and "Rated" not in director
    card = pages["scorecard.md"]
    assert card.index("helpdesk/#commitment-it-help") < card.index("director/#commitment-decisions")


def test_groups_under_the_configured_k_are_hidden(handbook: Path) -> None:
    settings = Settings(feedback=FeedbackSettings(report="report.json", min_responses=10))
    project, _ = load_project(handbook, settings)
    scores, _ = load_scores(handbook, project.organisation, settings.feedback)
    assert scores is not None and scores.get("helpdesk", "it-help") is None
    assert scores.is_hidden("helpdesk", "it-help")


def test_bad_report_is_a_diagnostic(handbook: Path) -> None:
    (handbook / "report.json").write_text('{"version": 1,', "utf-8")
    project, _ = load_project(handbook, Settings())
    scores, problems = load_scores(
        handbook, project.organisation, FeedbackSettings(report="report.json")
    )
    assert scores is None and problems and problems[0].location.file.endswith("report.json")


def test_build_with_report_has_scorecard(handbook: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "generator.cli",
            "build",
            str(handbook),
            "--strict",
            "--site-dir",
            str(out),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    html = (out / "scorecard" / "index.html").read_text("utf-8")
    assert '<svg class="hb-chart"' in html and "Too few responses to show" in html

"""End to end: import real requests, measure them, build the site for everyone and for leaders."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
from helpers import (
    MEASURED_AS_OF,
    REPO_ROOT,
    SAMPLE_EXPORTS,
    copy_example,
    run_handbook,
    subprocess_env,
)
from sqlalchemy import create_engine, text

HELPDESK = "roles/it-helpdesk-technician/index.html"
SCORECARD = "scorecard/index.html"


def handbook_cli(*args: str) -> subprocess.CompletedProcess[str]:
    done = run_handbook(*args)
    assert done.returncode == 0, done.stdout + done.stderr
    return done


def _postgres() -> Iterator[str]:
    url = os.environ.get("HANDBOOK_TEST_DATABASE_URL")
    if not url:
        message = "HANDBOOK_TEST_DATABASE_URL is not set (export it from `bash .ci/start-postgres`)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    schema = f"measured_{uuid.uuid4().hex[:10]}"
    admin = create_engine(url)
    with admin.begin() as conn:
        conn.execute(text(f"CREATE SCHEMA {schema}"))
    separator = "&" if "?" in url else "?"
    try:
        yield f"{url}{separator}options={quote(f'-csearch_path={schema}')}"
    finally:
        with admin.begin() as conn:
            conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def database(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path_factory.mktemp('db') / 'handbook.db'}"
    else:
        yield from _postgres()


@pytest.fixture(scope="module")
def measured(database: str, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The English example, its sample requests imported twice and measured."""
    handbook = copy_example(tmp_path_factory.mktemp("example") / "handbook", measured=False)
    export = str(SAMPLE_EXPORTS[""])
    for _ in range(2):  # a nightly import is idempotent
        handbook_cli("requests", "import", export, "-C", str(handbook), "--database", database)
    handbook_cli("report", str(handbook), "--database", database, "--as-of", MEASURED_AS_OF)
    return handbook


def built(handbook: Path, out: Path, *audience: str) -> Path:
    handbook_cli("build", str(handbook), "--strict", "--site-dir", str(out), *audience)
    return out


def test_the_report_measures_every_period_and_reward(measured: Path) -> None:
    report = json.loads((measured / "measured-report.json").read_text("utf-8"))
    assert [p["id"] for p in report["periods"]] == ["2026-Q3", "2026-Q4"]
    q4 = report["periods"][-1]
    assert q4["complete"] is False and report["periods"][0]["complete"] is True
    help_desk = q4["services"]["it-helpdesk-technician/it-help"]
    assert help_desk["requests"] == 110 and not help_desk["hidden"]
    assert 0 < help_desk["response"]["percent"] <= 100
    assert q4["services"]["facilities-coordinator/access-cards"] == {"requests": 3, "hidden": True}
    assert q4["rewards"]["it-helpdesk-technician/quarter-half-day"]["status"] == "met"
    assert q4["expectations"]["it-helpdesk-technician/first-contact-resolution"]["value"] == 66
    bonus = q4["rewards"]["it-helpdesk-technician/helpdesk-bonus"]
    assert bonus["status"] == "not-met" and "tickets-within-target" in bonus["failed"]


def test_leaders_see_measured_statuses_trends_and_earned_rewards(
    measured: Path, tmp_path: Path
) -> None:
    site = built(measured, tmp_path / "leaders", "--audience", "leaders")
    page = (site / HELPDESK).read_text("utf-8")
    assert "Leaders&#39; edition" in page or "Leaders' edition" in page
    assert "2026-Q4 (so far)" in page
    assert 'class="hb-chart hb-trend"' in page  # a trend over 2026-Q3 and 2026-Q4
    assert "Met in 2026-Q4 (so far)" in page
    assert "66 · " in page  # the manual first-contact measurement
    card = (site / SCORECARD).read_text("utf-8")
    assert "Service levels" in card and "Too few requests to show" in card


def test_the_site_for_everyone_shows_service_levels_but_no_ones_outcome(
    measured: Path, tmp_path: Path
) -> None:
    site = built(measured, tmp_path / "everyone")
    page = (site / HELPDESK).read_text("utf-8")
    assert "Service level" in page and "answered in time" in page
    assert "Met in" not in page and "Not met" not in page
    assert "66 · " not in page  # manual values are for leaders
    assert "shown in the leaders&#39; edition" in page or "shown in the leaders' edition" in page
    assert "Leaders" not in page.split("<article")[1].split("</article>")[0][:400]


def test_a_missing_report_is_a_warning_with_a_hint(tmp_path: Path) -> None:
    handbook = copy_example(tmp_path / "handbook", measured=False)
    done = subprocess.run(
        [sys.executable, "-m", "generator.cli", "build", str(handbook), "--site-dir",
         str(tmp_path / "site")],
        capture_output=True, text=True, env=subprocess_env(), check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "the measured report does not exist yet" in done.stderr
    assert "handbook report --out measured-report.json" in done.stderr


def test_the_polish_example_is_measured_in_polish(tmp_path: Path) -> None:
    source = REPO_ROOT / "examples" / "pl"
    handbook = tmp_path / "pl"
    handbook.mkdir()
    for name in ("mkdocs.yml", "roles", "content", "measurements", "schema"):
        copy = shutil.copytree if (source / name).is_dir() else shutil.copy2
        copy(source / name, handbook / name)
    database = f"sqlite:///{tmp_path / 'pl.db'}"
    export = str(SAMPLE_EXPORTS["examples/pl"])
    handbook_cli("requests", "import", export, "-C", str(handbook), "--database", database)
    handbook_cli("report", str(handbook), "--database", database, "--as-of", MEASURED_AS_OF)
    site = built(handbook, tmp_path / "site", "--audience", "leaders")
    page = (site / "roles/administrator-systemow/index.html").read_text("utf-8")
    assert "Wydanie dla kierownictwa" in page
    assert "Poziom usługi" in page and "zgłoszeń" in page
    assert "Spełnione w okresie 2026-Q4 (do tej pory)" in page
    assert "poniedziałek" in page.lower() and "Europe/Warsaw" in page
    for english in ("Service level", "Leaders' edition", "Met in", "answered in time"):
        assert english not in page, english


def test_the_rewards_page_for_leaders_and_for_everyone(measured: Path, tmp_path: Path) -> None:
    leaders = built(measured, tmp_path / "leaders", "--audience", "leaders")
    page = (leaders / "rewards" / "index.html").read_text("utf-8")
    assert "2026-Q3" in page and "2026-Q4 &#40;so far&#41;" in page
    assert "hb-reward-outcome--met" in page and "hb-reward-outcome--not-met" in page
    assert "A half day off at the end of the quarter" in page
    everyone = built(measured, tmp_path / "everyone")
    summary = (everyone / "rewards" / "index.html").read_text("utf-8")
    assert "hb-reward-outcome" not in summary  # no single role's outcome
    assert "A half day off" not in summary
    assert "too few roles to show" in summary  # teams of fewer than five roles with rewards
    assert re.search(r"<td>\d+ of \d+</td>", summary)  # the organisation's own count

"""The leaders' views in a real browser: the matrix in both languages, nothing fetched from
another origin, the map without JavaScript, and the review notice on paper."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
import sys
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from helpers import epoch_of, served, subprocess_env

from generator.project import load_project

pytestmark = pytest.mark.browser

BUILD_DAYS = {"en": dt.date(2027, 4, 15), "pl": dt.date(2027, 7, 15)}
"""Build dates after some review dates of each example (and before the others)."""


def _report(keys: list[str]) -> dict[str, Any]:
    entries = [
        {
            "key": key,
            "suppressed": False,
            "count": 6,
            "mean": 4.0,
            "distribution": {"1": 0, "2": 0, "3": 1, "4": 4, "5": 1},
            "priorities": [{"priority": name, "count": 3}],
        }
        for key, name in zip(keys, ["speed", "quality"] * len(keys), strict=False)
    ]
    period = {"since": None, "until": None}
    return {"version": 1, "period": period, "min_responses": 5, "entries": entries}


def _build(source: Path, target: Path, parts: tuple[str, ...], day: dt.date) -> Path:
    """Copy a handbook, give it a feedback report and build it on a day some reviews are due."""
    for name in parts:
        shutil.copytree(source / name, target / name)
    config = (
        (source / "mkdocs.yml")
        .read_text("utf-8")
        .replace(
            "        endpoint: /api/feedback\n",
            "        endpoint: /api/feedback\n        report: report.json\n",
        )
    )
    (target / "mkdocs.yml").write_text(config, "utf-8")
    project, _ = load_project(target)
    report = _report(sorted(project.organisation.feedback_keys()))
    (target / "report.json").write_text(json.dumps(report), "utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "generator.cli", "build", str(target)],
        capture_output=True,
        text=True,
        env=subprocess_env(SOURCE_DATE_EPOCH=epoch_of(day)),
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return target / "site"


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory, root: Path) -> Iterator[dict[str, str]]:
    english = _build(
        root, tmp_path_factory.mktemp("en"), ("roles", "content", "theme"), BUILD_DAYS["en"]
    )
    polish = _build(
        root / "examples" / "pl",
        tmp_path_factory.mktemp("pl"),
        ("roles", "content"),
        BUILD_DAYS["pl"],
    )
    with served(english) as en, served(polish) as pl:
        yield {"en": en, "pl": pl}


def _violations(page: Any) -> list[tuple[str, list[Any]]]:
    from axe_playwright_python.sync_playwright import Axe  # noqa: PLC0415

    found = Axe().run(page).response["violations"]
    return [(v["id"], [n["target"] for n in v["nodes"]][:3]) for v in found]


@pytest.mark.parametrize(("language", "everyone"), [("en", "Everyone"), ("pl", "Wszyscy")])
def test_the_matrix_is_drawn_and_accessible(
    browser: Any, sites: dict[str, str], tmp_path: Path, language: str, everyone: str
) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(sites[language] + "/map/")
    drawing = page.locator("svg.hb-matrix")
    box = drawing.bounding_box()
    assert box is not None and box["width"] > 300 and box["height"] > 200
    shot = tmp_path / f"matrix-{language}.png"
    drawing.screenshot(path=str(shot))
    assert shot.stat().st_size > 5_000
    assert page.locator("svg.hb-matrix .hb-matrix__everyone").text_content() == everyone
    # the image is named, and its numbers are in the table for screen readers
    assert (
        page.get_by_role(
            "img",
            name="Internal-customer matrix"
            if language == "en"
            else "Macierz klientów wewnętrznych",
        ).count()
        == 1
    )
    assert (
        page.locator(".hb-map-table tbody tr").count()
        == page.locator("svg.hb-matrix .hb-matrix__rows text").count()
    )
    assert _violations(page) == []
    page.close()


def test_the_map_asks_no_other_origin_and_needs_no_script(
    browser: Any, sites: dict[str, str]
) -> None:
    base = sites["en"]
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(base + "/map/", wait_until="networkidle")
    assert requested and all(url.startswith(base + "/") for url in requested), requested
    cells = page.locator("svg.hb-matrix path[class^='hb-m']")
    assert cells.count() >= 1
    box = page.locator("svg.hb-matrix").bounding_box()
    assert box is not None and box["width"] > 300
    context.close()
    page = browser.new_page()
    requested.clear()
    page.on("request", lambda request: requested.append(request.url))
    page.goto(base + "/map/", wait_until="networkidle")
    assert all(url.startswith(base + "/") for url in requested), requested
    page.close()


@pytest.mark.parametrize(
    ("language", "role", "notice", "first_section"),
    [
        (
            "en",
            "/roles/payroll-specialist/",
            "This description was due for review by March 31, 2027",
            "Responsibilities",
        ),
        (
            "pl",
            "/roles/specjalista-ds-kadr/",
            "Ten opis miał zostać przejrzany do 30 czerwca 2027",
            "Obowiązki",
        ),
    ],
)
def test_an_overdue_role_says_so_on_paper(  # noqa: PLR0917 - one case per language
    browser: Any,
    sites: dict[str, str],
    tmp_path: Path,
    language: str,
    role: str,
    notice: str,
    first_section: str,
) -> None:
    from pypdf import PdfReader  # noqa: PLC0415 - only this test reads PDFs

    page = browser.new_page()
    page.goto(sites[language] + role)
    pdf = tmp_path / "role.pdf"
    page.pdf(path=str(pdf), format="A4", print_background=False)
    page.close()
    extracted = " ".join(p.extract_text() for p in PdfReader(pdf).pages)
    text = " ".join(unicodedata.normalize("NFKC", extracted).split())
    assert notice in text, text[:600]
    assert text.index(notice) < text.index(first_section), text[:900]


def test_the_workload_page_lists_the_overdue_reviews(browser: Any, sites: dict[str, str]) -> None:
    page = browser.new_page()
    page.goto(sites["en"] + "/workload/")
    overdue = page.locator(".hb-overdue tbody tr")
    names = overdue.all_text_contents()
    assert len(names) == 2  # the payroll specialist and the cleaning account manager
    assert "Payroll Specialist" in " ".join(names)
    first = page.locator(".hb-workload tbody tr").first
    assert first.locator(".hb-signals li").count() >= 2  # the most at risk come first
    page.close()

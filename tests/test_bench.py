"""The benchmark runs end to end at a tiny size and writes its results (it is not a timing test)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.__main__ import main
from bench.org import organisation, team_tree


def test_synthetic_organisation_has_the_advertised_shape() -> None:
    teams, roles = organisation(20)
    assert len(teams["teams"]) == len(team_tree()) == 40
    assert len(roles) == 20
    role = roles[5]
    assert (len(role["responsibilities"]), len(role["expectations"])) == (6, 4)
    assert (len(role["commitments"]), len(role["rewards"])) == (2, 2)
    assert sum(1 for r in roles if "reports_to" not in r) == 1


@pytest.mark.slow
def test_benchmark_runs_and_writes_results(tmp_path: Path) -> None:
    out = tmp_path / "RESULTS.md"
    status = main(
        [
            "--sizes",
            "20",
            "--repeat",
            "1",
            "--serve-at",
            "20",
            "--serve-edits",
            "1",
            "--work",
            str(tmp_path / "work"),
            "--out",
            str(out),
            "--receiver-requests",
            "40",
            "--search-sizes",
            "20",
            "--search-plain-at",
            "20",
            "--worst-role-repeat",
            "0",
        ]
    )
    assert status == 0
    text = out.read_text(encoding="utf-8")
    assert "| roles | runs | handbook build |" in text
    assert "generator overhead" in text and "internal-customer map page at N=20" in text
    assert "| 20 | 1 |" in text
    assert "## Feedback receiver" in text and "accepted submissions per second" in text
    assert "## Search index" in text
    search = text.split("## Search index", 1)[1]
    row = next(line for line in search.splitlines() if line.startswith("| 20 | "))
    assert row.count("MB") >= 4 and "not built" not in row, row

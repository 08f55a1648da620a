"""The benchmark runs end to end at a tiny size and writes its results (it is not a timing test)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.__main__ import main
from bench.handwritten import write_handwritten
from bench.org import organisation, team_count, team_tree
from bench.run import largest_pages, measure_sizes, page_kind, prepare_size


def test_synthetic_organisation_has_the_advertised_shape() -> None:
    teams, roles = organisation(20)
    assert len(teams["teams"]) == len(team_tree(team_count(20))) == 10
    assert len(organisation(2000)[0]["teams"]) == 80  # N/25 teams
    assert len(roles) == 20
    customers = [c["customers"] for r in roles for c in r["commitments"]]
    assert sum(c == ["everyone"] for c in customers) * 5 == len(customers)
    role = roles[5]
    assert (len(role["responsibilities"]), len(role["expectations"])) == (6, 4)
    assert (len(role["commitments"]), len(role["rewards"])) == (2, 2)
    assert sum(1 for r in roles if "reports_to" not in r) == 1


def test_hand_written_baseline_has_one_page_per_role_in_team_folders(tmp_path: Path) -> None:
    config = write_handwritten(tmp_path, 20)
    pages = sorted((tmp_path / "docs").rglob("role-*.md"))
    assert config.is_file() and len(pages) == 20
    _, roles = organisation(20)
    page = next(p for p in pages if p.stem == roles[9]["id"])
    assert page.parent.name == roles[9]["team"] and (page.parent / "index.md").is_file()
    text = page.read_text(encoding="utf-8")
    assert text.startswith(f"# {roles[9]['title']}\n")
    assert roles[9]["commitments"][1]["service"] in text


def test_largest_pages_are_grouped_by_kind(tmp_path: Path) -> None:
    for rel, size in (("roles/a/index.html", 5), ("roles/b/index.html", 9), ("map/index.html", 3),
                      ("index.html", 1), ("assets/x.html", 99)):  # fmt: skip
        path = tmp_path / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"x" * size)
    assert largest_pages(tmp_path) == {
        "home": ("index.html", 1),
        "map": ("map/index.html", 3),
        "roles/…": ("roles/b/index.html", 9),
    }
    assert page_kind(Path("who-serves-me/team-1.html")) == "who-serves-me/…"


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
            "--small-validate-runs",
            "1",
        ]
    )
    assert status == 0
    text = out.read_text(encoding="utf-8")
    assert "| roles | runs | handbook build |" in text
    assert "generator overhead" in text and "internal-customer map page at N=20" in text
    assert "| 20 | 1 |" in text
    assert "handbook build / mkdocs build of equivalent hand-written pages" in text
    assert "## Largest page of every kind" in text and "| roles/… |" in text
    assert "## Validation at pre-commit speed" in text
    assert "handbook validate of 30 roles (s, median)" in text
    assert "one-role edit → rebuilt page in serve at N=20" in text
    assert "```sh\npython -m bench --sizes 20 --repeat 1 --serve-at 20" in text
    assert "The whole run took" in text
    assert "## Feedback receiver" in text and "accepted submissions per second" in text
    assert "## Search index" in text
    search = text.split("## Search index", 1)[1]
    row = next(line for line in search.splitlines() if line.startswith("| 20 | "))
    assert row.count("MB") >= 4 and "not built" not in row, row


def test_sizes_take_turns_in_every_round(tmp_path: Path) -> None:
    """A machine that drifts during the run weighs on every size alike."""
    sizes = [prepare_size(roles, tmp_path) for roles in (10, 12)]
    logged: list[str] = []
    results = measure_sizes(sizes, {10: 2, 12: 1}, serve_edits={}, log=logged.append)
    rounds = [line.split(":")[0].strip() for line in logged]
    assert rounds == ["N=10 run 1/2", "N=12 run 1/1", "N=10 run 2/2"]
    assert [len(results[n].build) for n in (10, 12)] == [2, 1]
    assert len(results[10].handwritten_build) == len(results[10].plain_build) == 2
    assert results[12].site_bytes > results[10].site_bytes > 0

"""``handbook new`` gives a handbook that stays valid whenever it is created."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from generator.cli.scaffold import create
from generator.project import load_project


@pytest.mark.parametrize("year", [2026, 2031, 2040])
def test_new_handbook_is_clean_in_any_year(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, year: int
) -> None:
    epoch = int(dt.datetime(year, 3, 1, tzinfo=dt.UTC).timestamp())
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(epoch))
    create(tmp_path / "h")
    _project, diags = load_project(tmp_path / "h")
    assert diags == []
    role = (tmp_path / "h" / "roles" / "managing-director.yaml").read_text("utf-8")
    next_review = dt.date(year, 3, 1) + dt.timedelta(days=365)
    assert f'review_by: "{next_review.isoformat()}"' in role


def test_new_refuses_to_overwrite(tmp_path: Path) -> None:
    create(tmp_path)
    with pytest.raises(FileExistsError, match="already exists"):
        create(tmp_path)

"""Fixtures for the feedback tests: stores on SQLite and PostgreSQL, a small organisation."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
from sqlalchemy import create_engine, text

from generator.database import sqlite_url
from generator.feedback.storage import Store, open_store
from generator.model.organisation import (
    Commitment,
    Expectation,
    Organisation,
    Responsibility,
    Role,
    Target,
    Team,
)
from generator.model.settings import FeedbackSettings, Settings
from generator.project import Project

PG_ENV = "HANDBOOK_TEST_DATABASE_URL"
KEYS = frozenset({"benefits-specialist/benefit-documents", "payroll-clerk/payslips"})
TEAMS = {"people": "People & Culture", "finance": "Finance"}
PRIORITIES = ("speed", "quality", "communication")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "browser: drives headless Chromium")


@pytest.fixture
def sqlite_store(tmp_path: Path) -> Iterator[Store]:
    store = open_store(sqlite_url(tmp_path / "feedback.db"))
    yield store
    store.close()


def postgres_url() -> str:
    """The test database URL; skip without one, but fail on CI where it must be set."""
    url = os.environ.get(PG_ENV)
    if not url:
        message = f"{PG_ENV} is not set (export it from `bash .ci/start-postgres`)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return url


@pytest.fixture
def postgres_store() -> Iterator[Store]:
    """A store in a fresh schema of the test database, dropped afterwards."""
    url = postgres_url()
    schema = f"test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(url)
    with admin.begin() as conn:
        conn.execute(text(f"CREATE SCHEMA {schema}"))
    separator = "&" if "?" in url else "?"
    store = open_store(f"{url}{separator}options={quote(f'-csearch_path={schema}')}")
    try:
        yield store
    finally:
        store.close()
        with admin.begin() as conn:
            conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def any_store(request: pytest.FixtureRequest) -> Store:
    name = "sqlite_store" if request.param == "sqlite" else "postgres_store"
    store: Store = request.getfixturevalue(name)
    return store


def make_role(role_id: str, team: str, commitments: tuple[str, ...]) -> Role:
    return Role(
        id=role_id,
        title=role_id.replace("-", " ").title(),
        team=team,
        summary="Does things.",
        source=f"roles/{role_id}.yaml",
        responsibilities=(Responsibility("work", "Work."),),
        expectations=(Expectation("quality", "Good work.", "higher", 4.0, measure="rating"),),
        commitments=tuple(
            Commitment(cid, f"Service {cid}", ("everyone",), "email", (Target("normal", "1d"),))
            for cid in commitments
        ),
    )


def make_project(root: Path, **feedback: object) -> Project:
    roles = {
        "benefits-specialist": make_role("benefits-specialist", "people", ("benefit-documents",)),
        "payroll-clerk": make_role("payroll-clerk", "finance", ("payslips",)),
    }
    teams = {tid: Team(tid, name) for tid, name in TEAMS.items()}
    settings = Settings(feedback=FeedbackSettings(priorities=PRIORITIES, **feedback))  # type: ignore[arg-type]
    return Project(root=root, settings=settings, organisation=Organisation("Example", teams, roles))

"""Fixtures for the request tests: the example handbook, databases on SQLite and PostgreSQL."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
from request_helpers import ROOT
from sqlalchemy import create_engine, text

from generator.cli.commands import load_settings
from generator.project import Project, load_project
from generator.requests.store import RequestStore, open_store

PG_ENV = "HANDBOOK_TEST_DATABASE_URL"


@pytest.fixture(scope="session")
def project() -> Project:
    """The repository's example organisation, as `handbook` loads it."""
    loaded, diags = load_project(ROOT, load_settings(ROOT))
    assert not [d for d in diags if d.severity.name == "ERROR"]
    return loaded


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
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'feedback.db'}"


@pytest.fixture
def postgres_schema_url() -> Iterator[str]:
    """A URL whose connections use a fresh schema of the test database, dropped afterwards."""
    url = postgres_url()
    schema = f"test_{uuid.uuid4().hex[:12]}"
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


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest) -> str:
    """The same test on an SQLite file and on the PostgreSQL server."""
    name = "sqlite_url" if request.param == "sqlite" else "postgres_schema_url"
    url: str = request.getfixturevalue(name)
    return url


@pytest.fixture
def store(database_url: str) -> Iterator[RequestStore]:
    opened = open_store(database_url)
    yield opened
    opened.close()

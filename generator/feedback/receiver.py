"""The receiver for one handbook project: its keys, teams, priorities and database."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from starlette.applications import Starlette

from generator.feedback.app import create_app
from generator.feedback.storage import Store, sqlite_url
from generator.project import Project

DATABASE_FILE = "feedback.db"
DATABASE_ENV = "HANDBOOK_DATABASE_URL"


def default_database_url(root: Path) -> str:
    """``$HANDBOOK_DATABASE_URL`` if set (no password on command lines), else ``feedback.db``."""
    return os.environ.get(DATABASE_ENV) or sqlite_url(root / DATABASE_FILE)


def receiver_for_project(
    project: Project,
    store: Store,
    *,
    keys: Callable[[], frozenset[str]] | None = None,
    rate_limit: tuple[int, float] | None = (10, 60.0),
) -> Starlette:
    """The receiver app accepting answers for the project's commitments.

    ``keys`` replaces the project's fixed set of keys with a function asked on
    every post, so that a live-reloading server follows edits to ``roles/``.
    """
    feedback = project.settings.feedback
    organisation = project.organisation
    return create_app(
        store=store,
        valid_keys=keys or organisation.feedback_keys(),
        teams={team.id: team.name for team in organisation.teams.values()},
        priorities=feedback.priorities,
        origins=feedback.origins,
        rate_limit=rate_limit,
        language=project.settings.language,
    )

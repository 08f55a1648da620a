"""The receiver for one handbook project: its keys, teams, priorities, database and voices."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Mapping

from starlette.applications import Starlette

from generator.diagnostics.values import HandbookError
from generator.feedback.app import create_app
from generator.feedback.origins import allowed_origins
from generator.feedback.storage import Store
from generator.model.settings import FeedbackSettings
from generator.project import Project

HOUR = 3600.0


class ReceiverConfigError(HandbookError, ValueError):
    """The feedback settings can't make a working receiver (one line, for the user)."""


def receiver_for_project(
    project: Project,
    store: Store,
    *,
    keys: Callable[[], frozenset[str]] | None = None,
    rate_limit: tuple[int, float] | None = None,
    extra_origins: Iterable[str] = (),
    environ: Mapping[str, str] | None = None,
    group_commit: bool = True,
) -> Starlette:
    """The receiver app accepting answers for the project's commitments.

    ``keys`` replaces the project's fixed set of keys with a function asked on
    every post, so that a live-reloading server follows edits to ``roles/``.
    ``extra_origins`` adds origins to the configured ones (the address of a
    development server). Secrets are read from ``environ`` (the process
    environment by default). Raises :class:`ReceiverConfigError`.
    """
    feedback = project.settings.feedback
    organisation = project.organisation
    env = os.environ if environ is None else environ
    try:
        return create_app(
            store=store,
            valid_keys=keys or organisation.feedback_keys(),
            teams={team.id: team.name for team in organisation.teams.values()},
            priorities=feedback.priorities,
            origins=sorted(allowed_origins(feedback.site_url, [*feedback.origins, *extra_origins])),
            rate_limit=rate_limit or _per_hour(feedback.open_answers_per_hour),
            person_rate_limit=_per_hour(feedback.answers_per_person_per_hour),
            trusted_proxies=feedback.trusted_proxies,
            sso_header=feedback.sso_header,
            sso_secret=_sso_secret(feedback, env),
            invite_secret=invite_secret(feedback, env, required=False),
            open_answers=feedback.open_answers,
            period=feedback.period,
            group_commit=group_commit,
            language=project.settings.language,
        )
    except ValueError as exc:
        raise ReceiverConfigError(f"feedback settings: {exc}") from None


def invite_secret(
    feedback: FeedbackSettings, environ: Mapping[str, str], *, required: bool
) -> str | None:
    """The invitation secret from the environment; with ``required``, its absence is an error."""
    from generator.feedback.invitations import check_secret  # noqa: PLC0415

    secret = environ.get(feedback.invite_secret_env) or None
    if secret is None:
        if required:
            raise ReceiverConfigError(
                f"set ${feedback.invite_secret_env} to a long random secret to sign invitations"
            )
        return None
    try:
        check_secret(secret)
    except ValueError as exc:
        raise ReceiverConfigError(f"${feedback.invite_secret_env}: {exc}") from None
    return secret


def _sso_secret(feedback: FeedbackSettings, environ: Mapping[str, str]) -> str | None:
    if not feedback.sso_header:
        return None
    secret = environ.get(feedback.sso_secret_env) or ""
    if len(secret) < 16:
        raise ValueError(
            f"feedback.sso_header is set: ${feedback.sso_secret_env} must hold a secret of at "
            "least 16 characters"
        )
    if not feedback.trusted_proxies:
        raise ValueError(
            "feedback.sso_header needs feedback.trusted_proxies (the proxy setting it)"
        )
    return secret


def _per_hour(count: int) -> tuple[int, float] | None:
    """``count`` per hour; 0 turns the limit off."""
    if count < 0:
        raise ReceiverConfigError("feedback rate limits must be 0 (off) or more")
    return (count, HOUR) if count else None

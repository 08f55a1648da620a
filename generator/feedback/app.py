"""The feedback receiver: a small Starlette app that accepts anonymous answers.

``POST /api/feedback`` takes a plain HTML form post (answered with a short
thank-you page) or JSON from ``feedback.js`` (answered with JSON). Every client
fault is a 4xx with a readable message and stores nothing; a database outage
is a 503. A filled-in honeypot field is refused with a 400. There is no
endpoint that reads feedback back. Messages are in the handbook's language;
the JSON ``status`` and ``field`` stay the same in every language.

An answer is *verified* when it carries a valid invitation token or comes from
a person a trusted proxy signed in (see :mod:`.voices`); otherwise it is *open*.
"""

from __future__ import annotations

import asyncio
import functools
import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin

import anyio
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Route

from generator.database import describe
from generator.feedback.body import Kind, body_kind, parse_fields, read_body
from generator.feedback.clients import TrustedProxies
from generator.feedback.headers import HTML_CSP, SECURITY_HEADERS, SecurityHeaders
from generator.feedback.openapi import openapi_document
from generator.feedback.origins import normalise_origins, origin_allowed, request_origin
from generator.feedback.pages import error_page, thank_you_page
from generator.feedback.periods import check_period
from generator.feedback.ratelimit import Limiter, RateLimiter, retry_after
from generator.feedback.storage import AlreadyAnswered, Store, Submission
from generator.feedback.submission import InvalidSubmission, Rules, safe_return_path, validate
from generator.feedback.voices import Voice, Voices
from generator.i18n import mark, translate

log = logging.getLogger(__name__)

KeySource = frozenset[str] | Callable[[], frozenset[str]]
RateLimit = tuple[int, float]

# Starlette's own refusals (unknown path, wrong method), translated like the receiver's.
_HTTP_DETAILS = (mark("not found"), mark("method not allowed"))
_HEALTH_THREADS = 2


@dataclass(frozen=True, slots=True)
class Receiver:
    """Everything the request handlers need."""

    store: Store
    keys: KeySource
    teams: Mapping[str, str]
    priorities: tuple[str, ...]
    origins: frozenset[str]
    max_body: int
    voices: Voices
    limiters: Mapping[str, Limiter]
    """Per kind of answer (``open``, ``sso``), the limiter of its rate bucket."""
    shared_limits: bool
    group_commit: bool
    site_url_for_return: str | None
    health_threads: anyio.CapacityLimiter
    language: str = "en"

    def rules(self) -> Rules:
        """The validation rules, with the current set of valid keys."""
        keys = self.keys() if callable(self.keys) else self.keys
        return Rules(keys=keys, teams=self.teams, priorities=self.priorities)

    def back_link(self, request: Request, return_to: object) -> str:
        """Where the "back" link of an HTML answer points.

        A same-site path, joined to the posting page's origin when that origin is
        an allowed one, or to ``site_url_for_return`` when that is set.
        """
        path = safe_return_path(return_to)
        if self.site_url_for_return:
            return urljoin(self.site_url_for_return, path)
        origin = request_origin(request.headers)
        if origin in self.origins:
            return urljoin(origin, path)
        return path


def create_app(
    *,
    store: Store,
    valid_keys: KeySource,
    teams: Mapping[str, str],
    priorities: Sequence[str],
    origins: Sequence[str] = (),
    max_body: int = 8192,
    rate_limit: RateLimit | None = (6, 3600.0),
    person_rate_limit: RateLimit | None = (60, 3600.0),
    shared_rate_limit: bool | None = None,
    trusted_proxies: Sequence[str] = (),
    sso_header: str | None = None,
    sso_secret: str | bytes | None = None,
    invite_secret: str | bytes | None = None,
    open_answers: bool = True,
    period: str = "quarter",
    group_commit: bool = True,
    site_url_for_return: str | None = None,
    language: str = "en",
) -> Starlette:
    """The receiver app.

    ``origins`` are the only origins whose pages may post (besides requests
    without an origin). ``rate_limit`` bounds open answers per client address,
    ``person_rate_limit`` signed-on answers per person; both are kept in the
    database when ``shared_rate_limit`` (by default: with PostgreSQL), else in
    this process. ``valid_keys`` may be a function, asked on every post (for live
    reload). With ``group_commit`` concurrent posts share one transaction.
    """
    shared = store.dialect == "postgresql" if shared_rate_limit is None else shared_rate_limit
    receiver = Receiver(
        store=store,
        keys=valid_keys,
        teams=dict(teams),
        priorities=tuple(priorities),
        origins=normalise_origins(origins),
        max_body=max_body,
        voices=Voices(
            proxies=TrustedProxies.parse(trusted_proxies),
            sso_header=sso_header,
            sso_secret=_secret(sso_secret),
            invite_secret=_secret(invite_secret),
            open_answers=open_answers,
            period=check_period(period),
        ),
        limiters=_limiters(store, shared, open=rate_limit, person=person_rate_limit),
        shared_limits=shared,
        group_commit=group_commit,
        site_url_for_return=site_url_for_return,
        health_threads=anyio.CapacityLimiter(_HEALTH_THREADS),
        language=language,
    )
    document = openapi_document(
        priorities=receiver.priorities, teams=receiver.teams, max_body=max_body
    )

    async def post_feedback(request: Request) -> Response:
        return await _post_feedback(receiver, request)

    async def health(_request: Request) -> Response:
        return await _health(receiver)

    async def openapi(_request: Request) -> Response:
        return JSONResponse(document)

    routes = [
        Route("/api/feedback", post_feedback, methods=["POST"]),
        Route("/api/health", health, methods=["GET"]),
        Route("/api/openapi.json", openapi, methods=["GET"]),
    ]
    cors = Middleware(
        CORSMiddleware,
        allow_origins=sorted(receiver.origins),
        allow_methods=["POST"],
        allow_headers=["Content-Type"],
        max_age=600,
    )
    app = Starlette(
        routes=routes,
        middleware=[Middleware(SecurityHeaders), cors],
        exception_handlers={
            HTTPException: functools.partial(_http_error, receiver.language),
            Exception: functools.partial(_unexpected_error, receiver.language),
        },
    )
    app.router.redirect_slashes = False  # a redirect would have to name a host
    return app


def _secret(value: str | bytes | None) -> bytes | None:
    if value is None or value == "":
        return None
    return value.encode() if isinstance(value, str) else value


def _limiters(
    store: Store, shared: bool, *, open: RateLimit | None, person: RateLimit | None
) -> dict[str, Limiter]:
    limiters: dict[str, Limiter] = {}
    for kind, limit in (("open", open), ("sso", person)):
        if limit is None:
            continue
        if shared:
            from generator.feedback.shared_limit import DatabaseLimiter  # noqa: PLC0415 - only with a shared DB

            limiters[kind] = DatabaseLimiter(store, *limit, scope=kind)
        else:
            limiters[kind] = RateLimiter(*limit)
    return limiters


async def _post_feedback(receiver: Receiver, request: Request) -> Response:
    kind = _reply_kind(request)
    fields: Mapping[str, object] = {}
    try:
        if not origin_allowed(request.headers, receiver.origins):
            raise InvalidSubmission("this page may not send feedback here", status=403)
        body = await read_body(request, receiver.max_body)
        fields = parse_fields(body_kind(request), body)
        submission = validate(fields, receiver.rules())
        voice = receiver.voices.of(request, fields, submission)
        await _check_rate(receiver, voice)
    except InvalidSubmission as exc:
        return _refusal(receiver, request, kind, exc, fields)
    except Exception:  # a client fault we did not foresee must not become a 500
        log.exception("unexpected error while reading a feedback post")
        unreadable = InvalidSubmission("the request could not be read", status=400)
        return _refusal(receiver, request, kind, unreadable, fields)
    return await _store(receiver, request, kind, voice.submission, fields)


async def _store(
    receiver: Receiver,
    request: Request,
    kind: Kind,
    submission: Submission,
    fields: Mapping[str, object],
) -> Response:
    try:
        if receiver.group_commit:
            row_id = await asyncio.wrap_future(receiver.store.writer().submit(submission))
        else:
            row_id = await run_in_threadpool(receiver.store.add, submission)
    except AlreadyAnswered:
        used = InvalidSubmission("this invitation has already been used", status=409)
        return _refusal(receiver, request, kind, used, fields)
    except Exception as exc:
        log.error("feedback not stored: %s", describe(exc))
        outage = InvalidSubmission(
            "feedback can't be stored right now; please try again later", status=503
        )
        return _refusal(receiver, request, kind, outage, fields)
    if kind == "form":
        page = thank_you_page(
            receiver.back_link(request, fields.get("return_to")), receiver.language
        )
        return HTMLResponse(page, status_code=200, headers=_html_headers())
    return JSONResponse({"status": "ok", "id": row_id}, status_code=201, headers=SECURITY_HEADERS)


async def _health(receiver: Receiver) -> Response:
    """Up, or 503 when the database is unreachable or refuses writes; never queues."""
    if receiver.group_commit:
        writer = receiver.store.writer()
        state = await anyio.to_thread.run_sync(writer.health, limiter=receiver.health_threads)
        if not state.ok:
            log.error("feedback database cannot write: %s", state.reason)
            message = translate(receiver.language, "the feedback database cannot write answers")
            return _json_error(503, message)
        return JSONResponse({"status": "ok"}, headers=SECURITY_HEADERS)
    try:
        await anyio.to_thread.run_sync(receiver.store.ping, limiter=receiver.health_threads)
    except Exception as exc:
        log.error("feedback database unavailable: %s", describe(exc))
        return _json_error(
            503, translate(receiver.language, "the feedback database is unavailable")
        )
    return JSONResponse({"status": "ok"}, headers=SECURITY_HEADERS)


async def _check_rate(receiver: Receiver, voice: Voice) -> None:
    limiter = receiver.limiters.get(voice.submission.verification)
    if limiter is None or voice.rate_bucket is None:
        return
    if receiver.shared_limits:
        wait = await run_in_threadpool(limiter.hit, voice.rate_bucket)
    else:
        wait = limiter.hit(voice.rate_bucket)
    if wait:
        seconds = retry_after(wait)
        raise InvalidSubmission(
            "too many answers; try again in %(seconds)s seconds",
            status=429,
            headers={"Retry-After": seconds},
            values={"seconds": seconds},
        )


def _reply_kind(request: Request) -> Kind:
    media_type = request.headers.get("content-type", "").split(";", 1)[0].strip().lower()
    return "form" if media_type == "application/x-www-form-urlencoded" else "json"


def _refusal(
    receiver: Receiver,
    request: Request,
    kind: Kind,
    exc: InvalidSubmission,
    fields: Mapping[str, object],
) -> Response:
    if kind == "form":
        page = error_page(
            exc.text(receiver.language),
            receiver.back_link(request, fields.get("return_to")),
            receiver.language,
        )
        return HTMLResponse(
            page, status_code=exc.status, headers={**_html_headers(), **exc.headers}
        )
    message = exc.text(receiver.language)
    return _json_error(exc.status, message, field=exc.field, headers=exc.headers)


def _json_error(
    status: int, message: str, *, field: str | None = None, headers: Mapping[str, str] | None = None
) -> JSONResponse:
    content: dict[str, Any] = {"status": "error", "message": message}
    if field is not None:
        content["field"] = field
    return JSONResponse(
        content, status_code=status, headers={**SECURITY_HEADERS, **(headers or {})}
    )


def _html_headers() -> dict[str, str]:
    return {**SECURITY_HEADERS, "Content-Security-Policy": HTML_CSP}


async def _http_error(language: str, _request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    headers = dict(exc.headers or {})
    detail = str(exc.detail).lower()
    message = translate(language, detail) if detail in _HTTP_DETAILS else detail
    return _json_error(exc.status_code, message, headers=headers)


async def _unexpected_error(language: str, _request: Request, exc: Exception) -> Response:
    log.error("unexpected receiver error: %s", describe(exc))
    message = translate(language, "the feedback service is temporarily unavailable")
    return _json_error(503, message)

"""The feedback receiver: a small Starlette app that accepts anonymous answers.

``POST /api/feedback`` takes a plain HTML form post (answered with a short
thank-you page) or JSON from ``feedback.js`` (answered with JSON). Every client
fault is a 4xx with a readable message and stores nothing; a database outage
is a 503. A filled-in honeypot field is refused with a 400. There is no
endpoint that reads feedback back. Messages are in the handbook's language;
the JSON ``status`` and ``field`` stay the same in every language.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Route

from generator.feedback.body import Kind, body_kind, parse_fields, read_body
from generator.feedback.openapi import openapi_document
from generator.feedback.origins import normalise_origins, origin_allowed, request_origin, same_host
from generator.feedback.pages import error_page, thank_you_page
from generator.feedback.ratelimit import RateLimiter, retry_after
from generator.feedback.storage import Store, Submission
from generator.feedback.submission import InvalidSubmission, Rules, safe_return_path, validate
from generator.i18n import mark, translate

log = logging.getLogger(__name__)

KeySource = frozenset[str] | Callable[[], frozenset[str]]

_SECURITY_HEADERS = {
    "Cache-Control": "no-store",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}
_HTML_CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; form-action 'none'"
)
# Starlette's own refusals (unknown path, wrong method), translated like the receiver's.
_HTTP_DETAILS = (mark("not found"), mark("method not allowed"))


@dataclass(frozen=True, slots=True)
class Receiver:
    """Everything the request handlers need."""

    store: Store
    keys: KeySource
    teams: Mapping[str, str]
    priorities: tuple[str, ...]
    origins: frozenset[str]
    max_body: int
    limiter: RateLimiter | None
    site_url_for_return: str | None
    language: str = "en"

    def rules(self) -> Rules:
        """The validation rules, with the current set of valid keys."""
        keys = self.keys() if callable(self.keys) else self.keys
        return Rules(keys=keys, teams=self.teams, priorities=self.priorities)

    def back_link(self, request: Request, return_to: object) -> str:
        """Where the "back" link of an HTML answer points.

        A same-site path; on another allowed origin's page it is joined to that
        origin, unless ``site_url_for_return`` says where the site lives.
        """
        path = safe_return_path(return_to)
        if self.site_url_for_return:
            return urljoin(self.site_url_for_return, path)
        origin = request_origin(request.headers)
        if origin in self.origins and not same_host(origin, request.headers):
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
    rate_limit: tuple[int, float] | None = (10, 60.0),
    site_url_for_return: str | None = None,
    language: str = "en",
) -> Starlette:
    """The receiver app. ``valid_keys`` may be a function, asked on every post (for live reload)."""
    receiver = Receiver(
        store=store,
        keys=valid_keys,
        teams=dict(teams),
        priorities=tuple(priorities),
        origins=normalise_origins(origins),
        max_body=max_body,
        limiter=RateLimiter(*rate_limit) if rate_limit else None,
        site_url_for_return=site_url_for_return,
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
    return Starlette(
        routes=routes,
        middleware=[cors],
        exception_handlers={
            HTTPException: functools.partial(_http_error, receiver.language),
            Exception: functools.partial(_unexpected_error, receiver.language),
        },
    )


async def _post_feedback(receiver: Receiver, request: Request) -> Response:
    kind = _reply_kind(request)
    fields: Mapping[str, object] = {}
    try:
        _check_rate(receiver, request)
        if not origin_allowed(request.headers, receiver.origins):
            raise InvalidSubmission("this page may not send feedback here", status=403)
        body = await read_body(request, receiver.max_body)
        fields = parse_fields(body_kind(request), body)
        submission = validate(fields, receiver.rules())
    except InvalidSubmission as exc:
        return _refusal(receiver, request, kind, exc, fields)
    except Exception:  # a client fault we did not foresee must not become a 500
        log.exception("unexpected error while reading a feedback post")
        unreadable = InvalidSubmission("the request could not be read", status=400)
        return _refusal(receiver, request, kind, unreadable, fields)
    return await _store(receiver, request, kind, submission, fields)


async def _store(
    receiver: Receiver,
    request: Request,
    kind: Kind,
    submission: Submission,
    fields: Mapping[str, object],
) -> Response:
    try:
        row_id = await run_in_threadpool(receiver.store.add, submission)
    except Exception as exc:
        log.error("feedback not stored: %s: %s", exc.__class__.__name__, exc)
        outage = InvalidSubmission(
            "feedback can't be stored right now; please try again later", status=503
        )
        return _refusal(receiver, request, kind, outage, fields)
    if kind == "form":
        page = thank_you_page(
            receiver.back_link(request, fields.get("return_to")), receiver.language
        )
        return HTMLResponse(page, status_code=200, headers=_html_headers())
    return JSONResponse({"status": "ok", "id": row_id}, status_code=201, headers=_SECURITY_HEADERS)


async def _health(receiver: Receiver) -> Response:
    try:
        await run_in_threadpool(receiver.store.ping)
    except Exception as exc:
        log.error("feedback database unavailable: %s: %s", exc.__class__.__name__, exc)
        return _json_error(
            503, translate(receiver.language, "the feedback database is unavailable")
        )
    return JSONResponse({"status": "ok"}, headers=_SECURITY_HEADERS)


def _check_rate(receiver: Receiver, request: Request) -> None:
    if receiver.limiter is None:
        return
    client = request.client.host if request.client else "unknown"
    wait = receiver.limiter.hit(client)
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
        content, status_code=status, headers={**_SECURITY_HEADERS, **(headers or {})}
    )


def _html_headers() -> dict[str, str]:
    return {**_SECURITY_HEADERS, "Content-Security-Policy": _HTML_CSP}


async def _http_error(language: str, _request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    headers = dict(exc.headers or {})
    detail = str(exc.detail).lower()
    message = translate(language, detail) if detail in _HTTP_DETAILS else detail
    return _json_error(exc.status_code, message, headers=headers)


async def _unexpected_error(language: str, _request: Request, exc: Exception) -> Response:
    log.error("unexpected receiver error: %s: %s", exc.__class__.__name__, exc)
    message = translate(language, "the feedback service is temporarily unavailable")
    return _json_error(503, message)

"""Reading a request body safely: size cap while reading, known types, strict parsing."""

from __future__ import annotations

import json
from typing import Literal
from urllib.parse import parse_qsl

from starlette.requests import Request

from generator.feedback.submission import ALLOWED_FIELDS, InvalidSubmission

Kind = Literal["form", "json"]
MEDIA_TYPES: dict[str, Kind] = {
    "application/x-www-form-urlencoded": "form",
    "application/json": "json",
}


def body_kind(request: Request) -> Kind:
    """Which supported type the body has, or raise 415."""
    media_type = request.headers.get("content-type", "").split(";", 1)[0].strip().lower()
    kind = MEDIA_TYPES.get(media_type)
    if kind is None:
        raise InvalidSubmission(
            "send application/x-www-form-urlencoded or application/json", status=415
        )
    return kind


async def read_body(request: Request, limit: int) -> bytes:
    """The whole body, refusing (413) as soon as it exceeds ``limit`` bytes."""
    declared = request.headers.get("content-length")
    if declared is not None:
        if not declared.isdigit():
            raise InvalidSubmission("invalid Content-Length", status=400)
        if int(declared) > limit:
            raise _too_large(limit)
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise _too_large(limit)
        chunks.append(chunk)
    return b"".join(chunks)


def parse_fields(kind: Kind, body: bytes) -> dict[str, object]:
    """Decode a form or JSON body into field values; malformed input is a 400."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise InvalidSubmission("the body is not valid UTF-8", status=400) from None
    return _parse_form(text) if kind == "form" else _parse_json(text)


def _parse_form(text: str) -> dict[str, object]:
    try:
        pairs = parse_qsl(
            text,
            keep_blank_values=True,
            strict_parsing=bool(text),
            errors="strict",
            max_num_fields=2 * len(ALLOWED_FIELDS),
        )
    except (ValueError, UnicodeDecodeError):
        raise InvalidSubmission("the form data is malformed", status=400) from None
    fields: dict[str, object] = {}
    for name, value in pairs:
        if name in fields:
            raise InvalidSubmission(
                "field %(name)s was sent more than once",
                field=name[:40],
                values={"name": repr(name[:40])},
            )
        fields[name] = value
    return fields


def _parse_json(text: str) -> dict[str, object]:
    try:
        data = json.loads(text, object_pairs_hook=_no_duplicates, parse_constant=_no_constant)
    except (ValueError, RecursionError):
        raise InvalidSubmission("the JSON body is malformed", status=400) from None
    if not isinstance(data, dict):
        raise InvalidSubmission("the JSON body must be an object", status=400)
    return data


def _no_duplicates(pairs: list[tuple[str, object]]) -> dict[str, object]:
    result: dict[str, object] = {}
    for name, value in pairs:
        if name in result:
            raise ValueError(f"duplicate key {name!r}")
        result[name] = value
    return result


def _no_constant(name: str) -> object:
    raise ValueError(f"{name} is not JSON")


def _too_large(limit: int) -> InvalidSubmission:
    return InvalidSubmission(
        "the body is larger than %(limit)s bytes", status=413, values={"limit": limit}
    )

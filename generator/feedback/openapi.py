"""The OpenAPI description of the receiver's two endpoints."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import Any

from generator.feedback.storage import MAX_COMMENT


def openapi_document(
    *, priorities: Sequence[str], teams: Collection[str], max_body: int
) -> dict[str, Any]:
    """OpenAPI 3.1 for ``POST /api/feedback`` and ``GET /api/health``."""
    answer = _answer_schema(priorities, teams)
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Handbook feedback receiver",
            "version": "1",
            "description": (
                "Receives anonymous ratings of the services that roles promise to internal "
                f"customers. Bodies larger than {max_body} bytes are refused. The API has no "
                "read endpoint."
            ),
        },
        "paths": {
            "/api/feedback": {
                "post": {
                    "operationId": "postFeedback",
                    "summary": "Record one anonymous answer",
                    "requestBody": {
                        "required": True,
                        "content": {
                            "application/json": {"schema": answer},
                            "application/x-www-form-urlencoded": {"schema": _form_schema(answer)},
                        },
                    },
                    "responses": _post_responses(),
                }
            },
            "/api/health": {
                "get": {
                    "operationId": "health",
                    "summary": "Whether the receiver and its database are up",
                    "responses": {
                        "200": _json_response("Up", _status_schema("ok")),
                        "503": _json_response(
                            "The database is unavailable or cannot write", _error_schema()
                        ),
                    },
                }
            },
        },
    }


def _answer_schema(priorities: Sequence[str], teams: Collection[str]) -> dict[str, Any]:
    optional_choice = {"oneOf": [{"type": "null"}, {"type": "string"}]}
    return {
        "type": "object",
        "additionalProperties": False,
        "required": ["key", "rating"],
        "properties": {
            "key": {
                "type": "string",
                "description": "<role-id>/<commitment-id> of a commitment in the handbook",
                "pattern": "^[a-z0-9]+(-[a-z0-9]+)*/[a-z0-9]+(-[a-z0-9]+)*$",
            },
            "rating": {"type": "integer", "minimum": 1, "maximum": 5},
            "comment": {"type": ["string", "null"], "maxLength": MAX_COMMENT},
            "priority": {**optional_choice, "description": f"one of: {', '.join(priorities)}"},
            "team": {**optional_choice, "description": "a team id of the organisation"},
            "return_to": {"type": "string", "description": "page path to link back to (forms)"},
            "invite": {
                "type": "string",
                "maxLength": 512,
                "description": "one-time invitation token of this commitment (verified answer)",
            },
            "website": {"type": "string", "maxLength": 0, "description": "must stay empty"},
        },
    }


def _form_schema(answer: dict[str, Any]) -> dict[str, Any]:
    properties: dict[str, Any] = {name: {"type": "string"} for name in answer["properties"]}
    properties["rating"] = {"type": "string", "enum": ["1", "2", "3", "4", "5"]}
    return {**answer, "properties": properties}


def _post_responses() -> dict[str, Any]:
    error = _error_schema()
    html = {"text/html": {"schema": {"type": "string"}}}
    described = {
        "400": "Malformed body, or the honeypot field was filled in (nothing is stored)",
        "403": (
            "The page posting the answer is not an allowed origin, the invitation is not "
            "valid, or only verified answers are accepted"
        ),
        "409": "The invitation has already been used",
        "413": "The body is too large",
        "415": "Unsupported content type",
        "422": "A field is invalid, unknown or missing",
        "429": "Too many answers from this client; see Retry-After",
        "503": "The database is unavailable; try again later",
    }
    responses: dict[str, Any] = {
        "200": {"description": "Recorded (form posts get a thank-you page)", "content": html},
        "201": _json_response("Recorded", {**_status_schema("ok"), "required": ["status", "id"]}),
    }
    for code, description in described.items():
        responses[code] = {
            "description": description,
            "content": {"application/json": {"schema": error}, **html},
        }
    return responses


def _status_schema(status: str) -> dict[str, Any]:
    return {
        "type": "object",
        "required": ["status"],
        "properties": {"status": {"const": status}, "id": {"type": "integer"}},
    }


def _error_schema() -> dict[str, Any]:
    return {
        "type": "object",
        "required": ["status", "message"],
        "properties": {
            "status": {"const": "error"},
            "message": {"type": "string"},
            "field": {"type": ["string", "null"]},
        },
    }


def _json_response(description: str, schema: dict[str, Any]) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}

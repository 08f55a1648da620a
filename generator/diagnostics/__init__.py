"""The one diagnostic vocabulary: locations, diagnostics, their codes and reporters."""

from __future__ import annotations

from generator.diagnostics.values import (
    Catalog,
    Diagnostic,
    HandbookError,
    Location,
    Msg,
    Severity,
    Text,
    format_github,
    format_json,
    format_text,
    json_path,
    msg,
    msg_plural,
    sort_key,
    worst,
)

__all__ = [
    "Catalog",
    "Diagnostic",
    "HandbookError",
    "Location",
    "Msg",
    "Severity",
    "Text",
    "format_github",
    "format_json",
    "format_text",
    "json_path",
    "msg",
    "msg_plural",
    "sort_key",
    "worst",
]

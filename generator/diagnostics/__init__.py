"""The one diagnostic vocabulary: locations, diagnostics, their codes and reporters."""

from __future__ import annotations

from generator.diagnostics.values import (
    Diagnostic,
    HandbookError,
    Location,
    Severity,
    format_github,
    format_json,
    format_text,
    json_path,
    sort_key,
    worst,
)

__all__ = [
    "Diagnostic",
    "HandbookError",
    "Location",
    "Severity",
    "format_github",
    "format_json",
    "format_text",
    "json_path",
    "sort_key",
    "worst",
]

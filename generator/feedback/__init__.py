"""Feedback from internal customers: the receiver, its storage, the report and exports.

Names are imported on first use. Reading a report is not here but in
:mod:`generator.measure.feedback_report`, which needs neither the web framework nor a
database driver.
"""

from __future__ import annotations

import importlib
from typing import Any

_EXPORTS = {
    "default_database_url": "generator.database",
    "sqlite_url": "generator.database",
    "create_app": "generator.feedback.app",
    "receiver_for_project": "generator.feedback.receiver",
    "open_store": "generator.feedback.storage",
    "Store": "generator.feedback.storage",
    "StoreError": "generator.feedback.storage",
    "Submission": "generator.feedback.storage",
    "FeedbackRow": "generator.feedback.storage",
    "build_report": "generator.feedback.report",
    "write_report": "generator.feedback.report",
    "export_csv": "generator.feedback.export",
}

__all__ = [
    "FeedbackRow",
    "Store",
    "StoreError",
    "Submission",
    "build_report",
    "create_app",
    "default_database_url",
    "export_csv",
    "open_store",
    "receiver_for_project",
    "sqlite_url",
    "write_report",
]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)

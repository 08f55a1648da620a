"""Role expectations handbook: roles written as YAML, validated and published with MkDocs.

The public API is the single entry point that loads and checks a handbook, the values it
returns, and the pure renderer that turns an organisation into pages. Names are imported
on first use, so a command pays only for the stages it runs.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from generator.diagnostics.values import Diagnostic, HandbookError, Location, Severity
    from generator.load.strict_yaml import Document, load_yaml, parse_yaml
    from generator.model.organisation import (
        Commitment,
        Expectation,
        Organisation,
        Responsibility,
        Reward,
        Role,
        Team,
    )
    from generator.model.settings import FeedbackSettings, Settings
    from generator.project import Project, load_project
    from generator.render.pages import Site, render_site
    from generator.version import __version__

_EXPORTS = {
    "Diagnostic": "generator.diagnostics.values",
    "HandbookError": "generator.diagnostics.values",
    "Location": "generator.diagnostics.values",
    "Severity": "generator.diagnostics.values",
    "Document": "generator.load.strict_yaml",
    "load_yaml": "generator.load.strict_yaml",
    "parse_yaml": "generator.load.strict_yaml",
    "Commitment": "generator.model.organisation",
    "Expectation": "generator.model.organisation",
    "Organisation": "generator.model.organisation",
    "Responsibility": "generator.model.organisation",
    "Reward": "generator.model.organisation",
    "Role": "generator.model.organisation",
    "Team": "generator.model.organisation",
    "FeedbackSettings": "generator.model.settings",
    "Settings": "generator.model.settings",
    "Project": "generator.project",
    "load_project": "generator.project",
    "Site": "generator.render.pages",
    "render_site": "generator.render.pages",
    "__version__": "generator.version",  # read from the package metadata on first use
}

__all__ = [
    "Commitment",
    "Diagnostic",
    "Document",
    "Expectation",
    "FeedbackSettings",
    "HandbookError",
    "Location",
    "Organisation",
    "Project",
    "Responsibility",
    "Reward",
    "Role",
    "Settings",
    "Severity",
    "Site",
    "Team",
    "__version__",
    "load_project",
    "load_yaml",
    "parse_yaml",
    "render_site",
]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)

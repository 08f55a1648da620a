"""Role expectations handbook: roles written as YAML, validated and published with MkDocs.

The public API is the single entry point that loads and checks a handbook, the values it
returns, and the pure renderer that turns an organisation into pages.
"""

from __future__ import annotations

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
    "load_project",
    "load_yaml",
    "parse_yaml",
    "render_site",
]

"""Role expectations handbook: roles written as YAML, validated and published with MkDocs.

The public API is the single entry point that loads and checks a handbook, the values it
returns, and the pure renderer that turns an organisation into pages.
"""

from __future__ import annotations

from .errors import Diagnostic, HandbookError, Location, Severity
from .loader import Document, load_yaml, parse_yaml
from .model import Commitment, Expectation, Organisation, Responsibility, Reward, Role, Team
from .project import Project, load_project
from .render import Site, render_site
from .settings import FeedbackSettings, Settings
from .version import __version__

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

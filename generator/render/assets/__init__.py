"""Stylesheets and scripts the handbook adds to every site, and its search worker."""

from __future__ import annotations

from importlib import resources

ASSETS = (
    "assets/handbook/handbook.css",
    "assets/handbook/feedback.css",
    "assets/handbook/leaders.css",
    "assets/handbook/handbook.js",
    "assets/handbook/feedback.js",
)
"""Linked from every page."""

SEARCH_WORKER = "assets/handbook/search-worker.js"
"""Started by the theme's search in place of its own worker; linked from no page."""


def asset_text(site_path: str) -> str:
    """The text of a bundled asset, by its path on the site."""
    name = site_path.rsplit("/", 1)[-1]
    return resources.files(__package__).joinpath(name).read_text(encoding="utf-8")

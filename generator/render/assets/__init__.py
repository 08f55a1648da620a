"""Stylesheets and scripts the handbook adds to every site."""

from __future__ import annotations

from importlib import resources

ASSETS = (
    "assets/handbook/handbook.css",
    "assets/handbook/feedback.css",
    "assets/handbook/leaders.css",
    "assets/handbook/handbook.js",
    "assets/handbook/feedback.js",
)


def asset_text(site_path: str) -> str:
    """The text of a bundled asset, by its path on the site."""
    name = site_path.rsplit("/", 1)[-1]
    return resources.files(__package__).joinpath(name).read_text(encoding="utf-8")

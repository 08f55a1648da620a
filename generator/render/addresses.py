"""Where each generated page lives and how pages link to one another."""

from __future__ import annotations

import posixpath
from dataclasses import dataclass

TEAMS_INDEX = "teams/index.md"
DIRECTORY = "directory.md"
EVERYONE = "everyone.md"
SERVES_INDEX = "who-serves-me/index.md"
MAP = "map.md"
SCORECARD = "scorecard.md"
REWARDS = "rewards.md"
FORMAT_REFERENCE = "reference/role-format.md"
RULES = "reference/rules.md"
WORKLOAD = "workload.md"
PRIORITIES = "priorities.md"
SCHEMA_DIR = "schema"


def role_page(role_id: str) -> str:
    """Source path of a role's page."""
    return f"roles/{role_id}.md"


def team_page(team_id: str) -> str:
    """Source path of a team's page (an index page, so the nav section links to it)."""
    return f"teams/{team_id}/index.md"


def serves_page(team_id: str) -> str:
    """Source path of a team's "Who serves me" page."""
    return f"who-serves-me/{team_id}.md"


def directory_page(department_id: str) -> str:
    """Source path of one department's part of "Who do I ask for…?" (large organisations)."""
    return f"directory/{department_id}.md"


def everyone_page(department_id: str) -> str:
    """Source path of one department's services for everyone (large organisations)."""
    return f"everyone/{department_id}.md"


def workload_page(department_id: str) -> str:
    """Source path of one department's workload (large organisations)."""
    return f"workload/{department_id}.md"


@dataclass(frozen=True, slots=True)
class Urls:
    """Relative links between generated pages, in MkDocs' URL style."""

    directory_urls: bool = True

    def url(self, src: str) -> str:
        """The site URL of a page source path (``roles/x.md`` → ``roles/x/``)."""
        stem = src.removesuffix(".md")
        if stem == "index" or stem.endswith("/index"):
            folder = stem.removesuffix("index")
            return folder if self.directory_urls else f"{folder}index.html"
        return f"{stem}/" if self.directory_urls else f"{stem}.html"

    def folder(self, src: str) -> str:
        """The folder of a page's URL, from the site's root (``/roles/x/``): links start there."""
        here = "/" + self.url(src)
        return here if here.endswith("/") else posixpath.dirname(here) + "/"

    def link(self, from_src: str, to_src: str, anchor: str = "") -> str:
        """A relative URL from one page to another (and an optional anchor)."""
        target = "/" + self.url(to_src)
        relative = _relative(target, self.folder(from_src))
        if relative == ".":
            relative = "./"
        elif target.endswith("/"):
            relative += "/"
        return relative + (f"#{anchor}" if anchor else "")


def _relative(target: str, folder: str) -> str:
    """``posixpath.relpath(target, folder)`` for the site's absolute paths (no ``.``/``..``)."""
    start = [part for part in folder.split("/") if part]
    path = [part for part in target.split("/") if part]
    common = 0
    for mine, theirs in zip(start, path, strict=False):
        if mine != theirs:
            break
        common += 1
    parts = [".."] * (len(start) - common) + path[common:]
    return "/".join(parts) if parts else "."


def edit_url(base: str | None, source: str) -> str | None:
    """Where a file is edited in the repository: ``base`` (``…/edit/main/``) and its path."""
    if not base:
        return None
    return base.rstrip("/") + "/" + source

"""Invitation links: the role page with the token in its query and its form as anchor.

``feedback.js`` moves the token from the address into the commitment's form (and
out of the address bar) before the reader answers.
"""

from __future__ import annotations

from urllib.parse import quote

from generator.project import Project
from generator.render import addresses as paths

INVITE_PARAMETER = "invite"


def form_id(key: str) -> str:
    """The HTML id of the feedback form of ``<role-id>/<commitment-id>``."""
    role_id, _, commitment_id = key.partition("/")
    return f"hb-fb--{role_id}--{commitment_id}"


def invitation_link(project: Project, subject: str, token: str) -> str:
    """The link to send: absolute under ``site_url`` when configured, else from the site root."""
    key = subject.partition("#")[0]
    role_id = key.partition("/")[0]
    page = paths.Urls(directory_urls=True).url(paths.role_page(role_id))
    site = project.settings.feedback.site_url or project.settings.base_path
    base = site if site.endswith("/") else site + "/"
    return f"{base}{page}?{INVITE_PARAMETER}={quote(token, safe='')}#{form_id(key)}"

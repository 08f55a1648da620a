"""Search documents for the generated pages, made from the organisation rather than its pages.

A reader searches for a service, so the index holds what finds one: each commitment
(its service, its keywords, how to ask), each role (its title and summary) and each team
(its name), a few hundred bytes each whatever the page around them shows. Pages that
grow with the organisation (the directory, the scorecard) enter by title only, and the
per-team "Who serves me" pages not at all: they repeat the services under another name.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Iterator, Mapping
from typing import NotRequired, TypedDict

from generator.model.organisation import Commitment, Organisation, Role, Team
from generator.render import addresses, text

SERVICE_BOOST = 3.0
"""A service outranks a page that only mentions its words."""
ROLE_BOOST = 1.5
"""A role page outranks a hand-written page on the same words."""
NAVIGATION_BOOST = 0.5
"""Team pages and listings: found by name, after what they list."""

SUMMARY_CHARS = 300
"""At most this much of a role's summary is indexed and shown under its title."""

_TAG = re.compile(r"<[^>]+>")
_SPACE = re.compile(r"\s+")


class SearchDocument(TypedDict):
    """One entry of the search index, in the shape Material's search documents have.

    ``title`` and ``text`` are HTML (escaped text): the theme shows them as they are.
    """

    location: str
    title: str
    text: str
    boost: NotRequired[float]
    keywords: NotRequired[list[str]]


DocumentCache = dict[str, tuple[Role, Team | None, addresses.Urls, list[SearchDocument]]]
"""Each role's documents as made before, by role id, with the role, team and URLs they show."""


def search_documents(
    organisation: Organisation,
    urls: addresses.Urls,
    *,
    titles: Mapping[str, str],
    title_only: Iterable[str] = (),
    cache: DocumentCache | None = None,
) -> list[SearchDocument]:
    """Search documents for every role, its services and every team.

    ``title_only`` are generated pages (source paths) entered by their navigation title
    (``titles``) alone. A page's own document comes before its sections, as the theme
    expects. With ``cache`` (kept between calls), an unchanged role's documents are reused.
    """
    docs: list[SearchDocument] = []
    made: DocumentCache = {}
    for role in organisation.roles.values():
        team = organisation.teams.get(role.team)
        kept = cache.get(role.id) if cache is not None else None
        if kept is not None and kept[0] is role and kept[1] == team and kept[2] == urls:
            found = kept[3]
        else:
            found = list(role_documents(role, team, urls))
        made[role.id] = (role, team, urls, found)
        docs.extend(found)
    if cache is not None:
        cache.clear()
        cache.update(made)
    for team in organisation.teams.values():
        docs.append(team_document(team, urls))
    for src in title_only:
        if src in titles:
            docs.append(
                _doc(urls.url(src), html.escape(titles[src], quote=False), "", NAVIGATION_BOOST)
            )
    return docs


def role_documents(role: Role, team: Team | None, urls: addresses.Urls) -> Iterator[SearchDocument]:
    """The role page's document, then one per service it provides."""
    page = urls.url(addresses.role_page(role.id))
    summary = summary_text(role.summary)
    if team is not None:
        summary = f"{html.escape(team.name, quote=False)} · {summary}"
    yield _doc(page, html.escape(role.title, quote=False), summary, ROLE_BOOST)
    for commitment in role.commitments:
        yield service_document(commitment, page)


def service_document(commitment: Commitment, page: str) -> SearchDocument:
    """A service as a section of its role page: its name, keywords and how to ask."""
    doc = _doc(
        f"{page}#commitment-{commitment.id}",
        html.escape(commitment.service, quote=False),
        html.escape(commitment.request_via, quote=False),
        SERVICE_BOOST,
    )
    if commitment.keywords:
        doc["keywords"] = [html.escape(k, quote=False) for k in commitment.keywords]
    return doc


def team_document(team: Team, urls: addresses.Urls) -> SearchDocument:
    """A team page, by the team's name."""
    return _doc(
        urls.url(addresses.team_page(team.id)),
        html.escape(team.name, quote=False),
        "",
        NAVIGATION_BOOST,
    )


def summary_text(summary: str) -> str:
    """A role's Markdown summary as escaped text on one line, cut at a word near the limit."""
    flat = _SPACE.sub(" ", html.unescape(_TAG.sub(" ", str(text.rich(summary))))).strip()
    if len(flat) > SUMMARY_CHARS:
        flat = flat[:SUMMARY_CHARS].rsplit(" ", 1)[0] + " …"
    return html.escape(flat, quote=False)


def _doc(location: str, title: str, body: str, boost: float) -> SearchDocument:
    return {"location": location, "title": title, "text": body, "boost": boost}

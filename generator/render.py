"""Render the organisation into pages: Markdown documents with HTML blocks, from Jinja.

Rendering is pure: it reads no files and validates nothing. Every value an author
wrote reaches the page escaped (plain text) or sanitised (Markdown fields); templates
never evaluate author text.
"""

from __future__ import annotations

import functools
import html
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import jinja2
from markupsafe import Markup

from . import charts, durations, i18n, paths, text
from . import scores as scoring
from .history import RoleHistory
from .index import EVERYONE, OrgIndex, Service
from .model import Commitment, Expectation, Organisation, Reward, Role, Team
from .schema import schema_text
from .schema_doc import render_format_reference
from .scores import (
    STATUS_SYMBOLS,
    STATUS_WORDS,
    Score,
    Scores,
    Status,
    attention_key,
    commitment_status,
)
from .settings import Settings

NavItem = str | dict[str, Any]


@dataclass(frozen=True, slots=True)
class Site:
    """Everything the handbook adds to a site: pages, other files and navigation."""

    pages: Mapping[str, str]
    files: Mapping[str, str]
    nav: list[NavItem] = field(default_factory=list)


def _finalize(value: object) -> object:
    """Escape every expression output that is not already safe markup."""
    if isinstance(value, Markup) or value is None:
        return value if value is not None else ""
    return text.plain(value)


@functools.cache
def environment(language: str = i18n.SOURCE_LANGUAGE) -> jinja2.Environment:
    """The Jinja environment of one language: package templates, strict, everything escaped."""
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("generator", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        finalize=_finalize,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        extensions=["jinja2.ext.i18n"],
    )
    env.install_gettext_translations(i18n.translations(language), newstyle=True)  # type: ignore[attr-defined]
    env.filters["rich"] = text.rich
    env.filters["plain"] = text.plain
    env.filters["number"] = functools.partial(i18n.number, language=language)
    env.filters["long_date"] = functools.partial(i18n.long_date, language=language)
    env.filters["duration"] = functools.partial(durations.in_words, language=language)
    env.filters["priority"] = functools.partial(i18n.translate, language)
    return env


class PageContext:
    """Helpers the templates call: links, names and formatted values for one page."""

    def __init__(
        self,
        src: str,
        index: OrgIndex,
        settings: Settings,
        urls: paths.Urls,
        scores: Scores | None = None,
    ) -> None:
        self.src = src
        self.index = index
        self.org: Organisation = index.organisation
        self.settings = settings
        self.urls = urls
        self.scores = scores
        self.language = settings.language

    def _(self, message: str) -> str:
        return i18n.translate(self.language, message)

    def status(self, status: Status) -> Markup:
        """A status in words with a symbol, never colour alone."""
        return Markup(
            '<span class="hb-status hb-status--{}"><span aria-hidden="true">{}</span> {}</span>'
        ).format(status, STATUS_SYMBOLS[status], self._(STATUS_WORDS[status]))

    def _day(self, moment: str | None) -> str | None:
        """The date of an ISO timestamp in words, or None."""
        return i18n.long_date(moment[:10], self.language) if moment else None

    def period(self) -> str:
        """The reporting period of the scores, in words."""
        since = self._day(self.scores.since if self.scores else None)
        until = self._day(self.scores.until if self.scores else None)
        if since and until:
            return self._("%(since)s to %(until)s") % {"since": since, "until": until}
        if since:
            return self._("since %(since)s") % {"since": since}
        if until:
            return self._("until %(until)s") % {"until": until}
        return self._("all responses so far")

    def expectation_status(self, role: Role, expectation: Expectation) -> Status:
        """How a feedback-measured expectation stands this period."""
        return (
            scoring.expectation_status(role, expectation, self.scores) if self.scores else "unknown"
        )

    def reward_status(self, role: Role, reward: Reward) -> dict[str, Status]:
        """Per required expectation, whether the reward's level is reached."""
        return scoring.reward_status(role, reward, self.scores) if self.scores else {}

    def chart(self, score: Score) -> Markup:
        """A small bar chart of the 1–5 distribution as inline SVG, with a text equivalent."""
        counts = ", ".join(
            i18n.translate_plural(
                self.language, "%(num)s rated %(rating)s", "%(num)s rated %(rating)s", n
            )
            % {"num": n, "rating": rating}
            for rating, n in enumerate(score.distribution, start=1)
        )
        label = self._("Ratings: %(counts)s") % {"counts": counts}
        return charts.distribution(score.distribution, label)

    def link(self, target: str, anchor: str = "") -> str:
        """Relative URL from this page."""
        return self.urls.link(self.src, target, anchor)

    def role_link(self, role_id: str, anchor: str = "") -> Markup:
        """``<a>`` to a role page, titled by the role."""
        role = self.org.roles.get(role_id)
        if role is None:
            return text.plain(role_id)
        href = self.link(paths.role_page(role_id), anchor)
        return Markup('<a href="{}">{}</a>').format(href, text.plain(role.title))

    def team_link(self, team_id: str) -> Markup:
        """``<a>`` to a team page, named by the team."""
        team = self.org.teams.get(team_id)
        if team is None:
            return text.plain(team_id)
        return Markup('<a href="{}">{}</a>').format(
            self.link(paths.team_page(team_id)), text.plain(team.name)
        )

    def customer(self, customer: str) -> Markup:
        """A customer reference in words, linked."""
        kind, _, ident = customer.partition(":")
        if customer == EVERYONE:
            return Markup(self._("Everyone"))
        if kind == "team":
            if self.index.children.get(ident):
                words = self._("everyone in %(team)s and its sub-teams")
            else:
                words = self._("everyone in %(team)s")
            return Markup(words) % {"team": self.team_link(ident)}
        return self.role_link(ident)

    def customers(self, commitment: Commitment) -> Markup:
        """All customers of a commitment, comma-separated."""
        return Markup(", ").join(self.customer(c) for c in commitment.customers)

    def service_link(self, service: Service) -> Markup:
        """``<a>`` to a commitment's card on its role page."""
        href = self.link(paths.role_page(service.role.id), f"commitment-{service.commitment.id}")
        return Markup('<a href="{}">{}</a>').format(href, text.plain(service.commitment.service))

    def first_response(self, commitment: Commitment) -> str:
        """The response time at the first configured priority, in words."""
        target = commitment.targets[0]
        return durations.in_words(target.response, hours=commitment.hours, language=self.language)

    def level(self, expectation: Expectation, value: float | None) -> str:
        """``≤ 3`` / ``≥ 4.2`` for a target value in the ``better`` direction."""
        if value is None:
            return "—"
        sign = "≤" if expectation.better == "lower" else "≥"
        return f"{sign} {i18n.number(value, self.language)}"

    def measure(self, role: Role, expectation: Expectation) -> Markup:
        """What is measured, in words."""
        if expectation.source == "feedback":
            service = next(
                (c.service for c in role.commitments if c.id == expectation.commitment),
                expectation.commitment or "",
            )
            words = self._("mean rating (1–5) from internal customers of %(service)s")
            return Markup(words) % {"service": text.plain(service)}
        return text.plain(expectation.measure or "")

    def expectation_name(self, role: Role, expectation_id: str) -> Markup:
        """A short name for an expectation: its text as plain words."""
        found = next((e for e in role.expectations if e.id == expectation_id), None)
        return text.plain(found.text if found else expectation_id)

    def team_path(self, team_id: str) -> list[Team]:
        """Teams from the top to ``team_id``."""
        return self.index.breadcrumbs(team_id)


def _edit_url(settings: Settings, role: Role) -> str | None:
    if not settings.edit_url:
        return None
    return settings.edit_url.rstrip("/") + "/" + role.source


@dataclass(slots=True)
class RenderCache:
    """Pages rendered before, reused while what they show is unchanged.

    Kept between calls of :func:`render_site` (e.g. across ``mkdocs serve`` rebuilds).
    A role, team or "Who serves" page is a function of its own inputs (the role; the
    team with its roles, services and sub-teams; the services a team is served by) and
    of the organisation-wide context: every team, every role's id, title and team, the
    settings and the scores. When the context changes, everything is rendered again.
    """

    context: object = None
    pages: dict[str, tuple[object, str]] = field(default_factory=dict)

    def begin(self, context: object) -> None:
        """Start a render of the organisation whose context is ``context``."""
        if context != self.context:
            self.pages.clear()
            self.context = context


class Renderer:
    """Builds every page of the handbook from one organisation index."""

    def __init__(
        self,
        index: OrgIndex,
        settings: Settings,
        urls: paths.Urls,
        scores: Scores | None = None,
        *,
        cache: RenderCache | None = None,
        history: Mapping[str, RoleHistory] | None = None,
    ) -> None:
        self.index = index
        self.history = history or {}
        self.settings = settings
        self.urls = urls
        self.scores = scores
        self.teams = [(t.id, t.name) for _, t in index.walk()]
        self.cache = cache
        if cache is not None:
            org = index.organisation
            cache.begin(
                (
                    tuple(org.teams.values()),
                    tuple((r.id, r.title, r.team) for r in org.roles.values()),
                    settings,
                    urls,
                    scores,
                )
            )

    def _reuse(self, src: str, inputs: object, render: Callable[[], str]) -> str:
        """The cached page ``src`` when rendered from equal ``inputs``, else ``render()``."""
        if self.cache is None:
            return render()
        entry = self.cache.pages.get(src)
        if entry is not None and entry[0] == inputs:
            return entry[1]
        page = render()
        self.cache.pages[src] = (inputs, page)
        return page

    def _render(self, template: str, src: str, **values: Any) -> str:
        page = PageContext(src, self.index, self.settings, self.urls, self.scores)
        return (
            environment(self.settings.language)
            .get_template(template)
            .render(
                page=page,
                org=self.index.organisation,
                settings=self.settings,
                scores=self.scores,
                paths=paths,
                **values,
            )
        )

    def role(self, role: Role) -> str:
        """A role's page."""
        src = paths.role_page(role.id)
        history = self.history.get(role.id)
        return self._reuse(src, (role, history), lambda: self._role(role, src, history))

    def _role(self, role: Role, src: str, history: RoleHistory | None) -> str:
        forms = {c.id: self.feedback(role, c, src) for c in role.commitments}
        return self._render(
            "role.md.j2",
            src,
            role=role,
            forms=forms,
            edit_url=_edit_url(self.settings, role),
            history=history,
            team=self.index.organisation.teams.get(role.team),
        )

    def feedback(self, role: Role, commitment: Commitment, src: str) -> Markup:
        """The feedback form of a commitment, a fallback link, or nothing."""
        feedback = self.settings.feedback
        if feedback.endpoint:
            return Markup(
                environment(self.settings.language)
                .get_template("partials/feedback_form.html.j2")
                .render(
                    role_id=role.id,
                    commitment_id=commitment.id,
                    service=commitment.service,
                    endpoint=feedback.endpoint,
                    priorities=feedback.priorities,
                    teams=self.teams,
                    return_to=self.settings.base_path + self.urls.url(src),
                )
                .strip()
            )
        if feedback.fallback_url:
            return Markup(
                '<p class="hb-feedback-link"><a href="{}">Give feedback on {}</a></p>'
            ).format(feedback.fallback_url, text.plain(commitment.service))
        return Markup("")

    def team(self, team: Team) -> str:
        """A team's page."""
        roles = self.index.roles_by_team.get(team.id, [])
        services = self.index.services_by_team.get(team.id, [])
        subteams = self.index.children.get(team.id, [])
        return self._reuse(
            paths.team_page(team.id),
            (team, tuple(roles), tuple(services), tuple(subteams)),
            lambda: self._render(
                "team.md.j2",
                paths.team_page(team.id),
                team=team,
                roles=roles,
                services=services,
                subteams=subteams,
            ),
        )

    def teams_index(self) -> str:
        """The team tree."""
        return self._render("teams.md.j2", paths.TEAMS_INDEX, tree=list(self.index.walk()))

    def directory(self) -> str:
        """ "Who do I ask for…?": every service, grouped by team."""
        return self._render("directory.md.j2", paths.DIRECTORY, tree=list(self.index.walk()))

    def serves_index(self) -> str:
        """The list of "Who serves me" pages."""
        return self._render("serves-index.md.j2", paths.SERVES_INDEX, tree=list(self.index.walk()))

    def serves(self, team: Team) -> str:
        """The services a team and its people can ask for."""
        services = self.index.served.get(team.id, [])
        return self._reuse(
            paths.serves_page(team.id),
            (team, tuple(services)),
            lambda: self._render(
                "serves.md.j2", paths.serves_page(team.id), team=team, services=services
            ),
        )

    def scorecard(self, scores: Scores) -> str:
        """The whole organisation's feedback at a glance, services needing attention first."""
        rows = []
        for service in (s for team in self.index.services_by_team.values() for s in team):
            score = scores.get(service.role.id, service.commitment.id)
            status = commitment_status(service.role, service.commitment.id, scores)
            hidden = scores.is_hidden(service.role.id, service.commitment.id)
            rows.append((attention_key(status, score), service, score, status, hidden))
        rows.sort(key=lambda row: (row[0], row[1].key))
        return self._render("scorecard.md.j2", paths.SCORECARD, rows=[r[1:] for r in rows])

    def overview(self, src: str) -> str:
        """The organisation at a glance, as an HTML block for a hand-written page at ``src``."""
        organisation = self.index.organisation
        return self._render(
            "overview.md.j2",
            src,
            tree=list(self.index.walk()),
            services=sum(len(r.commitments) for r in organisation.roles.values()),
            external=sum(1 for t in organisation.teams.values() if t.kind == "external"),
        ).strip()

    def customer_map(self) -> str:
        """The internal-customer map: which teams serve which."""
        edges = sorted(self.index.edges.items())
        return self._render("map.md.j2", paths.MAP, edges=edges, label=text.mermaid_label)


def _nav_title(value: str) -> str:
    """A title for MkDocs' navigation, which themes print unescaped.

    Material also writes it through ``striptags`` (which unescapes) into ``<title>``, so
    angle brackets become look-alike quotes: no title can close an element.
    """
    text = " ".join(value.split()).replace("<", "‹").replace(">", "›")
    return html.escape(text, quote=False)


def build_nav(
    index: OrgIndex, *, scorecard: bool = False, language: str = i18n.SOURCE_LANGUAGE
) -> list[NavItem]:
    """Navigation of the generated pages: the team tree with its roles, then the views."""

    def team_section(team: Team) -> dict[str, Any]:
        items: list[NavItem] = [{_nav_title(team.name): paths.team_page(team.id)}]
        items += [
            {_nav_title(r.title): paths.role_page(r.id)}
            for r in index.roles_by_team.get(team.id, [])
        ]
        items += [team_section(child) for child in index.children.get(team.id, [])]
        return {_nav_title(team.name): items}

    teams: list[NavItem] = [paths.TEAMS_INDEX]
    teams += [team_section(t) for t in index.children.get(None, [])]
    serves: list[NavItem] = [paths.SERVES_INDEX]
    serves += [{_nav_title(t.name): paths.serves_page(t.id)} for _, t in index.walk()]

    def _(message: str) -> str:
        return _nav_title(i18n.translate(language, message))

    views: list[NavItem] = [
        {_("Teams"): teams},
        {_("Who do I ask for…?"): paths.DIRECTORY},
        {_("Who serves me"): serves},
        {_("Internal-customer map"): paths.MAP},
    ]
    if scorecard:
        views.append({_("Scorecard"): paths.SCORECARD})
    return [*views, {_("Reference"): [{_("Role format"): paths.FORMAT_REFERENCE}]}]


def render_site(
    organisation: Organisation,
    settings: Settings,
    *,
    directory_urls: bool = True,
    scores: Scores | None = None,
    cache: RenderCache | None = None,
    history: Mapping[str, RoleHistory] | None = None,
) -> Site:
    """Every generated page, file and the navigation for one organisation.

    With ``cache``, pages whose inputs are unchanged since the last call are reused.
    """
    index = OrgIndex.build(organisation)
    renderer = Renderer(
        index, settings, paths.Urls(directory_urls), scores, cache=cache, history=history
    )
    pages: dict[str, str] = {
        paths.TEAMS_INDEX: renderer.teams_index(),
        paths.DIRECTORY: renderer.directory(),
        paths.SERVES_INDEX: renderer.serves_index(),
        paths.MAP: renderer.customer_map(),
        paths.FORMAT_REFERENCE: render_format_reference(settings.language),
    }
    for team in organisation.teams.values():
        pages[paths.team_page(team.id)] = renderer.team(team)
        pages[paths.serves_page(team.id)] = renderer.serves(team)
    for role in organisation.roles.values():
        pages[paths.role_page(role.id)] = renderer.role(role)
    if scores is not None:
        pages[paths.SCORECARD] = renderer.scorecard(scores)
    files = {
        f"{paths.SCHEMA_DIR}/{name}.schema.json": schema_text(name) for name in ("role", "teams")
    }
    nav = build_nav(index, scorecard=scores is not None, language=settings.language)
    return Site(pages, files, nav)


OVERVIEW_MARKER = "<!-- handbook:overview -->"


def render_overview(
    organisation: Organisation, settings: Settings, src: str, *, directory_urls: bool = True
) -> str:
    """The organisation at a glance, for a hand-written page that holds ``OVERVIEW_MARKER``."""
    index = OrgIndex.build(organisation)
    return Renderer(index, settings, paths.Urls(directory_urls)).overview(src)

"""Render the organisation into pages: Markdown documents with HTML blocks, from Jinja.

Rendering is pure: it reads no files and validates nothing. Every value an author
wrote reaches the page escaped (plain text) or sanitised (Markdown fields); templates
never evaluate author text.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from markupsafe import Markup

from generator.diagnostics.codes import Code, all_codes
from generator.i18n import translate
from generator.measure import priorities as ranking
from generator.measure.levels import ServiceLevel
from generator.measure.scores import Scores, attention_key, commitment_status
from generator.measure.views import Measured
from generator.measure.workload import LoadCache, RoleLoad, Workload, assess, review_overdue
from generator.model.history import RoleHistory
from generator.model.index import OrgIndex, Service
from generator.model.matrix import ColumnCache, CustomerMatrix, commitment_columns
from generator.model.organisation import Commitment, Organisation, Role, Team
from generator.model.settings import Settings
from generator.render import addresses, text, workers
from generator.render.context import PageContext, SharedText
from generator.render.environment import environment
from generator.render.format_reference import Schema, render_format_reference
from generator.render.forms import FeedbackForms
from generator.render.leaders import Leaders
from generator.render.nav import NavItem, build_nav

OVERVIEW_MARKER = "<!-- handbook:overview -->"
"""Where a hand-written page shows the organisation at a glance."""

LISTING_LIMIT = 250
"""Services a listing shows on one page; above it, one page per department."""
MAP_TEAM_LIMIT = 60
"""Teams the internal-customer map draws one by one; above it, it draws departments."""
MAP_DRAWN = 30
"""The most departments the map draws; the rest are added up as "Other departments"."""
WORKLOAD_LIMIT = 300
"""Roles the workload page shows; above it, one page per department and the most at risk."""
WORKLOAD_TOP = 50
"""Roles most at risk the workload page of a large organisation shows."""


@dataclass(frozen=True, slots=True)
class Site:
    """The generated pages (Markdown by source path) and their navigation."""

    pages: Mapping[str, str]
    nav: list[NavItem] = field(default_factory=list)


@dataclass(slots=True)
class RenderCache:
    """Pages rendered before, reused while what they show is unchanged.

    Kept between calls of :func:`render_site` (e.g. across ``mkdocs serve`` rebuilds).
    A role, team or "Who serves" page is a function of its own inputs (the role; the
    team with its roles, services, sub-teams, workload and connections; the services a
    team is served by) and of the organisation-wide context: every team, every role's
    id, title and team, the settings, the scores, the build date and the rules. When the
    context changes, everything is rendered again.
    """

    context: object = None
    pages: dict[str, tuple[object, str]] = field(default_factory=dict)
    loads: LoadCache = field(default_factory=dict)
    """Every role's workload, kept while the settings and the date stay the same."""
    loads_context: object = None
    columns: ColumnCache = field(default_factory=dict)
    """Every role's commitments' columns in the map, kept while the context stays the same."""

    def begin(self, context: object) -> None:
        """Start a render of the organisation whose context is ``context``."""
        if context != self.context:
            self.pages.clear()
            self.columns.clear()
            self.context = context

    def loads_for(self, settings: Settings, today: dt.date | None) -> LoadCache:
        """The role loads assessed with ``settings`` on ``today``."""
        if (settings, today) != self.loads_context:
            self.loads.clear()
            self.loads_context = (settings, today)
        return self.loads


class Renderer:
    """Builds every page of the handbook from one organisation index."""

    def __init__(
        self,
        index: OrgIndex,
        settings: Settings,
        urls: addresses.Urls,
        scores: Scores | None = None,
        *,
        cache: RenderCache | None = None,
        history: Mapping[str, RoleHistory] | None = None,
        measured: Measured | None = None,
        today: dt.date | None = None,
        rules: Sequence[Code] = (),
    ) -> None:
        self.index = index
        self.history = history or {}
        self.settings = settings
        self.urls = urls
        self.scores = scores
        self.measured = measured
        self.today = today
        self.rules = tuple(rules)
        self.teams = _feedback_teams(index)
        self.cache = cache
        org = index.organisation
        if cache is not None:
            cache.begin(
                (
                    tuple(org.teams.values()),
                    tuple((r.id, r.title, r.team) for r in org.roles.values()),
                    settings,
                    urls,
                    scores,
                    measured,
                    today,
                    self.rules,
                )
            )
        loads = cache.loads_for(settings, today) if cache is not None else None
        self.workload: Workload = assess(org, settings, today, loads)
        by_team: dict[str, list[RoleLoad]] = {}
        for load in self.workload.roles:
            by_team.setdefault(load.role.team, []).append(load)
        self.loads_by_team = {team: tuple(found) for team, found in by_team.items()}
        self.counted = commitment_columns(org, cache.columns if cache is not None else None)
        self.grid = CustomerMatrix.build(index, counted=self.counted)
        self.everyone_by_team = tuple(index.everyone_by_team.items())
        self.shared = SharedText()

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
        page = PageContext(
            src,
            self.index,
            self.settings,
            self.urls,
            scores=self.scores,
            measured=self.measured,
            today=self.today,
            shared=self.shared,
        )
        values.setdefault("lead", Leaders(page, self.today))
        return (
            environment(self.settings.language)
            .get_template(template)
            .render(
                page=page,
                org=self.index.organisation,
                settings=self.settings,
                scores=self.scores,
                measured=page.measured,
                addresses=addresses,
                **values,
            )
        )

    def role(self, role: Role) -> str:
        """A role's page."""
        src = addresses.role_page(role.id)
        history = self.history.get(role.id)
        return self._reuse(src, (role, history), lambda: self._role(role, src, history))

    def _role(self, role: Role, src: str, history: RoleHistory | None) -> str:
        forms = {c.id: self.feedback(role, c, src) for c in role.commitments}
        return self._render(
            "role.md.j2",
            src,
            role=role,
            forms=forms,
            edit_url=addresses.edit_url(self.settings.edit_url, role.source),
            history=history,
            team=self.index.organisation.teams.get(role.team),
            overdue=review_overdue(role, self.today),
        )

    @functools.cached_property
    def forms(self) -> FeedbackForms:
        """The feedback form of every commitment, rendered from one template."""
        feedback = self.settings.feedback
        return FeedbackForms(
            self.settings.language, feedback.endpoint or "", feedback.priorities, self.teams
        )

    def feedback(self, role: Role, commitment: Commitment, src: str) -> Markup:
        """The feedback form of a commitment, a fallback link, or nothing."""
        feedback = self.settings.feedback
        if feedback.endpoint:
            return_to = self.settings.base_path + self.urls.url(src)
            return self.forms.form(role.id, commitment.id, commitment.service, return_to)
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
        loads = self.loads_by_team.get(team.id, ())
        connections = (self._serving_teams(team.id), self.grid.row(team.id))
        return self._reuse(
            addresses.team_page(team.id),
            (team, tuple(roles), tuple(services), tuple(subteams), loads, connections),
            lambda: self._render(
                "team.md.j2",
                addresses.team_page(team.id),
                team=team,
                roles=roles,
                services=services,
                subteams=subteams,
                loads=loads,
                grid=self.grid,
            ),
        )

    def _serving_teams(self, team_id: str) -> tuple[object, ...]:
        """What ``model.matrix.served_by`` counts the teams that serve ``team_id`` from."""
        served = self.index.served.get(team_id, ())
        return (self.everyone_by_team, tuple(s.role.team for s in served))

    def teams_index(self) -> str:
        """The team tree."""
        return self._render("teams.md.j2", addresses.TEAMS_INDEX, tree=list(self.index.walk()))

    def directory(self) -> dict[str, str]:
        """ "Who do I ask for…?": every service, grouped by team (and department when many)."""
        return self._listing(
            "directory.md.j2",
            addresses.DIRECTORY,
            addresses.directory_page,
            self.index.services_by_team,
        )

    def everyone(self) -> dict[str, str]:
        """The services for everyone, listed once for every team's "Who serves" page."""
        by_team: dict[str, list[Service]] = {}
        for service in self.index.for_everyone:
            by_team.setdefault(service.role.team, []).append(service)
        return self._listing("everyone.md.j2", addresses.EVERYONE, addresses.everyone_page, by_team)

    def _listing(
        self,
        template: str,
        top: str,
        page_of: Callable[[str], str],
        by_team: Mapping[str, list[Service]],
    ) -> dict[str, str]:
        """Services by team on one page, or a page per department when there are many."""
        groups = self.index.by_department(dict(by_team))
        if sum(len(found) for found in by_team.values()) <= LISTING_LIMIT:
            sections = [section for _, of_department in groups for section in of_department]
            return {top: self._section_page(template, top, sections, None)}
        listed = [
            (department, sum(len(found) for *_, found in of_department), page_of(department.id))
            for department, of_department in groups
        ]
        pages = {
            top: self._reuse(
                top,
                (template, tuple(listed)),
                lambda: self._render(
                    template, top, sections=None, departments=listed, department=None
                ),
            )
        }
        for department, of_department in groups:
            src = page_of(department.id)
            pages[src] = self._section_page(template, src, of_department, department)
        return pages

    def _section_page(
        self,
        template: str,
        src: str,
        sections: list[tuple[int, Team, list[Service]]],
        department: Team | None,
    ) -> str:
        """A page of services by team, reused while its services are unchanged."""
        inputs = (template, department, tuple((d, t, _shown(found)) for d, t, found in sections))
        return self._reuse(
            src,
            inputs,
            lambda: self._render(
                template, src, sections=sections, departments=None, department=department
            ),
        )

    def serves_index(self) -> str:
        """The list of "Who serves me" pages."""
        return self._render(
            "serves-index.md.j2", addresses.SERVES_INDEX, tree=list(self.index.walk())
        )

    def serves(self, team: Team) -> str:
        """The services a team and its people can ask for."""
        everyone = len(self.index.for_everyone)
        services = self.index.served.get(team.id, [])
        return self._reuse(
            addresses.serves_page(team.id),
            (team, _shown(services), everyone),
            lambda: self._render(
                "serves.md.j2",
                addresses.serves_page(team.id),
                team=team,
                services=services,
                everyone=everyone,
            ),
        )

    def scorecard(self) -> str:
        """Every service at a glance: its service level and its feedback, worst first."""
        services = [s for team in self.index.services_by_team.values() for s in team]
        rows = []
        if self.scores is not None:
            for service in services:
                role, ident = service.role, service.commitment.id
                score = self.scores.get(role.id, ident)
                status = commitment_status(role, ident, self.scores)
                hidden = self.scores.is_hidden(role.id, ident)
                rows.append((attention_key(status, score), service, score, status, hidden))
            rows.sort(key=lambda row: (row[0], row[1].key))
        levels = []
        if self.measured is not None:
            for service in services:
                level = self.measured.service(service.key)
                if level is not None:
                    levels.append((service, level))
            levels.sort(key=lambda item: (_in_time(item[1]), item[0].key))
        return self._render(
            "scorecard.md.j2", addresses.SCORECARD, rows=[r[1:] for r in rows], levels=levels
        )

    def rewards(self) -> str:
        """Every reward's outcome per period (leaders), or earned rewards per team (everyone)."""
        tree = list(self.index.walk())
        rows = {
            team.id: [(role, reward) for role in self.index.roles_by_team.get(team.id, [])
                      for reward in role.rewards]
            for _, team in tree
        }  # fmt: skip
        return self._render("rewards.md.j2", addresses.REWARDS, tree=tree, rows=rows)

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
        """The internal-customer map: which teams serve which, as a matrix and a table.

        Above ``MAP_TEAM_LIMIT`` teams, rows and columns are departments; each team's
        page still shows its own connections. Above ``MAP_DRAWN`` departments, the
        drawing holds the busiest and adds the rest up as one row and column, and the
        table keeps a row for every department. The map is reused while its counts are
        unchanged.
        """
        by_department = len(self.index.organisation.teams) > MAP_TEAM_LIMIT
        grid = (
            CustomerMatrix.build(self.index, departments=True, counted=self.counted)
            if by_department
            else self.grid
        )
        totals: dict[str, int] = {}
        for team_id, services in self.index.services_by_team.items():
            department = self.index.department(team_id) if by_department else None
            key = department.id if department is not None else team_id
            totals[key] = totals.get(key, 0) + len(services)
        drawn, table = grid, grid
        folded = by_department and len(grid.teams) > MAP_DRAWN
        if folded:
            drawn, table = grid.folded(MAP_DRAWN), grid.folded(MAP_DRAWN, rows=False)
        return self._reuse(
            addresses.MAP,
            (grid, tuple(totals.items()), by_department),
            lambda: self._render(
                "map.md.j2",
                addresses.MAP,
                grid=drawn,
                table=table,
                totals=totals,
                by_department=by_department,
                left_out=len(grid.teams) - MAP_DRAWN if folded else 0,
                map_drawn=MAP_DRAWN,
            ),
        )

    def workload_pages(self) -> dict[str, str]:
        """Every role's workload and signals, the most at risk first.

        Above ``WORKLOAD_LIMIT`` roles, the page shows the most at risk and every
        department's roles get a page of their own.
        """
        loads = self.workload.roles
        if len(loads) <= WORKLOAD_LIMIT:
            return {addresses.WORKLOAD: self._workload_page(loads, None)}
        by_department: dict[str, tuple[Team, list[RoleLoad]]] = {}
        for load in loads:
            department = self.index.department(load.role.team)
            if department is not None:
                by_department.setdefault(department.id, (department, []))[1].append(load)
        order = [team.id for _, team in self.index.walk()]
        groups = [by_department[t] for t in order if t in by_department]
        listed = [(d, found, addresses.workload_page(d.id)) for d, found in groups]
        pages = {addresses.WORKLOAD: self._workload_page(loads[:WORKLOAD_TOP], listed)}
        for department, found, src in listed:
            pages[src] = self._reuse(
                src,
                (department, tuple(found)),
                functools.partial(
                    self._render,
                    "workload-department.md.j2",
                    src,
                    department=department,
                    loads=found,
                ),
            )
        return pages

    def _workload_page(
        self,
        shown: tuple[RoleLoad, ...],
        departments: list[tuple[Team, list[RoleLoad], str]] | None,
    ) -> str:
        """The workload page, reused while the roles it lists and the flagged roles are unchanged.

        Besides the ``shown`` roles and the ``departments``' counts, the page shows only
        the roles with signals, and the number of roles.
        """
        counts = [
            (d.id, len(found), sum(1 for x in found if x.signals))
            for d, found, _ in departments or ()
        ]
        inputs = (shown, self.workload.flagged(), len(self.workload.roles), tuple(counts))

        def render() -> str:
            services = {s.key: s for team in self.index.services_by_team.values() for s in team}
            return self._render(
                "workload.md.j2",
                addresses.WORKLOAD,
                workload=self.workload,
                services=services,
                shown=shown,
                departments=departments,
            )

        return self._reuse(addresses.WORKLOAD, inputs, render)

    def rules_page(self) -> str:
        """Every diagnostic code and workload signal, each with its own anchor."""
        return self._render("rules.md.j2", addresses.RULES, rules=self.rules)

    def priorities_page(
        self, scores: Scores, by_customer: Mapping[str, ranking.Tally] | None = None
    ) -> str:
        """What internal customers said matters most, by provider team and overall.

        ``by_customer`` (customer team → answers summed over every commitment) adds a
        table by the team of the people who answered, under the same threshold rule.
        """
        organisation = self.index.organisation
        total = ranking.organisation_total(scores)
        order = [team.id for _, team in self.index.walk()]
        table = ranking.priorities_by_team(organisation, scores, order)
        customers = (
            ranking.publish(by_customer, total, scores.min_responses) if by_customer else None
        )
        seen = {name for _, tally in table.groups if tally for name in tally.counts}
        if table.total:
            seen |= set(table.total.counts)
        configured = list(self.settings.feedback.priorities)
        choices = configured + sorted(seen - set(configured))
        return self._render(
            "priorities.md.j2",
            addresses.PRIORITIES,
            table=table,
            by_customer=customers,
            choices=choices,
            top=lambda tally: ", ".join(
                name for name, n in tally.ranked(choices) if n == tally.ranked(choices)[0][1]
            ),
        )


def _shown(services: Iterable[Service]) -> tuple[tuple[str, str, str, Commitment], ...]:
    """What a listing shows of its services: the commitment and its role's id, title and team.

    Every role's id, title and team are part of the whole render's key, so a listing's key
    leaves out the rest of the role: editing a role's other parts renders no listing again.
    """
    return tuple([(s.role.id, s.role.title, s.role.team, s.commitment) for s in services])


def render_site(
    organisation: Organisation,
    settings: Settings,
    *,
    schemas: Mapping[str, Schema],
    directory_urls: bool = True,
    scores: Scores | None = None,
    cache: RenderCache | None = None,
    history: Mapping[str, RoleHistory] | None = None,
    measured: Measured | None = None,
    today: dt.date | None = None,
    rules: Sequence[Code] | None = None,
    jobs: int | None = 1,
) -> Site:
    """Every generated page and the navigation for one organisation.

    ``schemas`` (by name: ``role``, ``teams``) become the role format reference;
    ``scores`` and ``history`` are shown on the pages. ``today`` is the date review
    dates are judged against (None: none is overdue); ``rules`` are the codes the rules
    reference lists (None: every declared code). With ``cache``, pages whose inputs are
    unchanged since the last call are reused. ``jobs`` processes render the pages (None:
    one per usable CPU for a large organisation); the pages are the same whatever their number.
    """
    index = OrgIndex.build(organisation)
    renderer = Renderer(
        index,
        settings,
        addresses.Urls(directory_urls),
        scores,
        cache=cache,
        history=history,
        measured=measured,
        today=today,
        rules=tuple(all_codes()) if rules is None else rules,
    )
    tasks: list[Callable[[], dict[str, str]]] = [
        lambda: {addresses.TEAMS_INDEX: renderer.teams_index()},
        renderer.directory,
        renderer.everyone,
        lambda: {addresses.SERVES_INDEX: renderer.serves_index()},
        lambda: {addresses.MAP: renderer.customer_map()},
        lambda: {addresses.FORMAT_REFERENCE: render_format_reference(schemas, settings.language)},
        lambda: {addresses.RULES: renderer.rules_page()},
        renderer.workload_pages,
    ]
    for team in organisation.teams.values():
        tasks.append(functools.partial(_one, addresses.team_page(team.id), renderer.team, team))
        tasks.append(functools.partial(_one, addresses.serves_page(team.id), renderer.serves, team))
    for role in organisation.roles.values():
        tasks.append(functools.partial(_one, addresses.role_page(role.id), renderer.role, role))
    done = workers.fork_map(lambda i: tasks[i](), len(tasks), workers.processes(jobs, len(tasks)))
    directory, everyone, workload = done[1], done[2], done[7]
    pages: dict[str, str] = {src: page for found in done for src, page in found.items()}
    measured_periods = measured is not None and bool(measured.periods)
    scorecard = scores is not None or measured_periods
    if scorecard:
        pages[addresses.SCORECARD] = renderer.scorecard()
    rewards = measured_periods and any(r.rewards for r in organisation.roles.values())
    if rewards:
        pages[addresses.REWARDS] = renderer.rewards()
    if scores is not None:
        pages[addresses.PRIORITIES] = renderer.priorities_page(scores)
    nav = build_nav(
        index,
        directory=[src for src in directory if src != addresses.DIRECTORY],
        everyone=[src for src in everyone if src != addresses.EVERYONE],
        workload=[src for src in workload if src != addresses.WORKLOAD],
        scorecard=scorecard,
        rewards=rewards,
        priorities=scores is not None,
        language=settings.language,
    )
    return Site(pages, nav)


def _one(src: str, render: Callable[[Any], str], value: Any) -> dict[str, str]:
    """One page rendered from one value (a team, a role), by its source path."""
    return {src: render(value)}


def _feedback_teams(index: OrgIndex) -> list[tuple[str, str]]:
    """(id, name) of the teams a feedback form offers: the departments in a large organisation.

    Every form on a page lists them, so hundreds of teams would make every role page grow.
    """
    walked = [team for _, team in index.walk()]
    if len(walked) > MAP_TEAM_LIMIT:
        walked = [team for team in walked if index.department(team.id) is team]
    return [(team.id, team.name) for team in walked]


def _in_time(level: ServiceLevel) -> float:
    """How a service level sorts: the lowest share in time first, hidden ones last."""
    if level.hidden:
        return 101.0
    shares = [m.percent for m in (level.response, level.resolution) if m is not None]
    return min(shares, default=100.5)


def render_overview(
    organisation: Organisation, settings: Settings, src: str, *, directory_urls: bool = True
) -> str:
    """The organisation at a glance, for a hand-written page that holds ``OVERVIEW_MARKER``."""
    index = OrgIndex.build(organisation)
    return Renderer(index, settings, addresses.Urls(directory_urls)).overview(src)


def leaders_notice(language: str) -> str:
    """The notice at the top of every page of the leaders' edition."""
    words = translate(
        language,
        "Leaders' edition: it shows manual measurements and whether each role earned its "
        "rewards. Share it only behind your organisation's sign-in.",
    )
    return str(Markup('<div class="hb-edition" role="note"><p>{}</p></div>\n').format(words))

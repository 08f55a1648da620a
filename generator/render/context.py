"""What templates call: links, names and formatted values for one page."""

from __future__ import annotations

import datetime as dt

from markupsafe import Markup, escape

from generator import i18n
from generator.measure import scores as scoring
from generator.measure.scores import STATUS_SYMBOLS, STATUS_WORDS, Score, Scores, Status
from generator.measure.views import Measured
from generator.model import durations
from generator.model.calendar import describe
from generator.model.index import EVERYONE, OrgIndex, Service
from generator.model.organisation import Commitment, Expectation, Organisation, Reward, Role, Team
from generator.model.settings import Settings
from generator.render import addresses, charts, text
from generator.render.measured import MeasuredWords

NAME_LENGTH = 120
"""The most characters of an expectation's text that name it elsewhere."""
LISTED_CUSTOMERS = 5
"""How many customers of a service a page listing many services names."""


def short_name(words: str) -> str:
    """The first line of ``words``, cut at a word to at most :data:`NAME_LENGTH` characters."""
    line = words.strip().split("\n", 1)[0].strip()
    if len(line) <= NAME_LENGTH and "\n" not in words.strip():
        return line
    cut = line[: NAME_LENGTH - 1]
    if " " in cut[NAME_LENGTH // 2 :]:
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip() + "…"


def html_link(href: str, words: object) -> Markup:
    """``<a href>`` with ``words`` (both escaped unless already markup)."""
    return Markup(f'<a href="{escape(href)}">{escape(words)}</a>')


class SharedText:
    """Text that is the same on every page that shows it, worked out once per render.

    Keyed by the identity of values the render's organisation holds (alive while it runs)
    and, for text with links, by the folder the links start from.
    """

    def __init__(self) -> None:
        self.first_response: dict[int, Markup] = {}
        self.service_name: dict[int, Markup] = {}
        self.customers: dict[tuple[int, str], Markup] = {}


class PageContext:
    """Helpers the templates call: links, names and formatted values for one page."""

    def __init__(
        self,
        src: str,
        index: OrgIndex,
        settings: Settings,
        urls: addresses.Urls,
        *,
        scores: Scores | None = None,
        measured: Measured | None = None,
        today: dt.date | None = None,
        shared: SharedText | None = None,
    ) -> None:
        self.src = src
        self.folder = urls.folder(src)
        self.shared = shared or SharedText()
        self.index = index
        self.org: Organisation = index.organisation
        self.settings = settings
        self.urls = urls
        self.scores = scores
        self.language = settings.language
        self.today = today
        self.measured = (
            MeasuredWords(measured, self.language, self.status)
            if measured is not None and measured.periods
            else None
        )

    def priority_label(self, priority: str) -> str:
        """A priority's name in the page's language."""
        return self.settings.priority(priority).label_in(self.language)

    def priority_means(self, priority: str) -> str:
        """What a priority is for, in the page's language ('' when nobody said)."""
        return self.settings.priority(priority).means_in(self.language)

    def hours(self, role: Role, commitment: Commitment) -> str:
        """When a commitment's clock runs, in plain words: the team's business hours."""
        if commitment.hours == "always":
            return self._("Around the clock, every day")
        calendar = self.org.calendar_of(role.team, self.settings.calendar)
        return describe(calendar, self.language, since=self.today).sentence

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

    def page_link(self, target: str, words: str) -> Markup:
        """``<a>`` to another page, with ``words`` (escaped unless already markup)."""
        return html_link(self.link(target), words)

    def role_link(self, role_id: str, anchor: str = "") -> Markup:
        """``<a>`` to a role page, titled by the role."""
        role = self.org.roles.get(role_id)
        if role is None:
            return text.plain(role_id)
        href = self.link(addresses.role_page(role_id), anchor)
        return html_link(href, text.plain(role.title))

    def team_link(self, team_id: str) -> Markup:
        """``<a>`` to a team page, named by the team."""
        team = self.org.teams.get(team_id)
        if team is None:
            return text.plain(team_id)
        return html_link(self.link(addresses.team_page(team_id)), text.plain(team.name))

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
        key = (id(commitment), self.folder)
        found = self.shared.customers.get(key)
        if found is None:
            found = Markup(", ").join(self.customer(c) for c in commitment.customers)
            self.shared.customers[key] = found
        return found

    def some_customers(self, service: Service) -> Markup:
        """The first :data:`LISTED_CUSTOMERS` customers, the rest counted and linked.

        A page that lists services for every team would otherwise repeat each long list
        of customers once per team it names.
        """
        customers = service.commitment.customers
        if len(customers) <= LISTED_CUSTOMERS:
            return self.customers(service.commitment)
        rest = len(customers) - LISTED_CUSTOMERS
        href = self.link(
            addresses.role_page(service.role.id), f"commitment-{service.commitment.id}"
        )
        more = i18n.translate_plural(self.language, "and %(num)s more", "and %(num)s more", rest)
        listed = Markup(", ").join(self.customer(c) for c in customers[:LISTED_CUSTOMERS])
        return Markup('{} <a href="{}">{}</a>').format(
            listed, href, more % {"num": i18n.number(rest, self.language)}
        )

    def service_link(self, service: Service) -> Markup:
        """``<a>`` to a commitment's card on its role page."""
        href = self.link(
            addresses.role_page(service.role.id), f"commitment-{service.commitment.id}"
        )
        names = self.shared.service_name
        name = names.get(id(service.commitment))
        if name is None:
            name = names[id(service.commitment)] = text.plain(service.commitment.service)
        return html_link(href, name)

    def first_response(self, commitment: Commitment) -> Markup:
        """The first-response target at each priority, labelled, most urgent first."""
        found = self.shared.first_response.get(id(commitment))
        if found is None:
            found = self.shared.first_response[id(commitment)] = self._first_response(commitment)
        return found

    def _first_response(self, commitment: Commitment) -> Markup:
        order = {ident: i for i, ident in enumerate(self.settings.priority_ids)}
        targets = sorted(commitment.targets, key=lambda t: order.get(t.priority, len(order)))
        items = [
            Markup("<span>{}: {}</span>").format(
                self.priority_label(t.priority),
                durations.in_words(t.response, hours=commitment.hours, language=self.language),
            )
            for t in targets
        ]
        return Markup("<br>").join(items)

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
        """A short name for an expectation: the start of its text as plain words.

        Rewards and the workload page name an expectation wherever they need it; a name of
        at most :data:`NAME_LENGTH` characters keeps a page's size that of its own text.
        """
        found = next((e for e in role.expectations if e.id == expectation_id), None)
        return text.plain(short_name(found.text) if found else expectation_id)

    def team_path(self, team_id: str) -> list[Team]:
        """Teams from the top to ``team_id``."""
        return self.index.breadcrumbs(team_id)

    def address(self) -> str:
        """This page's address: absolute under ``site_url`` when the site has one, else from
        the site's root (the browser shows the full address when it prints)."""
        path = self.urls.url(self.src)
        site = self.settings.feedback.site_url
        return site.rstrip("/") + "/" + path if site else self.settings.base_path + path

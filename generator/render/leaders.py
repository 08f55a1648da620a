"""What the leaders' views call: workload signals in words, rule links, the drawings.

The views themselves are pages of :mod:`generator.render.pages`; this module turns the
values of :mod:`generator.measure.workload`, :mod:`generator.measure.priorities` and
:mod:`generator.model.matrix` into linked, escaped, translated words for one page.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence

from markupsafe import Markup

from generator import i18n
from generator.diagnostics.codes import Code
from generator.measure.workload import SIGNAL_CODES, RoleLoad, Signal, SignalKind
from generator.model import durations
from generator.model.index import EVERYONE
from generator.model.matrix import OTHERS, CustomerMatrix, served_by, serves
from generator.model.organisation import Role
from generator.render import addresses, matrix, text
from generator.render.context import PageContext

SIDE_NODES = 8
"""The most teams drawn on each side of a team's connections; the rest are counted."""

SEVERITY_WORDS = {
    "error": i18n.mark("Error"),
    "warning": i18n.mark("Warning"),
    "info": i18n.mark("Note"),
}

SIGNAL_NAMES: dict[SignalKind, str] = {
    "over-100": i18n.mark("Over 100 %"),
    "little-slack": i18n.mark("Little time left free"),
    "too-many-responsibilities": i18n.mark("Too many responsibilities"),
    "too-many-commitments": i18n.mark("Too many commitments"),
    "single-point": i18n.mark("No second role"),
    "escalation-gap": i18n.mark("Escalation leads nowhere"),
    "review-overdue": i18n.mark("Review overdue"),
    "promises-nothing": i18n.mark("Promises nothing"),
    "unused-expectation": i18n.mark("Unused expectation"),
}

SIGNAL_RULES: dict[SignalKind, str] = {
    "over-100": i18n.mark("The shares of the role's responsibilities add up to more than 100 %."),
    "little-slack": i18n.mark(
        "The shares leave less than {limit} of working time free (workload.slack_below)."
    ),
    "too-many-responsibilities": i18n.mark(
        "The role has more than {limit} responsibilities (max_responsibilities)."
    ),
    "too-many-commitments": i18n.mark(
        "The role makes more than {limit} commitments (max_commitments)."
    ),
    "single-point": i18n.mark(
        "A commitment around the clock, or with a first response within {limit} "
        "(workload.short_target), that no other role makes: another role makes it when one "
        "of its commitments names the same service."
    ),
    "escalation-gap": i18n.mark(
        "A commitment of a role that reports to someone names nobody to escalate to, names "
        "a role that does not exist, or is promised around the clock but escalates to a role "
        "that makes no round-the-clock commitment."
    ),
    "review-overdue": i18n.mark("The role's review date has passed."),
    "promises-nothing": i18n.mark("The role makes no commitment to anyone."),
    "unused-expectation": i18n.mark(
        "An expectation that no reward requires and no feedback measures."
    ),
}


def rule_anchor(code: str) -> str:
    """The anchor of a code on the rules page (``HB107`` → ``hb107``)."""
    return code.lower()


def signal_anchor(kind: SignalKind) -> str:
    """The anchor of a workload signal on the rules page."""
    return f"signal-{kind}"


def summary_markup(summary: str) -> Markup:
    """A code's summary as escaped text, with ````field```` spans as code."""
    pieces = str(text.plain(summary)).split("&#96;&#96;")
    return Markup("").join(
        Markup("<code>{}</code>").format(Markup(p)) if i % 2 else Markup(p)
        for i, p in enumerate(pieces)
    )


class Leaders:
    """Helpers of the workload, priorities, rules and map pages, and of team pages."""

    def __init__(self, page: PageContext, today: dt.date | None) -> None:
        self.page = page
        self.today = today
        self.settings = page.settings
        self.language = page.language

    def _(self, message: str) -> str:
        return i18n.translate(self.language, message)

    def number(self, value: float) -> str:
        """A number as written in the page's language."""
        return i18n.number(value, self.language)

    # --- workload ---------------------------------------------------------------------

    def shares(self, load: RoleLoad) -> str:
        """The sum of the shares, ``95 %``, or ``—`` when none is given."""
        return "—" if load.shares is None else f"{self.number(load.shares)} %"

    def slack(self, load: RoleLoad) -> str:
        """The working time left free, ``5 %``, or ``—``."""
        return "—" if load.slack is None else f"{self.number(load.slack)} %"

    def count(self, value: int, limit: int) -> Markup:
        """``5 / 10``, marked when over the limit."""
        words = Markup("{} / {}").format(value, limit)
        if value > limit:
            marked = '<strong class="hb-over">{} <span aria-hidden="true">▲</span></strong>'
            return Markup(marked).format(words)
        return words

    def rule_link(self, signal: Signal) -> Markup:
        """A link to the rule that flagged ``signal`` on the rules page."""
        code = signal.code
        anchor = rule_anchor(code) if code else signal_anchor(signal.kind)
        label = code or self._("rule")
        title = self._("The rule that flagged this")
        return Markup('<a class="hb-rule" href="{}" title="{}">{}</a>').format(
            self.page.link(addresses.RULES, anchor), title, label
        )

    def _commitment(self, role: Role, commitment_id: str | None) -> Markup:
        found = next((c for c in role.commitments if c.id == commitment_id), None)
        if found is None:
            return text.plain(commitment_id or "")
        href = self.page.link(addresses.role_page(role.id), f"commitment-{found.id}")
        return Markup('<a href="{}">{}</a>').format(href, text.plain(found.service))

    def why_demanding(self, role: Role, signal: Signal) -> str:
        """``around the clock`` / ``first response within 15 minutes`` (or both)."""
        found = next((c for c in role.commitments if c.id == signal.item), None)
        hours = found.hours if found else "business"
        if signal.detail is None:
            return self._("around the clock")
        within = self._("first response within %(time)s") % {
            "time": durations.in_words(signal.detail, hours=hours, language=self.language)
        }
        return within + (", " + self._("around the clock") if hours == "always" else "")

    def why_gap(self, role: Role, signal: Signal) -> Markup:
        """Why an escalation leads nowhere, in words."""
        found = next((c for c in role.commitments if c.id == signal.item), None)
        if signal.detail == "none" or found is None or found.escalate_to is None:
            return Markup(self._("nobody is named to escalate to"))
        if signal.detail == "unknown":
            words = self._("escalates to %(role)s, who is not a role of this handbook")
            return Markup(words) % {"role": text.plain(found.escalate_to)}
        words = self._(
            "promised around the clock, but escalates to %(role)s, on duty in business hours only"
        )
        return Markup(words) % {"role": self.page.role_link(found.escalate_to)}

    def due(self, signal: Signal) -> str:
        """The review date of a ``review-overdue`` signal, in words."""
        return i18n.long_date(signal.detail or "", self.language)

    def days_overdue(self, signal: Signal) -> int:
        """Days since the review date of a ``review-overdue`` signal."""
        if self.today is None or not signal.detail:
            return 0
        return (self.today - dt.date.fromisoformat(signal.detail)).days

    def signal(self, load: RoleLoad, signal: Signal) -> Markup:
        """One signal of a role in words, with links to what it concerns."""
        words: dict[SignalKind, Callable[[Role, Signal], Markup]] = {
            "over-100": lambda role, _: self._percent(
                i18n.mark("Shares add up to %(value)s %%, more than 100 %%"), load.shares or 0
            ),
            "little-slack": lambda role, _: self._percent(
                i18n.mark("Less than %(value)s %% of working time left free"),
                self.settings.workload.slack_below,
            ),
            "too-many-responsibilities": lambda role, _: self._over(
                i18n.mark("%(count)s responsibilities, more than %(limit)s"),
                len(role.responsibilities),
                self.settings.max_responsibilities,
            ),
            "too-many-commitments": lambda role, _: self._over(
                i18n.mark("%(count)s commitments, more than %(limit)s"),
                len(role.commitments),
                self.settings.max_commitments,
            ),
            "single-point": self._single_point,
            "escalation-gap": lambda role, s: Markup("{}: {}").format(
                self._commitment(role, s.item), self.why_gap(role, s)
            ),
            "review-overdue": lambda role, s: (
                Markup(self._("Review was due by %(date)s")) % {"date": self.due(s)}
            ),
            "promises-nothing": lambda role, _: Markup(self._("Promises no service to anyone")),
            "unused-expectation": self._unused,
        }
        return words[signal.kind](load.role, signal)

    def _percent(self, message: str, value: float) -> Markup:
        return Markup(self._(message) % {"value": self.number(value)})

    def _over(self, message: str, count: int, limit: int) -> Markup:
        return Markup(self._(message) % {"count": count, "limit": limit})

    def _single_point(self, role: Role, signal: Signal) -> Markup:
        words = self._("No second role keeps %(service)s (%(why)s)")
        return Markup(words) % {
            "service": self._commitment(role, signal.item),
            "why": self.why_demanding(role, signal),
        }

    def _unused(self, role: Role, signal: Signal) -> Markup:
        href = self.page.link(addresses.role_page(role.id), f"expectation-{signal.item}")
        link = Markup('<a href="{}">{}</a>').format(
            href, self.page.expectation_name(role, signal.item or "")
        )
        return Markup(self._("%(expectation)s is used by no reward")) % {"expectation": link}

    # --- the rules page -------------------------------------------------------------

    anchor = staticmethod(rule_anchor)

    def signal_codes(self) -> list[tuple[SignalKind, Code | None]]:
        """Every kind of signal with its diagnostic code, for the rules page."""
        return list(SIGNAL_CODES.items())

    def signal_name(self, kind: SignalKind) -> str:
        """A signal's short name."""
        return self._(SIGNAL_NAMES[kind])

    def signal_rule(self, kind: SignalKind) -> str:
        """When a signal is raised, with the configured threshold."""
        limits = {
            "little-slack": f"{self.number(self.settings.workload.slack_below)} %",
            "too-many-responsibilities": str(self.settings.max_responsibilities),
            "too-many-commitments": str(self.settings.max_commitments),
            "single-point": durations.in_words(
                self.settings.workload.short_target, language=self.language
            ),
        }
        return self._(SIGNAL_RULES[kind]).replace("{limit}", limits.get(kind, ""))

    def severity(self, code: Code) -> str:
        """A code's default severity in words (and with ``--strict``, when it differs)."""
        words = self._(SEVERITY_WORDS[str(code.severity)])
        if code.strict is not None and code.strict is not code.severity:
            strict = self._(SEVERITY_WORDS[str(code.strict)]).lower()
            words += " " + self._("(%(severity)s with --strict)") % {"severity": strict}
        if not code.adjustable:
            words += " " + self._("(always)")
        return words

    def summary(self, code: Code) -> Markup:
        """What a code asks for, translated, with field names as code."""
        return summary_markup(self._(code.summary))

    # --- the map ----------------------------------------------------------------------

    def column_name(self, column: str) -> str:
        """A matrix column's name: the team's, "Everyone" or "Other departments"."""
        if column == EVERYONE:
            return self._("Everyone")
        if column == OTHERS:
            return self._("Other departments")
        team = self.page.org.teams.get(column)
        return team.name if team else column

    def services(self, count: int) -> str:
        """``3 services`` in the page's language."""
        return i18n.translate_plural(
            self.language, "%(num)s service", "%(num)s services", count
        ) % {"num": count}

    def matrix(self, grid: CustomerMatrix) -> Markup:
        """The internal-customer matrix as SVG."""
        names = {c: self.column_name(c) for c in (*grid.providers, *grid.columns)}
        title = self._("Internal-customer matrix")
        description = self._(
            "Rows: the %(rows)s teams that provide services. Columns: whom they serve, "
            "everyone first. Each cell gives the number of services; the table below "
            "lists the same numbers."
        ) % {"rows": len(grid.providers)}
        return matrix.customer_matrix(grid, names, title=title, description=description)

    def legend(self, grid: CustomerMatrix) -> list[tuple[int, str]]:
        """(shade, range of counts in words) of every shade used, lightest first."""
        used = sorted({matrix.level(n) for n in grid.cells.values()})
        out = []
        for shade in used:
            low, high = matrix.level_range(shade)
            if high is None:
                words = i18n.translate_plural(
                    self.language, "%(num)s or more services", "%(num)s or more services", low
                ) % {"num": low}
            elif high == low:
                words = self.services(low)
            else:
                words = i18n.translate_plural(
                    self.language, "%(low)s–%(num)s service", "%(low)s–%(num)s services", high
                ) % {"low": low, "num": high}
            out.append((shade, words))
        return out

    def serves_list(self, grid: CustomerMatrix, team_id: str) -> list[tuple[str, int]]:
        """Whom a team serves (columns other than itself), most services first."""
        return serves(grid, team_id)

    def served_by_list(self, team_id: str) -> list[tuple[str, int]]:
        """Which other teams serve a team, most services first."""
        return served_by(self.page.index, team_id)

    def column_link(self, column: str) -> Markup:
        """A matrix column as a link to its team page ("Everyone" as words)."""
        if column in (EVERYONE, OTHERS):
            return Markup(self.column_name(column))
        return self.page.team_link(column)

    def connections(
        self, team_id: str, left: Sequence[tuple[str, int]], right: Sequence[tuple[str, int]]
    ) -> Markup:
        """Who serves a team and whom it serves, as a small SVG diagram."""
        team = self.page.org.teams[team_id]

        def side(items: Sequence[tuple[str, int]]) -> list[tuple[str, int]]:
            named = [(self.column_name(c), n) for c, n in items]
            if len(named) <= SIDE_NODES:
                return named
            rest = named[SIDE_NODES - 1 :]
            more = i18n.translate_plural(
                self.language, "%(num)s more team", "%(num)s more teams", len(rest)
            ) % {"num": len(rest)}
            return [*named[: SIDE_NODES - 1], (more, sum(n for _, n in rest))]

        def words(items: Sequence[tuple[str, int]]) -> str:
            if not items:
                return self._("nobody")
            return ", ".join(f"{self.column_name(c)} ({self.services(n)})" for c, n in items)

        label = self._("%(team)s is served by: %(left)s. It serves: %(right)s.") % {
            "team": team.name,
            "left": words(left),
            "right": words(right),
        }
        headings = (self._("Served by"), self._("Serves"))
        return matrix.connections(
            team.name, side(left), side(right), headings=headings, label=label
        )

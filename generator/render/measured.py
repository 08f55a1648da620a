"""Measured results in words and small charts: service levels, outcomes, trends, rewards."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from markupsafe import Markup

from generator import i18n
from generator.measure.levels import MetricLevel, ServiceLevel
from generator.measure.outcomes import ELIGIBILITY_WORDS, REASON_WORDS, Outcome, RewardOutcome
from generator.measure.scores import Status
from generator.measure.views import Measured, PeriodView
from generator.model.organisation import Commitment, Expectation, Reward, Role
from generator.model.periods import Period
from generator.render import charts, text


class MeasuredWords:
    """What the templates call to show measurements, in one language."""

    def __init__(
        self, measured: Measured, language: str, status: Callable[[Status], Markup]
    ) -> None:
        self.data = measured
        self.language = language
        self.status = status

    def _(self, message: str) -> str:
        return i18n.translate(self.language, message)

    @property
    def latest(self) -> PeriodView | None:
        """The most recent period, if any."""
        return self.data.latest()

    @property
    def shows_outcomes(self) -> bool:
        """Whether this edition shows manual values and rewards' outcomes."""
        return self.data.shows_outcomes

    def period_name(self, period: Period) -> str:
        """``2026-Q4`` or ``2026-11``, with "(so far)" for a period still running."""
        latest = self.latest
        running = latest is not None and latest.period == period and not latest.complete
        return self._("%(period)s (so far)") % {"period": period.id} if running else period.id

    # --- expectations --------------------------------------------------------------------

    def value(self, expectation: Expectation, value: float) -> str:
        """A measured value in the expectation's terms: a percentage, a rating or a number."""
        shown = i18n.number(round(value, 2), self.language)
        return f"{shown} %" if expectation.source == "requests" else shown

    def outcome(self, role: Role, expectation: Expectation) -> Markup:
        """The expectation's value and status in the latest period, or why it has none."""
        found = self.data.outcome(expectation.key(role.id))
        if found is None:
            return Markup("—")
        return self._outcome(expectation, found)

    def _outcome(self, expectation: Expectation, found: Outcome) -> Markup:
        status = self.status(found.status)
        if found.value is None:
            reason = self._(REASON_WORDS[found.reason]) if found.reason else ""
            return Markup('{} <span class="hb-reason">{}</span>').format(status, reason)
        return Markup("{} · {}").format(self.value(expectation, found.value), status)

    def trend(self, role: Role, expectation: Expectation) -> Markup:
        """The expectation's value over the last periods as a small chart with its words."""
        points = self.data.trend(expectation.key(role.id))
        if sum(1 for _, o in points if o.value is not None) < 2:
            return Markup("")
        words = [
            f"{period.id}: "
            + (self.value(expectation, o.value) if o.value is not None else self._("not measured"))
            for period, o in points
        ]
        label = self._("Trend: %(points)s") % {"points": "; ".join(words)}
        values = [o.value for _, o in points]
        return charts.trend(values, label, higher_is_better=expectation.better == "higher")

    # --- services --------------------------------------------------------------------------

    def service(self, role: Role, commitment: Commitment) -> ServiceLevel | None:
        """The commitment's service level in the latest period."""
        return self.data.service(f"{role.id}/{commitment.id}")

    def service_words(self, role: Role, commitment: Commitment) -> Markup:
        """The latest service level in a sentence: how many requests, how many in time."""
        latest = self.latest
        level = self.service(role, commitment)
        if latest is None:
            return Markup("")
        period = self.period_name(latest.period)
        if level is None or not level.requests:
            return Markup(self._("No requests recorded in %(period)s.") % {"period": period})
        if level.hidden:
            return Markup(
                self._("%(period)s: fewer than %(k)s requests, so the figures are not shown.")
                % {"period": period, "k": self.data.min_group}
            )
        parts = [
            self._metric_words(name, level.metric(metric))  # type: ignore[arg-type]
            for metric, name in (
                ("response", i18n.mark("answered in time")),
                ("resolution", i18n.mark("resolved in time")),
            )
            if level.metric(metric) is not None  # type: ignore[arg-type]
        ]
        count = i18n.translate_plural(
            self.language, "%(num)s request", "%(num)s requests", level.requests
        ) % {"num": level.requests}
        sentence = self._("%(period)s, %(count)s: %(levels)s.") % {
            "period": period,
            "count": count,
            "levels": "; ".join(parts) if parts else self._("none could be judged yet"),
        }
        return Markup(text.plain(sentence))

    def _metric_words(self, name: str, level: MetricLevel) -> str:
        percent = i18n.number(round(level.percent, 1), self.language)
        words = self._("%(percent)s %% %(what)s") % {"percent": percent, "what": self._(name)}
        if level.median_minutes is not None:
            median = minutes_in_words(level.median_minutes, self.language)
            words += " " + self._("(median %(time)s)") % {"time": median}
        return words

    def service_trend(self, role: Role, commitment: Commitment, metric: str) -> Markup:
        """The share in time of ``metric`` over the last periods, as a chart with its words."""
        points = self.data.service_trend(f"{role.id}/{commitment.id}")
        values: list[float | None] = []
        words = []
        for period, level in points:
            found = None if level.hidden else level.metric(metric)  # type: ignore[arg-type]
            values.append(found.percent if found else None)
            shown = (
                f"{i18n.number(round(found.percent, 1), self.language)} %"
                if found
                else self._("not shown")
            )
            words.append(f"{period.id}: {shown}")
        if sum(1 for v in values if v is not None) < 2:
            return Markup("")
        label = self._("Trend: %(points)s") % {"points": "; ".join(words)}
        return charts.trend(values, label, higher_is_better=True, ceiling=100.0)

    # --- rewards ---------------------------------------------------------------------------

    def reward(self, role: Role, reward: Reward) -> RewardOutcome | None:
        """Whether the reward was earned in the latest period (leaders' edition only)."""
        return self.data.reward(f"{role.id}/{reward.id}") if self.shows_outcomes else None

    def eligibility(self, found: RewardOutcome, role: Role) -> Markup:
        """A reward's outcome in one period: its status in words, with what failed or is missing."""
        words = self._(ELIGIBILITY_WORDS[found.status])
        return self._outcome_markup(found, words, self._details(found, role))

    def reward_words(self, role: Role, reward: Reward) -> Markup:
        """``Met in 2026-Q4``, or what failed or is not measured."""
        found = self.reward(role, reward)
        latest = self.latest
        if found is None or latest is None:
            return Markup("")
        values = {
            "status": self._(ELIGIBILITY_WORDS[found.status]),
            "period": self.period_name(latest.period),
        }
        words = self._("%(status)s in %(period)s") % values
        return self._outcome_markup(found, words, self._details(found, role))

    def _details(self, found: RewardOutcome, role: Role) -> str:
        names = {e.id: e.text for e in role.expectations}
        details = []
        if found.failed:
            failed = _names(found.failed, names)
            details.append(self._("below the level: %(names)s") % {"names": failed})
        if found.unmeasured:
            missing = _names(found.unmeasured, names)
            details.append(self._("not measured: %(names)s") % {"names": missing})
        return "; ".join(details)

    @staticmethod
    def _outcome_markup(found: RewardOutcome, words: str, details: str) -> Markup:
        shown = Markup(' <span class="hb-reason">({})</span>').format(details) if details else ""
        return Markup('<span class="hb-reward-outcome hb-reward-outcome--{}">{}</span>{}').format(
            found.status, words, shown
        )


def _names(ids: Sequence[str], names: dict[str, str]) -> str:
    return ", ".join(" ".join(names.get(i, i).split()) for i in ids)


def minutes_in_words(minutes: int, language: str) -> str:
    """A length of time in the largest sensible unit: minutes under two hours, else hours."""
    if minutes < 120:
        return i18n.translate_plural(language, "%(num)s minute", "%(num)s minutes", minutes) % {
            "num": i18n.number(minutes, language)
        }
    hours = round(minutes / 60, 1)
    return i18n.translate_plural(language, "%(num)s hour", "%(num)s hours", hours) % {
        "num": i18n.number(hours, language)
    }

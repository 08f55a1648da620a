"""What the pages show of the measurements: per period, judged against today's criteria.

The measured report (service levels and feedback from the database) and the manual
measurements (from the repository) are judged here for every period. The audience
decides what leaves this module: the site for everyone never receives a manual value or
a reward's outcome, since a role is often held by one person.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from generator.measure.levels import FeedbackLevel, ServiceLevel
from generator.measure.outcomes import (
    Measurement,
    Outcome,
    PeriodData,
    RewardOutcome,
    judge_period,
)
from generator.measure.report import MeasuredReport
from generator.model.organisation import Organisation
from generator.model.periods import Period, PeriodKind
from generator.model.settings import Audience


@dataclass(frozen=True, slots=True)
class PeriodView:
    """One period as the pages show it."""

    period: Period
    complete: bool
    services: Mapping[str, ServiceLevel] = field(default_factory=dict)
    feedback: Mapping[str, FeedbackLevel] = field(default_factory=dict)
    outcomes: Mapping[str, Outcome] = field(default_factory=dict)
    rewards: Mapping[str, RewardOutcome] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Measured:
    """Every period with measurements, oldest first, for one audience."""

    periods: tuple[PeriodView, ...]
    min_group: int
    audience: Audience = "everyone"

    def latest(self) -> PeriodView | None:
        """The most recent period, if any."""
        return self.periods[-1] if self.periods else None

    @property
    def shows_outcomes(self) -> bool:
        """Whether this audience sees manual values and rewards' outcomes."""
        return self.audience == "leaders"

    def outcome(self, key: str) -> Outcome | None:
        """The outcome of ``role-id/expectation-id`` in the latest period."""
        latest = self.latest()
        return latest.outcomes.get(key) if latest else None

    def trend(self, key: str) -> list[tuple[Period, Outcome]]:
        """The outcome of ``role-id/expectation-id`` in every period, oldest first."""
        return [(p.period, p.outcomes[key]) for p in self.periods if key in p.outcomes]

    def service(self, key: str) -> ServiceLevel | None:
        """The service level of ``role-id/commitment-id`` in the latest period."""
        latest = self.latest()
        return latest.services.get(key) if latest else None

    def service_trend(self, key: str) -> list[tuple[Period, ServiceLevel]]:
        """The service level of ``role-id/commitment-id`` in every period, oldest first."""
        return [(p.period, p.services[key]) for p in self.periods if key in p.services]

    def reward(self, key: str) -> RewardOutcome | None:
        """Whether ``role-id/reward-id`` was earned in the latest period (leaders only)."""
        latest = self.latest()
        return latest.rewards.get(key) if latest else None


RESTRICTED = Outcome(None, "unknown", "restricted")


def measured_view(
    organisation: Organisation,
    report: MeasuredReport | None,
    measurements: Mapping[Period, Mapping[str, Measurement]],
    *,
    kind: PeriodKind,
    periods: int,
    min_group: int,
    audience: Audience,
) -> Measured:
    """Judge every period of ``report`` and of the manual measurements for ``audience``."""
    levels = {p.period: p for p in report.periods} if report else {}
    recorded = {p: v for p, v in measurements.items() if p.kind == kind}
    chosen = sorted(set(levels) | set(recorded))[-periods:] if periods > 0 else []
    manual = _manual_keys(organisation)
    views = []
    for period in chosen:
        found = levels.get(period)
        data = PeriodData(
            services=found.services if found else {},
            feedback=found.feedback if found else {},
            measurements=recorded.get(period, {}),
        )
        outcomes, rewards = judge_period(organisation, data)
        if audience != "leaders":
            outcomes = {k: RESTRICTED if k in manual else v for k, v in outcomes.items()}
            rewards = {}
        complete = found.complete if found else True
        views.append(PeriodView(period, complete, data.services, data.feedback, outcomes, rewards))
    threshold = max(min_group, report.min_group) if report else min_group
    return Measured(tuple(views), threshold, audience)


def _manual_keys(organisation: Organisation) -> frozenset[str]:
    return frozenset(
        e.key(role.id)
        for role in organisation.roles.values()
        for e in role.expectations
        if e.source == "manual"
    )

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
class TeamRewards:
    """How many of a team's rewards were earned in a period (its sub-teams included).

    ``earned`` is None when the team has fewer roles with rewards than the group-size
    threshold, or when showing it would let a smaller group be worked out.
    """

    roles: int
    rewards: int
    earned: int | None


@dataclass(frozen=True, slots=True)
class PeriodView:
    """One period as the pages show it."""

    period: Period
    complete: bool
    services: Mapping[str, ServiceLevel] = field(default_factory=dict)
    feedback: Mapping[str, FeedbackLevel] = field(default_factory=dict)
    outcomes: Mapping[str, Outcome] = field(default_factory=dict)
    rewards: Mapping[str, RewardOutcome] = field(default_factory=dict)
    teams: Mapping[str, TeamRewards] = field(default_factory=dict)
    """Rewards earned per team (for every edition: no single role's outcome)."""


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
        teams = team_rewards(organisation, rewards, min_group)
        if audience != "leaders":
            outcomes = {k: RESTRICTED if k in manual else v for k, v in outcomes.items()}
            rewards = {}
        complete = found.complete if found else True
        views.append(
            PeriodView(period, complete, data.services, data.feedback, outcomes, rewards, teams)
        )
    threshold = max(min_group, report.min_group) if report else min_group
    return Measured(tuple(views), threshold, audience)


def _manual_keys(organisation: Organisation) -> frozenset[str]:
    return frozenset(
        e.key(role.id)
        for role in organisation.roles.values()
        for e in role.expectations
        if e.source == "manual"
    )


def team_rewards(
    organisation: Organisation, rewards: Mapping[str, RewardOutcome], min_group: int
) -> dict[str, TeamRewards]:
    """Per team (with its sub-teams), its roles with rewards and how many rewards were earned.

    A count is shown only for at least ``min_group`` roles; a sub-team's count is hidden
    too when its parent's is shown and the difference would describe fewer roles than that.
    """
    children: dict[str | None, list[str]] = {}
    for team in organisation.teams.values():
        children.setdefault(team.parent, []).append(team.id)
    direct: dict[str, list[str]] = {}
    for role in organisation.roles.values():
        if role.rewards:
            direct.setdefault(role.team, []).append(role.id)

    def below(team_id: str, seen: frozenset[str]) -> list[str]:
        found = list(direct.get(team_id, []))
        for child in children.get(team_id, []):
            if child not in seen:
                found += below(child, seen | {child})
        return found

    out: dict[str, TeamRewards] = {}
    for team_id in organisation.teams:
        roles = below(team_id, frozenset({team_id}))
        keys = [
            f"{role_id}/{reward.id}"
            for role_id in roles
            for reward in organisation.roles[role_id].rewards
        ]
        earned = sum(1 for key in keys if key in rewards and rewards[key].status == "met")
        shown = earned if len(roles) >= min_group else None
        out[team_id] = TeamRewards(len(roles), len(keys), shown)
    return _no_subtraction(out, children, min_group)


def _no_subtraction(
    counts: dict[str, TeamRewards], children: Mapping[str | None, list[str]], min_group: int
) -> dict[str, TeamRewards]:
    """Hide shown sub-teams whose parent's count would single out the rest of the parent."""
    result = dict(counts)
    for parent, kids in children.items():
        if parent is None or result[parent].earned is None:
            continue
        shown = [k for k in kids if result[k].earned is not None]
        rest = result[parent].roles - sum(result[k].roles for k in shown)
        if shown and 0 < rest < min_group:
            for kid in shown:
                result[kid] = TeamRewards(result[kid].roles, result[kid].rewards, None)
    return result

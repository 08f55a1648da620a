"""Whether expectations were met in a period, and which rewards that earns.

An expectation's value comes from its source: the share of a commitment's requests that
met its target (``requests``), the mean feedback rating of a commitment (``feedback``),
or the value the role's owners recorded (``manual``). Without a value its status is
"not measured", with the reason. A reward is earned when every expectation it requires
reaches the level it asks for.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from generator.i18n import mark
from generator.measure.levels import FeedbackLevel, ServiceLevel
from generator.measure.scores import Status, judge
from generator.model.organisation import Expectation, Organisation, Reward, Role

Reason = Literal["no-data", "too-few", "nothing-judged", "no-measurement", "restricted"]
Eligibility = Literal["met", "not-met", "not-measured"]

REASON_WORDS: Mapping[Reason, str] = {
    "no-data": mark("no data in this period"),
    "too-few": mark("too few to show (fewer than the group-size threshold)"),
    "nothing-judged": mark("no request could be judged yet"),
    "no-measurement": mark("no measurement recorded for this period"),
    "restricted": mark("shown in the leaders' edition"),
}
ELIGIBILITY_WORDS: Mapping[Eligibility, str] = {
    "met": mark("Met"),
    "not-met": mark("Not met"),
    "not-measured": mark("Not measured"),
}


@dataclass(frozen=True, slots=True)
class Measurement:
    """A value the role's owners recorded for one expectation and period."""

    value: float
    note: str | None = None


@dataclass(frozen=True, slots=True)
class Outcome:
    """An expectation in one period: its value, its status and, if unmeasured, why."""

    value: float | None
    status: Status
    reason: Reason | None = None
    count: int | None = None
    """How many requests or answers the value stands on (None for a manual value)."""


@dataclass(frozen=True, slots=True)
class RewardOutcome:
    """A reward in one period: earned or not, which requirements failed, which are unknown."""

    status: Eligibility
    failed: tuple[str, ...] = ()
    unmeasured: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class PeriodData:
    """What was measured in one period, by ``role-id/commitment-id`` or expectation key."""

    services: Mapping[str, ServiceLevel]
    feedback: Mapping[str, FeedbackLevel]
    measurements: Mapping[str, Measurement]


def outcome(role: Role, expectation: Expectation, data: PeriodData) -> Outcome:
    """The value and status of one expectation in one period."""
    if expectation.source == "manual":
        return _recorded(data.measurements.get(expectation.key(role.id)), expectation)
    key = f"{role.id}/{expectation.commitment}"
    if expectation.source == "feedback":
        return _rated(data.feedback.get(key), expectation)
    return _served(data.services.get(key), expectation)


def _recorded(recorded: Measurement | None, expectation: Expectation) -> Outcome:
    if recorded is None:
        return Outcome(None, "unknown", "no-measurement")
    return Outcome(recorded.value, judge(expectation, recorded.value))


def _rated(rated: FeedbackLevel | None, expectation: Expectation) -> Outcome:
    if rated is None or not rated.count:
        return Outcome(None, "unknown", "no-data")
    if rated.hidden or rated.mean is None:
        return Outcome(None, "unknown", "too-few", rated.count)
    return Outcome(rated.mean, judge(expectation, rated.mean), count=rated.count)


def _served(served: ServiceLevel | None, expectation: Expectation) -> Outcome:
    if served is None or not served.requests:
        return Outcome(None, "unknown", "no-data")
    if served.hidden:
        return Outcome(None, "unknown", "too-few", served.requests)
    level = served.metric(expectation.metric or "response")
    if level is None:
        return Outcome(None, "unknown", "nothing-judged", served.requests)
    value = round(level.percent, 1)
    return Outcome(value, judge(expectation, value), count=level.counted)


def reward_outcome(role: Role, reward: Reward, outcomes: Mapping[str, Outcome]) -> RewardOutcome:
    """Whether ``reward`` is earned, from the outcomes of the role's expectations."""
    failed: list[str] = []
    unmeasured: list[str] = []
    for name, level in reward.requires.items():
        found = outcomes.get(f"{role.id}/{name}")
        status = found.status if found else "unknown"
        if status == "unknown":
            unmeasured.append(name)
        elif status == "below" or (level == "exceeds" and status != "exceeds"):
            failed.append(name)
    if failed:
        return RewardOutcome("not-met", tuple(failed), tuple(unmeasured))
    if unmeasured:
        return RewardOutcome("not-measured", (), tuple(unmeasured))
    return RewardOutcome("met")


def judge_period(
    organisation: Organisation, data: PeriodData
) -> tuple[dict[str, Outcome], dict[str, RewardOutcome]]:
    """Every expectation's outcome and every reward's eligibility in one period."""
    outcomes = {
        expectation.key(role.id): outcome(role, expectation, data)
        for role in organisation.roles.values()
        for expectation in role.expectations
    }
    rewards = {
        f"{role.id}/{reward.id}": reward_outcome(role, reward, outcomes)
        for role in organisation.roles.values()
        for reward in role.rewards
    }
    return outcomes, rewards

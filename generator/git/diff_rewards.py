"""What a change means for rewards: which rewards depend on what changed, and how.

A reward requires expectations at a level. A change to that level, to how the
expectation is measured, or to a service target the expectation is measured against
makes the reward harder or easier to reach; :func:`impact_words` says so by name.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from generator.git.diff_words import Words
from generator.i18n import mark_plural
from generator.model.changes import Direction, Effect, Impact
from generator.model.organisation import Expectation, Level, Role

TARGET_METRICS = ("response", "resolution")
"""The parts of a service target an expectation can be measured against."""

_EFFECT_WORDS: dict[Effect, tuple[str, str]] = {
    "harder": mark_plural(
        "makes the reward %(rewards)s harder to reach",
        "makes the rewards %(rewards)s harder to reach",
    ),
    "easier": mark_plural(
        "makes the reward %(rewards)s easier to reach",
        "makes the rewards %(rewards)s easier to reach",
    ),
    "changed": mark_plural(
        "changes what it takes to reach the reward %(rewards)s",
        "changes what it takes to reach the rewards %(rewards)s",
    ),
    "unchanged": mark_plural(
        "the reward %(rewards)s still depends on it as before",
        "the rewards %(rewards)s still depend on it as before",
    ),
}


def effect(direction: Direction | None) -> Effect:
    """A stricter change makes a reward harder to reach, a looser one easier."""
    if direction == "stricter":
        return "harder"
    return "easier" if direction == "looser" else "changed"


def requiring(role: Role | None, expectation_id: str, level: Level | None = None) -> list[str]:
    """The ids of the rewards of ``role`` that require the expectation (at ``level``)."""
    if role is None:
        return []
    return [
        reward.id
        for reward in role.rewards
        if expectation_id in reward.requires
        and (level is None or reward.requires[expectation_id] == level)
    ]


def target_feeds(role: Role | None, commitment_id: str, metric: str) -> list[Expectation]:
    """The expectations of ``role`` measured against this target of the commitment.

    ``metric`` is ``response`` or ``resolution``. An expectation measured from request
    data (``source: requests``) names its ``commitment`` and its ``metric``; tightening
    that target makes the expectation harder to meet. This is the one place that knows
    which expectations a target feeds.
    """
    if role is None:
        return []
    return [e for e in role.expectations if _measured_against(e) == (commitment_id, metric)]


def _measured_against(expectation: Expectation) -> tuple[str, str] | None:
    """(commitment id, metric) an expectation is measured from request data against."""
    metric = getattr(expectation, "metric", None)  # expectations from request data have one
    if expectation.commitment is None or metric not in TARGET_METRICS:
        return None
    return expectation.commitment, str(metric)


def fed_rewards(role: Role | None, commitment_id: str, metric: str) -> list[str]:
    """The ids of the rewards that require an expectation this target feeds."""
    found: list[str] = []
    for expectation in target_feeds(role, commitment_id, metric):
        found += [r for r in requiring(role, expectation.id) if r not in found]
    return found


def impacts(rewards: Iterable[str], how: Effect) -> tuple[Impact, ...]:
    """One impact of the same effect on each reward."""
    return tuple(Impact(reward, how) for reward in dict.fromkeys(rewards))


def impact_words(words: Words, roles: Sequence[Role | None], found: Sequence[Impact]) -> str:
    """``makes the reward “Quarterly bonus” harder to reach``, one clause per effect.

    Rewards are named from the first of ``roles`` (newest first) that has them.
    """
    clauses = []
    for how, forms in _EFFECT_WORDS.items():
        names = [_reward_name(words, roles, i.reward) for i in found if i.effect == how]
        if names:
            clauses.append(words.plural(forms, len(names), rewards=words.listing(names)))
    return "; ".join(clauses)


def _reward_name(words: Words, roles: Sequence[Role | None], reward_id: str) -> str:
    for role in roles:
        for reward in role.rewards if role else ():
            if reward.id == reward_id:
                return words.name(reward.reward)
    return words.plain(reward_id)

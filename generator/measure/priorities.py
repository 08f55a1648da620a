"""What internal customers said matters most to them, added up across commitments.

Each feedback answer may name one priority ("what matters most to you?"); the report
gives, per commitment, how many answers named each one (:attr:`Score.priorities`). This
module adds those counts up by group — today the provider team, later also the team of
the people who answered — and decides what may be shown:

- a group with fewer than ``min_responses`` answers is hidden;
- the organisation-wide total is shown only when it has ``min_responses`` answers;
- in a table with a total, what the hidden groups add up to (the total minus the shown
  groups) must itself be 0 or at least ``min_responses``, so no hidden group can be
  worked out by subtraction; the smallest shown groups are hidden too until it is.

A breakdown by customer team needs, per commitment, the answers of each team (a mapping
``team id → {priority: count}``, from a report that groups answers by the team people
gave). :func:`add_up` sums such mappings per customer team, and :func:`publish` with the
organisation's :func:`organisation_total` makes the table, consistent with the others.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from generator.measure.scores import Scores
from generator.model.organisation import Organisation


@dataclass(frozen=True, slots=True)
class Tally:
    """How many answers named each priority."""

    counts: Mapping[str, int] = field(default_factory=dict)

    @property
    def answers(self) -> int:
        """Answers that named a priority (each answer names at most one)."""
        return sum(self.counts.values())

    def __add__(self, other: Tally) -> Tally:
        total = Counter(self.counts)
        total.update(other.counts)
        return Tally(dict(total))

    def ranked(self, order: Sequence[str] = ()) -> list[tuple[str, int]]:
        """(priority, count), most named first; ties in ``order``, then alphabetically."""
        position = {name: i for i, name in enumerate(order)}
        return sorted(
            ((name, n) for name, n in self.counts.items() if n),
            key=lambda item: (-item[1], position.get(item[0], len(position)), item[0]),
        )

    def share(self, name: str) -> float:
        """The part of the answers that named ``name``, in %."""
        return 100 * self.counts.get(name, 0) / self.answers if self.answers else 0.0


@dataclass(frozen=True, slots=True)
class PriorityTable:
    """Groups with what may be shown of each (None: hidden), and the total (None: hidden)."""

    groups: tuple[tuple[str, Tally | None], ...]
    total: Tally | None
    min_responses: int

    @property
    def hidden(self) -> int:
        """How many groups are hidden."""
        return sum(1 for _, tally in self.groups if tally is None)


def add_up(parts: Iterable[tuple[str, Tally]]) -> dict[str, Tally]:
    """The tallies of each group key summed, in the order the keys first appear."""
    groups: dict[str, Tally] = {}
    for key, tally in parts:
        groups[key] = groups[key] + tally if key in groups else tally
    return groups


def commitment_tallies(scores: Scores) -> dict[str, Tally]:
    """The priorities named for each shown commitment, by ``<role-id>/<commitment-id>``."""
    return {key: Tally(dict(score.priorities)) for key, score in scores.by_key.items()}


def organisation_total(scores: Scores) -> Tally:
    """Every priority answer of every shown commitment."""
    total = Tally()
    for tally in commitment_tallies(scores).values():
        total = total + tally
    return total


def by_provider_team(organisation: Organisation, scores: Scores) -> dict[str, Tally]:
    """The answers about each team's commitments, by the team of the role that makes them."""
    parts = []
    for key, tally in commitment_tallies(scores).items():
        role = organisation.roles.get(key.partition("/")[0])
        if role is not None and tally.answers:
            parts.append((role.team, tally))
    return add_up(parts)


def publish(groups: Mapping[str, Tally], total: Tally, min_responses: int) -> PriorityTable:
    """What a table of ``groups`` with the organisation's ``total`` may show (see above)."""
    shown = {key: tally for key, tally in groups.items() if tally.answers >= min_responses}

    def rest() -> int:
        return total.answers - sum(t.answers for t in shown.values())

    while 0 < rest() < min_responses and shown:
        smallest = min(shown, key=lambda key: (shown[key].answers, key))
        del shown[smallest]
    visible_total = total if total.answers >= min_responses else None
    if visible_total is None:
        shown.clear()
    return PriorityTable(
        tuple((key, shown.get(key)) for key in groups if groups[key].answers),
        visible_total,
        min_responses,
    )


def priorities_by_team(
    organisation: Organisation, scores: Scores, order: Sequence[str] = ()
) -> PriorityTable:
    """The provider-team table of the priorities page (teams in ``order`` first)."""
    groups = by_provider_team(organisation, scores)
    position = {team: i for i, team in enumerate(order)}
    ordered = dict(sorted(groups.items(), key=lambda item: position.get(item[0], len(position))))
    return publish(ordered, organisation_total(scores), scores.min_responses)

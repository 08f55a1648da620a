"""Workload across roles: shares, slack, limits, promises without a backup, escalation gaps.

Every signal is computed here once, from the organisation and the settings alone, and is
shown by the workload page and (where it is a diagnostic) reported by ``handbook validate``:

- **over 100 %** (HB107): the shares of a role's responsibilities add up to more than 100 %.
- **little slack**: the shares leave less than ``workload.slack_below`` % of working time
  free (a role that gives no shares at all is not judged).
- **too many responsibilities / commitments** (HB108): more than ``max_responsibilities``
  or ``max_commitments``.
- **single point of failure** (HB125): a *demanding* commitment — round the clock
  (``hours: always``) or with a first response within ``workload.short_target`` at any
  priority — that no other role also makes. Another role "also makes" it when one of its
  commitments names the same service (the same words, ignoring case and spacing).
- **escalation gap** (HB126): the commitment's escalation leads nowhere. That is one of
  ``none``: no ``escalate_to`` although the role reports to someone (the top of the
  organisation is the last stop and is not flagged); ``unknown``: ``escalate_to`` names
  no role of the organisation (also the error HB101); ``off-hours``: a round-the-clock
  commitment escalates to a role that makes no round-the-clock commitment itself, so at
  night or at the weekend the escalation reaches nobody on duty.
- **promises nothing** (HB111), **review overdue** (HB109), **unused expectation** (HB112).

A signal whose code is turned off under ``rules:`` is not shown either.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Literal

from generator.diagnostics import codes
from generator.model import durations
from generator.model.kept import PerRole, forget_others, kept_or_made
from generator.model.organisation import Commitment, Organisation, Role
from generator.model.settings import Settings

SignalKind = Literal[
    "over-100",
    "little-slack",
    "too-many-responsibilities",
    "too-many-commitments",
    "single-point",
    "escalation-gap",
    "review-overdue",
    "promises-nothing",
    "unused-expectation",
]
GapReason = Literal["none", "unknown", "off-hours"]

SIGNAL_CODES: Mapping[SignalKind, codes.Code | None] = {
    "over-100": codes.SHARES_OVER_100,
    "little-slack": None,
    "too-many-responsibilities": codes.WORKLOAD_LIMIT,
    "too-many-commitments": codes.WORKLOAD_LIMIT,
    "single-point": codes.SINGLE_POINT,
    "escalation-gap": codes.ESCALATION_GAP,
    "review-overdue": codes.REVIEW_OVERDUE,
    "promises-nothing": codes.PROMISES_NOTHING,
    "unused-expectation": codes.UNUSED_EXPECTATION,
}
"""The diagnostic each signal is reported as by ``handbook validate`` (None: the page only)."""

WEIGHTS: Mapping[SignalKind, int] = {
    "over-100": 8,
    "single-point": 4,
    "too-many-responsibilities": 3,
    "too-many-commitments": 3,
    "little-slack": 3,
    "escalation-gap": 2,
    "review-overdue": 2,
    "promises-nothing": 1,
    "unused-expectation": 1,
}
"""How much each signal adds to a role's risk, which orders the workload page."""


@dataclass(frozen=True, slots=True)
class Signal:
    """One reason a role is flagged; ``item`` is the commitment or expectation concerned."""

    kind: SignalKind
    item: str | None = None
    detail: str | None = None
    """``single-point``: the fastest first response (None: round the clock only);
    ``escalation-gap``: the :data:`GapReason`; ``review-overdue``: the review date."""

    @property
    def code(self) -> str | None:
        """The diagnostic code this signal is reported under, if any."""
        found = SIGNAL_CODES[self.kind]
        return found.code if found else None


@dataclass(frozen=True, slots=True)
class RoleLoad:
    """One role's workload: its shares, what is left free, its counts and its signals."""

    role: Role
    shares: float | None
    """The sum of the responsibilities' shares in %, None when no responsibility has one."""
    unshared: int
    """Responsibilities without a share."""
    signals: tuple[Signal, ...]

    @property
    def slack(self) -> float | None:
        """Working time the shares leave free, in % (negative when over 100 %)."""
        return None if self.shares is None else round(100 - self.shares, 6)

    @property
    def risk(self) -> int:
        """The weight of every signal: the higher, the more at risk."""
        return sum(WEIGHTS[s.kind] for s in self.signals)

    def of(self, kind: SignalKind) -> tuple[Signal, ...]:
        """The signals of one kind."""
        return tuple(s for s in self.signals if s.kind == kind)


@dataclass(frozen=True, slots=True)
class Workload:
    """Every role's workload, the most at risk first."""

    roles: tuple[RoleLoad, ...]

    def flagged(self) -> tuple[RoleLoad, ...]:
        """Roles with at least one signal."""
        return tuple(r for r in self.roles if r.signals)

    def of_team(self, team_id: str) -> tuple[RoleLoad, ...]:
        """The roles of one team (not of its sub-teams), in the same order."""
        return tuple(r for r in self.roles if r.role.team == team_id)

    def signals(self, kind: SignalKind) -> tuple[tuple[RoleLoad, Signal], ...]:
        """Every signal of one kind with its role, in page order."""
        return tuple((r, s) for r in self.roles for s in r.of(kind))


def share_total(role: Role) -> float | None:
    """The sum of a role's responsibility shares (None when none is given)."""
    shares = [r.share for r in role.responsibilities if r.share is not None]
    return round(sum(shares), 6) if shares else None


@functools.lru_cache(maxsize=1 << 16)
def same_service(name: str) -> str:
    """A service name compared between roles: case and spacing do not matter."""
    return " ".join(name.casefold().split())


def fastest_response(commitment: Commitment, settings: Settings) -> str | None:
    """The first-response target within ``workload.short_target``, fastest first, if any."""
    limit = durations.minutes(
        settings.workload.short_target,
        hours=commitment.hours,
        business_day_hours=settings.business_day_hours,
    )
    timed: list[tuple[float, str]] = []
    for target in commitment.targets:
        length = durations.minutes(
            target.response, hours=commitment.hours, business_day_hours=settings.business_day_hours
        )
        if length is not None and limit is not None and length <= limit:
            timed.append((length, target.response))
    return min(timed)[1] if timed else None


def is_demanding(commitment: Commitment, settings: Settings) -> bool:
    """Round the clock, or a first response within ``workload.short_target``."""
    return commitment.hours == "always" or fastest_response(commitment, settings) is not None


def service_holders(roles: Iterable[Role]) -> dict[str, frozenset[str]]:
    """The roles that make each service (by :func:`same_service` name)."""
    holders: dict[str, set[str]] = {}
    for role in roles:
        for commitment in role.commitments:
            holders.setdefault(same_service(commitment.service), set()).add(role.id)
    return {name: frozenset(ids) for name, ids in holders.items()}


def single_points(
    role: Role, holders: Mapping[str, frozenset[str]], settings: Settings
) -> Iterator[tuple[int, Commitment, str | None]]:
    """(index, commitment, fastest response) of each demanding commitment no other role makes."""
    alone = frozenset((role.id,))
    for index, commitment in enumerate(role.commitments):
        if holders.get(same_service(commitment.service), alone) <= alone:
            fastest = fastest_response(commitment, settings)
            if commitment.hours == "always" or fastest is not None:
                yield index, commitment, fastest


def escalation_gap(
    role: Role, commitment: Commitment, roles: Mapping[str, Role]
) -> GapReason | None:
    """Why the commitment's escalation leads nowhere, or None when it reaches someone."""
    target = commitment.escalate_to
    if target is None:
        return "none" if role.reports_to is not None else None
    escalated = roles.get(target)
    if escalated is None:
        return "unknown"
    if commitment.hours == "always" and not any(c.hours == "always" for c in escalated.commitments):
        return "off-hours"
    return None


def review_overdue(role: Role, today: dt.date | None) -> dt.date | None:
    """The review date when it has passed by ``today`` (None: not overdue, or no date)."""
    if today is None or role.review_by is None:
        return None
    try:
        due = dt.date.fromisoformat(role.review_by)
    except ValueError:
        return None
    return due if due < today else None


def unused_expectations(role: Role) -> Iterator[str]:
    """Ids of the expectations no reward requires and no feedback measures."""
    used = {name for reward in role.rewards for name in reward.requires}
    for expectation in role.expectations:
        if expectation.id not in used and expectation.source != "feedback":
            yield expectation.id


def role_signals(
    role: Role,
    organisation: Organisation,
    settings: Settings,
    today: dt.date | None,
    holders: Mapping[str, frozenset[str]],
) -> Iterator[Signal]:
    """Every signal of one role, in the order of the list in this module's docstring."""
    total = share_total(role)
    if total is not None and total > 100:
        yield Signal("over-100")
    elif total is not None and 100 - total < settings.workload.slack_below:
        yield Signal("little-slack")
    if len(role.responsibilities) > settings.max_responsibilities:
        yield Signal("too-many-responsibilities")
    if len(role.commitments) > settings.max_commitments:
        yield Signal("too-many-commitments")
    for _, commitment, fastest in single_points(role, holders, settings):
        yield Signal("single-point", commitment.id, fastest)
    for commitment in role.commitments:
        reason = escalation_gap(role, commitment, organisation.roles)
        if reason is not None:
            yield Signal("escalation-gap", commitment.id, reason)
    if not role.commitments:
        yield Signal("promises-nothing")
    due = review_overdue(role, today)
    if due is not None:
        yield Signal("review-overdue", detail=due.isoformat())
    for expectation in unused_expectations(role):
        yield Signal("unused-expectation", expectation)


LoadCache = PerRole[RoleLoad]
"""Role loads assessed before, by role id, with what each was assessed from."""


def _load_inputs(
    role: Role, roles: Mapping[str, Role], holders: Mapping[str, frozenset[str]]
) -> tuple[object, ...]:
    """What :func:`role_signals` reads of the organisation: the role, the roles that make
    each of its services and the roles its commitments escalate to."""
    commitments = role.commitments
    return (
        role,
        tuple([holders.get(same_service(c.service)) for c in commitments]),
        tuple([roles.get(c.escalate_to or "") for c in commitments]),
    )


def shown_kinds(settings: Settings) -> frozenset[SignalKind]:
    """The signals shown: those without a code, and those whose code is not turned off."""
    rules = dict(settings.rules)
    return frozenset(
        kind
        for kind, code in SIGNAL_CODES.items()
        if code is None or codes.configured_severity(code, rules) is not None
    )


def assess(
    organisation: Organisation,
    settings: Settings,
    today: dt.date | None,
    cache: LoadCache | None = None,
) -> Workload:
    """Every role's workload, the most at risk first (then the least slack, then by title).

    With ``cache`` (kept while the settings and the date stay the same), a role whose
    inputs (:func:`_load_inputs`) are unchanged keeps the load assessed before.
    """
    holders = service_holders(organisation.roles.values())
    shown = shown_kinds(settings)

    def load_of(role: Role) -> RoleLoad:
        found = role_signals(role, organisation, settings, today, holders)
        signals = tuple(s for s in found if s.kind in shown)
        unshared = sum(1 for r in role.responsibilities if r.share is None)
        return RoleLoad(role, share_total(role), unshared, signals)

    roles = organisation.roles
    if cache is None:
        loads = [load_of(role) for role in roles.values()]
    else:
        loads = [
            kept_or_made(
                cache, role.id, _load_inputs(role, roles, holders), functools.partial(load_of, role)
            )
            for role in roles.values()
        ]
        forget_others(cache, roles.keys())

    def order(load: RoleLoad) -> tuple[int, float, str, str]:
        slack = load.slack if load.slack is not None else 100.0
        return (-load.risk, slack, load.role.title.casefold(), load.role.id)

    return Workload(tuple(sorted(loads, key=order)))

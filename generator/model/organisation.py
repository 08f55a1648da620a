"""The organisation as frozen values: teams, roles and what they promise."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

from generator.model.calendar import BusinessCalendar

Better = Literal["lower", "higher"]
Hours = Literal["business", "always"]
Level = Literal["meets", "exceeds"]
Source = Literal["manual", "feedback", "requests"]
Metric = Literal["response", "resolution"]


@dataclass(frozen=True, slots=True)
class Team:
    """A department or team of the organisation tree."""

    id: str
    name: str
    parent: str | None = None
    lead: str | None = None
    channel: str | None = None
    kind: Literal["internal", "external"] = "internal"
    line: int = 0
    calendar: BusinessCalendar | None = None
    """The team's own business calendar; None: the parent's (or the organisation's)."""


@dataclass(frozen=True, slots=True)
class Responsibility:
    """One part of a role's outline of work."""

    id: str
    text: str
    share: float | None = None


@dataclass(frozen=True, slots=True)
class Expectation:
    """What "good" means for one part of the work, measurably."""

    id: str
    text: str
    better: Better
    meets: float
    exceeds: float | None = None
    measure: str | None = None
    volume: str | None = None
    source: Source = "manual"
    commitment: str | None = None
    metric: Metric | None = None
    """For ``source: requests``: whether the response or the resolution target counts."""

    def key(self, role_id: str) -> str:
        """``<role-id>/<expectation-id>``: how reports name this expectation."""
        return f"{role_id}/{self.id}"


@dataclass(frozen=True, slots=True)
class Target:
    """How fast a commitment is answered and resolved at one priority."""

    priority: str
    response: str
    resolution: str | None = None


@dataclass(frozen=True, slots=True)
class Commitment:
    """A service a role promises to its internal customers."""

    id: str
    service: str
    customers: tuple[str, ...]
    request_via: str
    targets: tuple[Target, ...]
    requester_provides: tuple[str, ...] = ()
    hours: Hours = "business"
    escalate_to: str | None = None
    keywords: tuple[str, ...] = ()
    """Other words people type when they look for the service."""


@dataclass(frozen=True, slots=True)
class Reward:
    """A reward and the expectation levels it requires."""

    id: str
    reward: str
    requires: Mapping[str, Level] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Role:
    """One role of the organisation, as written in ``roles/<id>.yaml``."""

    id: str
    title: str
    team: str
    summary: str
    source: str
    responsibilities: tuple[Responsibility, ...]
    expectations: tuple[Expectation, ...]
    commitments: tuple[Commitment, ...] = ()
    rewards: tuple[Reward, ...] = ()
    reports_to: str | None = None
    owners: tuple[str, ...] = ()
    review_by: str | None = None

    def feedback_keys(self) -> tuple[str, ...]:
        """``<role-id>/<commitment-id>`` for each commitment: feedback identity."""
        return tuple(f"{self.id}/{c.id}" for c in self.commitments)


@dataclass(frozen=True, slots=True)
class Organisation:
    """Every team and role, in file order; ids are unique after a clean load."""

    name: str
    teams: Mapping[str, Team]
    roles: Mapping[str, Role]

    def feedback_keys(self) -> frozenset[str]:
        """Every valid ``<role-id>/<commitment-id>`` of the organisation."""
        return frozenset(key for role in self.roles.values() for key in role.feedback_keys())

    def calendar_of(self, team_id: str, default: BusinessCalendar) -> BusinessCalendar:
        """A team's business calendar: its own, its nearest ancestor's, or ``default``."""
        seen: set[str] = set()
        current: str | None = team_id
        while current is not None and current not in seen:
            seen.add(current)
            team = self.teams.get(current)
            if team is None:
                break
            if team.calendar is not None:
                return team.calendar
            current = team.parent
        return default

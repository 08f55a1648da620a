"""Lookups over the organisation, computed once per build (never per page)."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field

from generator.model.organisation import Commitment, Organisation, Role, Team

EVERYONE = "everyone"


@dataclass(frozen=True, slots=True)
class Service:
    """A commitment together with the role that makes it."""

    role: Role
    commitment: Commitment

    @property
    def key(self) -> str:
        """The feedback identity ``<role-id>/<commitment-id>``."""
        return f"{self.role.id}/{self.commitment.id}"


@dataclass(slots=True)
class OrgIndex:
    """Team tree, team membership, services and the internal-customer relation."""

    organisation: Organisation
    children: dict[str | None, list[Team]] = field(default_factory=dict)
    order: dict[str, int] = field(default_factory=dict)
    """Each team's position in the tree's display order (:meth:`walk`)."""
    roles_by_team: dict[str, list[Role]] = field(default_factory=dict)
    services_by_team: dict[str, list[Service]] = field(default_factory=dict)
    served: dict[str, list[Service]] = field(default_factory=dict)
    """Services promised to a team in particular (to it, a team above it or its roles),
    by customer team; services for everyone are in ``for_everyone`` only, so the index
    grows with the services, not with teams × services."""
    for_everyone: list[Service] = field(default_factory=list)
    """Services promised to everyone: shown once, not on every team's "Who serves" page."""
    everyone_by_team: Counter[str] = field(default_factory=Counter)
    """The number of services for everyone each provider team promises."""
    _subtrees: dict[str, tuple[str, ...]] = field(default_factory=dict, repr=False)
    _departments: dict[str, Team | None] = field(default_factory=dict, repr=False)

    @classmethod
    def build(cls, organisation: Organisation) -> OrgIndex:
        """Compute every lookup in one pass over teams, roles and commitments."""
        index = cls(organisation)
        index._index_teams()
        index._index_services()
        return index

    def _index_teams(self) -> None:
        children: defaultdict[str | None, list[Team]] = defaultdict(list)
        for team in self.organisation.teams.values():
            parent = team.parent if team.parent in self.organisation.teams else None
            children[parent].append(team)
        self.children = dict(children)
        self.order = {team.id: i for i, (_, team) in enumerate(self.walk())}
        roles: defaultdict[str, list[Role]] = defaultdict(list)
        for role in self.organisation.roles.values():
            roles[role.team].append(role)
        self.roles_by_team = dict(roles)

    def _index_services(self) -> None:
        offered: defaultdict[str, list[Service]] = defaultdict(list)
        served: defaultdict[str, list[Service]] = defaultdict(list)
        for role in self.organisation.roles.values():
            for commitment in role.commitments:
                service = Service(role, commitment)
                offered[role.team].append(service)
                if EVERYONE in commitment.customers:
                    self.for_everyone.append(service)
                    self.everyone_by_team[role.team] += 1
                    continue
                for team_id in self.customer_teams(commitment):
                    served[team_id].append(service)
        self.services_by_team = dict(offered)
        self.served = dict(served)

    def served_count(self, team_id: str) -> int:
        """The number of services a team's people can ask for: its own and everyone's."""
        return len(self.served.get(team_id, ())) + len(self.for_everyone)

    def customer_teams(self, commitment: Commitment) -> list[str]:
        """Ids of the teams any of whose roles a commitment serves, in tree order, once each."""
        found: dict[str, None] = {}
        for customer in commitment.customers:
            kind, _, ident = customer.partition(":")
            if customer == EVERYONE:
                found.update(dict.fromkeys(self.organisation.teams))
            elif kind == "team":
                found.update(dict.fromkeys(self._subtree_ids(ident)))
            elif kind == "role" and ident in self.organisation.roles:
                found[self.organisation.roles[ident].team] = None
        return list(found)

    def subtree(self, team_id: str) -> Iterator[Team]:
        """A team and all teams below it, depth first."""
        team = self.organisation.teams.get(team_id)
        if team is None:
            return
        stack = [team]
        while stack:
            current = stack.pop()
            yield current
            stack.extend(reversed(self.children.get(current.id, [])))

    def _subtree_ids(self, team_id: str) -> tuple[str, ...]:
        """Ids of :meth:`subtree`, worked out once per team."""
        found = self._subtrees.get(team_id)
        if found is None:
            found = self._subtrees[team_id] = tuple(t.id for t in self.subtree(team_id))
        return found

    def walk(self, parent: str | None = None, depth: int = 0) -> Iterator[tuple[int, Team]]:
        """(depth, team) over the whole tree in display order."""
        for team in self.children.get(parent, []):
            yield depth, team
            yield from self.walk(team.id, depth + 1)

    def department(self, team_id: str) -> Team | None:
        """The department a team belongs to: its ancestor just below the top (a top team itself)."""
        if team_id not in self._departments:
            chain = self.breadcrumbs(team_id)
            found = chain[1] if len(chain) > 1 else (chain[0] if chain else None)
            self._departments[team_id] = found
        return self._departments[team_id]

    def by_department(
        self, services: dict[str, list[Service]]
    ) -> list[tuple[Team, list[tuple[int, Team, list[Service]]]]]:
        """Services by team (``services``) grouped by department, in tree order.

        Each department comes with (depth, team, its services) for every team of it that
        has any; a top team holds only its own services, its departments the rest.
        """
        groups: dict[str, tuple[Team, list[tuple[int, Team, list[Service]]]]] = {}
        for depth, team in self.walk():
            found = services.get(team.id)
            department = self.department(team.id)
            if found and department is not None:
                groups.setdefault(department.id, (department, []))[1].append((depth, team, found))
        return list(groups.values())

    def breadcrumbs(self, team_id: str) -> list[Team]:
        """The chain of teams from the top down to ``team_id``."""
        chain: list[Team] = []
        current = self.organisation.teams.get(team_id)
        while current is not None and current not in chain:
            chain.append(current)
            current = self.organisation.teams.get(current.parent or "")
        return list(reversed(chain))

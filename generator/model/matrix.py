"""Which teams serve which, counted without fan-out: the internal-customer matrix.

A commitment counts once in each *column* its customers name: ``everyone`` is a column
of its own (it does not fan out to every team), ``team:X`` is X's column (its sub-teams
are included, as the commitment says, but not counted again), and ``role:R`` is the
column of R's team. Rows are the teams whose roles make the commitments.
"""

from __future__ import annotations

import functools
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field

from generator.model.index import EVERYONE, OrgIndex
from generator.model.kept import PerRole, forget_others, kept_or_made
from generator.model.organisation import Commitment, Organisation, Role

OTHERS = "+others"
"""The row and column that count every team a folded matrix leaves out; no team id has a ``+``."""


def columns_of(commitment: Commitment, organisation: Organisation) -> list[str]:
    """The matrix columns a commitment's customers name, once each, in the order written."""
    found: dict[str, None] = {}
    for customer in commitment.customers:
        kind, _, ident = customer.partition(":")
        if customer == EVERYONE:
            found[EVERYONE] = None
        elif kind == "team" and ident in organisation.teams:
            found[ident] = None
        elif kind == "role" and ident in organisation.roles:
            found[organisation.roles[ident].team] = None
    return list(found)


Counted = list[tuple[str, list[str]]]
"""(provider team, :func:`columns_of`) of commitments."""
ColumnCache = PerRole[Counted]
"""A role's :data:`Counted` commitments by role id, while the teams and roles' teams stay."""


def commitment_columns(organisation: Organisation, kept: ColumnCache | None = None) -> Counted:
    """(provider team, :func:`columns_of`) of every commitment, in the roles' order.

    With ``kept`` (emptied whenever a team or a role's team changes), the columns of a
    role unchanged since the last call are not worked out again.
    """

    def of_role(role: Role) -> Counted:
        return [(role.team, columns_of(c, organisation)) for c in role.commitments]

    roles = organisation.roles.values()
    if kept is None:
        return [column for role in roles for column in of_role(role)]
    counted: Counted = []
    for role in roles:  # (role,): compared by identity first, as a tuple's items are
        columns: Counted = kept_or_made(kept, role.id, (role,), functools.partial(of_role, role))
        counted.extend(columns)
    forget_others(kept, organisation.roles.keys())
    return counted


@dataclass(frozen=True, slots=True)
class CustomerMatrix:
    """Provider teams × customer columns, each cell the number of services."""

    providers: tuple[str, ...]
    """Teams that make at least one commitment, in tree order."""
    columns: tuple[str, ...]
    """``everyone`` first (when any service is for everyone), then customer teams in tree order."""
    cells: Mapping[tuple[str, str], int]
    _rows: dict[str, list[tuple[str, int]]] = field(default_factory=dict, compare=False, repr=False)
    """Every provider's row, filled on first use (a page per team reads its own)."""

    def count(self, provider: str, column: str) -> int:
        """The number of services ``provider`` gives to ``column`` (0 when none)."""
        return self.cells.get((provider, column), 0)

    def row(self, provider: str) -> list[tuple[str, int]]:
        """(column, count) of every column ``provider`` serves, in column order."""
        if not self._rows and self.cells:
            position = {column: i for i, column in enumerate(self.columns)}
            found: dict[str, list[tuple[int, str, int]]] = {}
            for (row, column), n in self.cells.items():
                if n and column in position:
                    found.setdefault(row, []).append((position[column], column, n))
            for row, items in found.items():
                self._rows[row] = [(column, n) for _, column, n in sorted(items)]
        return list(self._rows.get(provider, ()))

    @property
    def largest(self) -> int:
        """The largest count of any cell (0 for an organisation without services)."""
        return max(self.cells.values(), default=0)

    @property
    def teams(self) -> tuple[str, ...]:
        """Every team in a row or a column, once, ``everyone`` not counted."""
        return tuple(t for t in dict.fromkeys((*self.providers, *self.columns)) if t != EVERYONE)

    def folded(self, limit: int, *, rows: bool = True) -> CustomerMatrix:
        """The matrix with at most ``limit`` teams: the busiest, the rest counted as ``OTHERS``.

        A team's business is the number of services in its row and its column. ``everyone``
        is never folded. With ``rows=False`` only the columns are folded (every provider
        keeps its own row). The matrix itself when no more than ``limit`` teams are in it.
        """
        teams = self.teams
        if len(teams) <= limit:
            return self
        business: Counter[str] = Counter()
        for (provider, column), count in self.cells.items():
            business[provider] += count
            business[column] += count
        ranked = sorted(teams, key=lambda t: -business[t])  # stable: tree order among equals
        kept = set(ranked[:limit])
        row_of = {t: t if t in kept or not rows else OTHERS for t in self.providers}
        cells: Counter[tuple[str, str]] = Counter()
        for (provider, column), count in self.cells.items():
            folded = column if column in kept or column == EVERYONE else OTHERS
            cells[(row_of[provider], folded)] += count
        providers = tuple(dict.fromkeys(row_of[p] for p in self.providers if row_of[p] != OTHERS))
        if OTHERS in row_of.values():
            providers += (OTHERS,)
        columns = tuple(c for c in self.columns if c in kept or c == EVERYONE)
        if any(c not in kept and c != EVERYONE for c in self.columns):
            columns += (OTHERS,)
        return CustomerMatrix(providers, columns, dict(cells))

    @classmethod
    def build(
        cls,
        index: OrgIndex,
        *,
        departments: bool = False,
        counted: Counted | None = None,
    ) -> CustomerMatrix:
        """Count every commitment of the organisation into its row and columns.

        With ``departments``, rows and columns are departments (a team counts in the
        row and the column of its department): the map of a large organisation.
        ``counted`` is :func:`commitment_columns` of the organisation, when known.
        """
        organisation = index.organisation
        group: dict[str, str] = {}
        if departments:
            for team_id in organisation.teams:
                department = index.department(team_id)
                group[team_id] = department.id if department else team_id
        if counted is None:
            counted = commitment_columns(organisation)
        cells: Counter[tuple[str, str]] = Counter()
        for team, named in counted:
            row = group.get(team, team)
            for column in dict.fromkeys(group.get(c, c) for c in named):
                cells[(row, column)] += 1
        order = [team.id for _, team in index.walk()]
        rows = {provider for provider, _ in cells}
        used = {column for _, column in cells}
        providers = tuple(t for t in order if t in rows)
        columns = ((EVERYONE,) if EVERYONE in used else ()) + tuple(t for t in order if t in used)
        return cls(providers, columns, dict(cells))


def served_by(index: OrgIndex, team_id: str) -> list[tuple[str, int]]:
    """(provider team, number of services) of every other team that serves ``team_id``.

    Services for everyone, for the team or a team above it, and for any of its roles all
    count; the most services first, then in tree order.
    """
    counts = index.everyone_by_team.copy()
    counts.update(s.role.team for s in index.served.get(team_id, []))
    del counts[team_id]
    order = index.order
    return sorted(
        ((team, n) for team, n in counts.items() if n),
        key=lambda item: (-item[1], order.get(item[0], len(order))),
    )


def serves(matrix: CustomerMatrix, team_id: str) -> list[tuple[str, int]]:
    """(column, number of services) of everyone ``team_id`` serves but itself, most first."""
    order = {column: i for i, column in enumerate(matrix.columns)}
    row = [(c, n) for c, n in matrix.row(team_id) if c != team_id]
    return sorted(row, key=lambda item: (-item[1], order[item[0]]))

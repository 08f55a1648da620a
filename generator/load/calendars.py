"""Teams' own business calendars from teams.yaml, each on top of its parent's."""

from __future__ import annotations

import dataclasses
from typing import Any

from generator.diagnostics import codes
from generator.diagnostics.values import Diagnostic
from generator.load.strict_yaml import Document
from generator.model.calendar import BusinessCalendar, CalendarError, calendar_from_config
from generator.model.organisation import Team


def with_calendars(
    teams: list[Team], doc: Document, base: BusinessCalendar
) -> tuple[list[Team], list[Diagnostic]]:
    """``teams`` with the calendars teams.yaml gives them; a team inherits its parent's.

    A team's ``calendar:`` replaces only the settings it names, on top of the calendar of
    its parent (or the organisation's, ``base``). A calendar that cannot be used is
    reported at its field and the team keeps its parent's.
    """
    entries: list[Any] = doc.data["teams"]
    given = {
        team.id: (index, entries[index].get("calendar"))
        for index, team in enumerate(teams)
        if isinstance(entries[index], dict) and entries[index].get("calendar") is not None
    }
    parents = {team.id: team.parent for team in teams}
    diags: list[Diagnostic] = []
    effective: dict[str, BusinessCalendar] = {}

    def resolve(team_id: str | None, seen: frozenset[str]) -> BusinessCalendar:
        if team_id is None or team_id in seen or team_id not in parents:
            return base
        if team_id in effective:
            return effective[team_id]
        inherited = resolve(parents[team_id], seen | {team_id})
        own = given.get(team_id)
        calendar = inherited
        if own is not None:
            index, data = own
            try:
                calendar = calendar_from_config(data, base=inherited, field="calendar")
            except CalendarError as error:
                diags.append(_problem(doc, index, error))
        effective[team_id] = calendar
        return calendar

    result = []
    for team in teams:
        calendar = resolve(team.id, frozenset())
        result.append(dataclasses.replace(team, calendar=calendar) if team.id in given else team)
    return result, diags


def _problem(doc: Document, index: int, error: CalendarError) -> Diagnostic:
    parts = error.field.split(".")[1:]
    path: tuple[str | int, ...] = ("teams", index, "calendar", *parts)
    return doc.diagnostic(path, error.message, code=codes.CALENDAR, hint=error.hint)

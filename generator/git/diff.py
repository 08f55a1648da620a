"""What a change to the organisation means for people, in plain words.

:func:`diff_organisations` compares two :class:`~generator.model.Organisation` values
(two git revisions, or a revision and the working tree) and lists every meaningful
change: roles added, removed, renamed or moved between teams; responsibilities,
expectation levels, service targets and customers, reward criteria and owners
changed; feedback keys renamed. The result renders as Markdown (a pull-request
comment or job summary) or JSON.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from generator.git import revisions as gitrev
from generator.model import durations
from generator.model.changes import Change, Direction
from generator.model.organisation import (
    Commitment,
    Expectation,
    Organisation,
    Responsibility,
    Reward,
    Role,
    Team,
)
from generator.model.settings import Settings

_Item = TypeVar("_Item", Responsibility, Expectation, Commitment, Reward)

_TEXT_LIMIT = 100


@dataclass(frozen=True, slots=True)
class _Names:
    """Team names and role titles, from the newer organisation first."""

    old: Organisation | None
    new: Organisation | None
    business_day_hours: float = 8.0

    def team(self, team_id: str | None) -> str:
        for org in (self.new, self.old):
            if org is not None and team_id is not None and team_id in org.teams:
                return org.teams[team_id].name
        return team_id or "none"

    def role(self, role_id: str | None) -> str:
        for org in (self.new, self.old):
            if org is not None and role_id is not None and role_id in org.roles:
                return org.roles[role_id].title
        return role_id or "nobody"

    def customer(self, customer: str) -> str:
        kind, _, ident = customer.partition(":")
        if customer == "everyone":
            return "everyone"
        if kind == "team":
            return f"everyone in {self.team(ident)}"
        return self.role(ident)


def _quote(value: object) -> str:
    text = " ".join(str(value).split())
    if len(text) > _TEXT_LIMIT:
        text = text[: _TEXT_LIMIT - 1].rstrip() + "…"
    return f"“{text}”"


def _number(value: float | None) -> str:
    return "none" if value is None else f"{value:g}"


def _listing(items: Iterable[str]) -> str:
    return ", ".join(items) or "none"


# -- organisation and teams ---------------------------------------------------------------


def diff_organisations(
    old: Organisation, new: Organisation, *, business_day_hours: float = 8.0
) -> list[Change]:
    """Every meaningful change from ``old`` to ``new``: teams first, then roles."""
    names = _Names(old, new, business_day_hours)
    changes = list(_diff_teams(old.teams, new.teams, names))
    removed = [r for rid, r in old.roles.items() if rid not in new.roles]
    added = [r for rid, r in new.roles.items() if rid not in old.roles]
    renamed = _pair(removed, added, _same_role)
    renamed_to = {b.id: a for a, b in renamed}
    renamed_from = {a.id for a, _ in renamed}
    for role in new.roles.values():
        if role.id in old.roles:
            changes.extend(_diff_roles(old.roles[role.id], role, names))
        elif role.id in renamed_to:
            changes.extend(_diff_roles(renamed_to[role.id], role, names))
        else:
            changes.append(_role_added(role, names))
    for role in removed:
        if role.id not in renamed_from:
            changes.append(
                Change(
                    "role-removed",
                    f"role removed: {role.title} ({role.id}), team {names.team(role.team)}"
                    + _feedback_note(role.feedback_keys()),
                    role=role.id,
                    before=role.source,
                )
            )
    return changes


def _feedback_note(keys: Sequence[str]) -> str:
    if not keys:
        return ""
    return f"; feedback on {_listing(keys)} will no longer be shown"


def _role_added(role: Role, names: _Names) -> Change:
    manager = f", reports to {names.role(role.reports_to)}" if role.reports_to else ""
    return Change(
        "role-added",
        f"new role: {role.title} ({role.id}) in {names.team(role.team)}{manager}",
        role=role.id,
        after=role.source,
    )


def _same_role(old: Role, new: Role) -> bool:
    return old.source == new.source or (old.title == new.title and old.team == new.team)


def _diff_teams(
    old: Mapping[str, Team], new: Mapping[str, Team], names: _Names
) -> Iterator[Change]:
    for team in new.values():
        before = old.get(team.id)
        if before is None:
            where = f" under {names.team(team.parent)}" if team.parent else ""
            yield Change("team-added", f"new team: {team.name}{where}", team=team.id)
            continue
        for name, words in (
            ("name", "name"),
            ("parent", "part of"),
            ("lead", "led by"),
            ("channel", "channel"),
            ("kind", "kind"),
        ):
            was, now = getattr(before, name), getattr(team, name)
            if was == now:
                continue
            show: Callable[[str | None], str] = {
                "parent": names.team,
                "lead": names.role,
            }.get(name, lambda v: _quote(v) if v else "none")
            yield Change(
                "team-changed",
                f"team {team.name}: {words} {show(was)} → {show(now)}",
                team=team.id,
                field=name,
                before=was,
                after=now,
            )
    for team in old.values():
        if team.id not in new:
            yield Change("team-removed", f"team removed: {team.name}", team=team.id)


# -- roles ------------------------------------------------------------------------------


def diff_roles(
    old: Role,
    new: Role,
    *,
    business_day_hours: float = 8.0,
    organisation: Organisation | None = None,
) -> list[Change]:
    """Every meaningful change between two versions of one role (its id may differ).

    ``organisation`` (e.g. today's) names the teams and roles the changes refer to.
    """
    return _diff_roles(old, new, _Names(None, organisation, business_day_hours))


def _diff_roles(old: Role, new: Role, names: _Names) -> list[Change]:
    changes: list[Change] = []

    def add(  # noqa: PLR0917 - a local shorthand for one Change per field
        kind: str,
        words: str,
        field: str = "",
        before: Any = None,
        after: Any = None,
        direction: Direction | None = None,
    ) -> None:
        changes.append(Change(kind, words, new.id, None, field, before, after, direction))

    if old.id != new.id:
        add("role-renamed", f"role id {old.id} → {new.id}", "id", old.id, new.id)
    if old.team != new.team:
        add(
            "role-moved",
            f"moved from {names.team(old.team)} to {names.team(new.team)}",
            "team",
            old.team,
            new.team,
        )
    if old.title != new.title:
        add(
            "role-changed",
            f"title {_quote(old.title)} → {_quote(new.title)}",
            "title",
            old.title,
            new.title,
        )
    if old.reports_to != new.reports_to:
        add(
            "role-changed",
            f"reports to {names.role(new.reports_to)} (was {names.role(old.reports_to)})",
            "reports_to",
            old.reports_to,
            new.reports_to,
        )
    if old.summary.split() != new.summary.split():
        add(
            "role-changed",
            f"summary rewritten: {_quote(new.summary)}",
            "summary",
            old.summary,
            new.summary,
        )
    if old.review_by != new.review_by:
        add(
            "role-changed",
            f"review by {old.review_by or 'no date'} → {new.review_by or 'no date'}",
            "review_by",
            old.review_by,
            new.review_by,
        )
    if old.owners != new.owners:
        gained = [o for o in new.owners if o not in old.owners]
        lost = [o for o in old.owners if o not in new.owners]
        parts = [f"added {_listing(gained)}"] if gained else []
        parts += [f"removed {_listing(lost)}"] if lost else []
        add(
            "owners-changed",
            f"owners: {'; '.join(parts) or 'reordered'} (now {_listing(new.owners)})",
            "owners",
            list(old.owners),
            list(new.owners),
        )
    if old.source != new.source:
        add(
            "file-moved",
            f"file moved from {old.source} to {new.source}",
            "source",
            old.source,
            new.source,
        )
    changes.extend(_diff_responsibilities(old, new))
    changes.extend(_diff_expectations(old, new))
    changes.extend(_diff_commitments(old, new, names))
    changes.extend(_diff_rewards(old, new))
    return changes


def _pair(
    removed: Sequence[Any], added: Sequence[Any], same: Callable[[Any, Any], bool]
) -> list[tuple[Any, Any]]:
    """Pair removed and added items that are the same thing under a new id."""
    pairs: list[tuple[Any, Any]] = []
    taken: set[int] = set()
    for old in removed:
        for index, new in enumerate(added):
            if index not in taken and same(old, new):
                pairs.append((old, new))
                taken.add(index)
                break
    return pairs


def _match(
    old: Sequence[_Item], new: Sequence[_Item], same: Callable[[_Item, _Item], bool]
) -> tuple[list[tuple[_Item, _Item]], list[_Item], list[_Item]]:
    """(kept or renamed pairs, removed, added) between two lists of items with ids."""
    old_ids = {item.id for item in old}
    new_ids = {item.id for item in new}
    by_id = {item.id: item for item in old}
    pairs = [(by_id[item.id], item) for item in new if item.id in old_ids]
    gone = [item for item in old if item.id not in new_ids]
    came = [item for item in new if item.id not in old_ids]
    renamed = _pair(gone, came, same)
    pairs += renamed
    gone = [item for item in gone if all(item is not a for a, _ in renamed)]
    came = [item for item in came if all(item is not b for _, b in renamed)]
    return pairs, gone, came


def _renamed(role: Role, what: str, old_id: str, new_id: str) -> Change:
    return Change(
        f"{what}-changed",
        f"{what} id {old_id} → {new_id}",
        role.id,
        None,
        f"{what}s.{new_id}.id",
        old_id,
        new_id,
    )


def _diff_responsibilities(old: Role, new: Role) -> Iterator[Change]:
    pairs, gone, came = _match(
        old.responsibilities, new.responsibilities, lambda a, b: a.text == b.text
    )
    for item in came:
        share = f" ({item.share:g}% of working time)" if item.share else ""
        yield Change(
            "responsibility-added",
            f"new responsibility: {_quote(item.text)}{share}",
            new.id,
            field=f"responsibilities.{item.id}",
            after=item.text,
        )
    for item in gone:
        yield Change(
            "responsibility-removed",
            f"responsibility removed: {_quote(item.text)}",
            new.id,
            field=f"responsibilities.{item.id}",
            before=item.text,
        )
    for was, now in pairs:
        where = f"responsibilities.{now.id}"
        if was.id != now.id:
            yield _renamed(new, "responsibility", was.id, now.id)
        if was.text.split() != now.text.split():
            yield Change(
                "responsibility-changed",
                f"responsibility {now.id} reworded: {_quote(now.text)}",
                new.id,
                field=f"{where}.text",
                before=was.text,
                after=now.text,
            )
        if was.share != now.share:
            direction: Direction | None = None
            if was.share is not None and now.share is not None:
                direction = "stricter" if now.share > was.share else "looser"
            yield Change(
                "responsibility-changed",
                f"{now.id}: share of working time {_share(was.share)} → {_share(now.share)}",
                new.id,
                field=f"{where}.share",
                before=was.share,
                after=now.share,
                direction=direction,
            )


def _share(value: float | None) -> str:
    return "not set" if value is None else f"{value:g}%"


def _measure(expectation: Expectation) -> str:
    if expectation.source == "feedback":
        return "mean rating from internal customers (1–5)"
    return expectation.measure or ""


def _level_direction(better: str, before: float, after: float) -> Direction:
    harder = after < before if better == "lower" else after > before
    return "stricter" if harder else "looser"


def _diff_expectations(old: Role, new: Role) -> Iterator[Change]:
    pairs, gone, came = _match(old.expectations, new.expectations, lambda a, b: a.text == b.text)
    for item in came:
        yield Change(
            "expectation-added",
            f"new expectation {item.id}: {_quote(item.text)}, meets "
            f"{_number(item.meets)} {_measure(item)}".rstrip(),
            new.id,
            field=f"expectations.{item.id}",
            after=item,
        )
    for item in gone:
        yield Change(
            "expectation-removed",
            f"expectation removed: {item.id} ({_quote(item.text)})",
            new.id,
            field=f"expectations.{item.id}",
            before=item,
        )
    for was, now in pairs:
        yield from _diff_expectation(new, was, now)


def _diff_expectation(role: Role, was: Expectation, now: Expectation) -> Iterator[Change]:
    where = f"expectations.{now.id}"
    if was.id != now.id:
        yield _renamed(role, "expectation", was.id, now.id)
    if was.better != now.better:
        yield Change(
            "expectation-changed",
            f"{now.id}: {now.better} is now better (was {was.better})",
            role.id,
            field=f"{where}.better",
            before=was.better,
            after=now.better,
        )
    for level in ("meets", "exceeds"):
        before, after = getattr(was, level), getattr(now, level)
        if before == after:
            continue
        direction: Direction | None = None
        note = ""
        if before is not None and after is not None and was.better == now.better:
            direction = _level_direction(now.better, before, after)
            note = f" ({direction})"
        measure = f" {_measure(now)}" if _measure(now) else ""
        yield Change(
            "expectation-level",
            f"{now.id}: {level} {_number(before)} → {_number(after)}{measure}{note}",
            role.id,
            field=f"{where}.{level}",
            before=before,
            after=after,
            direction=direction,
        )
    for name, label in (
        ("text", "reworded"),
        ("measure", "measured as"),
        ("volume", "volume"),
        ("source", "measured by"),
        ("commitment", "feedback from service"),
    ):
        before, after = getattr(was, name), getattr(now, name)
        if before == after or (name == "text" and before.split() == after.split()):
            continue
        words = (
            f"{now.id} reworded: {_quote(after)}"
            if name == "text"
            else f"{now.id}: {label} {_quote(before) if before else 'none'} → "
            f"{_quote(after) if after else 'none'}"
        )
        yield Change(
            "expectation-changed",
            words,
            role.id,
            field=f"{where}.{name}",
            before=before,
            after=after,
        )


def _same_commitment(a: Commitment, b: Commitment) -> bool:
    return a.service == b.service or (
        a.customers == b.customers and a.request_via == b.request_via and a.targets == b.targets
    )


def _diff_commitments(old: Role, new: Role, names: _Names) -> Iterator[Change]:
    pairs, gone, came = _match(old.commitments, new.commitments, _same_commitment)
    if old.id != new.id:
        for was, now in pairs:
            yield _feedback_renamed(new, f"{old.id}/{was.id}", f"{new.id}/{now.id}")
    for item in came:
        who = _listing(names.customer(c) for c in item.customers)
        first = item.targets[0]
        yield Change(
            "commitment-added",
            f"new service {_quote(item.service)} for {who}; {first.priority} requests "
            f"answered within {durations.in_words(first.response, hours=item.hours)}",
            new.id,
            field=f"commitments.{item.id}",
            after=item,
        )
    for item in gone:
        yield Change(
            "commitment-removed",
            f"service withdrawn: {_quote(item.service)} ({item.id})"
            + _feedback_note([f"{old.id}/{item.id}"]),
            new.id,
            field=f"commitments.{item.id}",
            before=item,
        )
    for was, now in pairs:
        yield from _diff_commitment(old, new, was, now, names)


def _feedback_renamed(role: Role, before: str, after: str) -> Change:
    return Change(
        "feedback-key-renamed",
        f"feedback key {before} → {after}: feedback given before the change will no longer attach",
        role.id,
        field="feedback",
        before=before,
        after=after,
    )


def _diff_commitment(
    old_role: Role, role: Role, was: Commitment, now: Commitment, names: _Names
) -> Iterator[Change]:
    where = f"commitments.{now.id}"
    if was.id != now.id:
        yield _renamed(role, "commitment", was.id, now.id)
        if old_role.id == role.id:
            yield _feedback_renamed(role, f"{old_role.id}/{was.id}", f"{role.id}/{now.id}")
    if was.service != now.service:
        yield Change(
            "commitment-changed",
            f"{now.id}: service {_quote(was.service)} → {_quote(now.service)}",
            role.id,
            field=f"{where}.service",
            before=was.service,
            after=now.service,
        )
    if set(was.customers) != set(now.customers):
        gained = [names.customer(c) for c in now.customers if c not in was.customers]
        lost = [names.customer(c) for c in was.customers if c not in now.customers]
        parts = [f"now also for {_listing(gained)}"] if gained else []
        parts += [f"no longer for {_listing(lost)}"] if lost else []
        yield Change(
            "commitment-customers",
            f"{now.id}: {'; '.join(parts)}",
            role.id,
            field=f"{where}.customers",
            before=list(was.customers),
            after=list(now.customers),
        )
    if was.hours != now.hours:
        hours = {"business": "business hours on working days", "always": "around the clock"}
        yield Change(
            "commitment-changed",
            f"{now.id}: targets count {hours[now.hours]} (was {hours[was.hours]})",
            role.id,
            field=f"{where}.hours",
            before=was.hours,
            after=now.hours,
        )
    yield from _diff_targets(role, was, now, names.business_day_hours)
    for name, label in (("request_via", "ask via"), ("escalate_to", "escalate to")):
        before, after = getattr(was, name), getattr(now, name)
        if before != after:
            show = names.role if name == "escalate_to" else (lambda v: _quote(v) if v else "none")
            yield Change(
                "commitment-changed",
                f"{now.id}: {label} {show(before)} → {show(after)}",
                role.id,
                field=f"{where}.{name}",
                before=before,
                after=after,
            )
    if was.requester_provides != now.requester_provides:
        gained = [_quote(x) for x in now.requester_provides if x not in was.requester_provides]
        lost = [_quote(x) for x in was.requester_provides if x not in now.requester_provides]
        parts = [f"now asks for {_listing(gained)}"] if gained else []
        parts += [f"no longer asks for {_listing(lost)}"] if lost else []
        yield Change(
            "commitment-changed",
            f"{now.id}: what to bring: {'; '.join(parts) or 'reordered'}",
            role.id,
            field=f"{where}.requester_provides",
            before=list(was.requester_provides),
            after=list(now.requester_provides),
        )


def _diff_targets(
    role: Role, was: Commitment, now: Commitment, day_hours: float
) -> Iterator[Change]:
    before = {t.priority: t for t in was.targets}
    after = {t.priority: t for t in now.targets}
    where = f"commitments.{now.id}.targets"
    for priority, target in after.items():
        old = before.get(priority)
        if old is None:
            yield Change(
                "commitment-target",
                f"{now.id}, {priority}: new target, first response within "
                f"{durations.in_words(target.response, hours=now.hours)}",
                role.id,
                field=f"{where}.{priority}",
                after=target,
            )
            continue
        for name, label in (("response", "first response"), ("resolution", "resolved within")):
            was_text, now_text = getattr(old, name), getattr(target, name)
            if was_text == now_text and was.hours == now.hours:
                continue
            was_min = _minutes(was_text, was.hours, day_hours)
            now_min = _minutes(now_text, now.hours, day_hours)
            if was_min == now_min and was.hours == now.hours:
                continue
            direction: Direction | None = None
            if was.hours == now.hours and None not in (was_min, now_min):
                direction = "stricter" if now_min < was_min else "looser"  # type: ignore[operator]
            elif was_text and not now_text:
                direction = "looser"
            elif now_text and not was_text:
                direction = "stricter"
            if was_text == now_text:
                continue  # same words; the hours change is reported once for the service
            note = f" ({direction})" if direction else ""
            yield Change(
                "commitment-target",
                f"{now.id}, {priority}: {label} {_duration(was_text, was.hours)} → "
                f"{_duration(now_text, now.hours)}{note}",
                role.id,
                field=f"{where}.{priority}.{name}",
                before=was_text,
                after=now_text,
                direction=direction,
            )
    for priority, target in before.items():
        if priority not in after:
            yield Change(
                "commitment-target",
                f"{now.id}, {priority}: target removed",
                role.id,
                field=f"{where}.{priority}",
                before=target,
                direction="looser",
            )


def _minutes(text: str | None, hours: str, day_hours: float) -> float | None:
    return (
        None if text is None else durations.minutes(text, hours=hours, business_day_hours=day_hours)
    )


def _duration(text: str | None, hours: str) -> str:
    return "none" if text is None else durations.in_words(text, hours=hours)


_RANK = {"meets": 0, "exceeds": 1}


def _diff_rewards(old: Role, new: Role) -> Iterator[Change]:
    pairs, gone, came = _match(old.rewards, new.rewards, lambda a, b: a.reward == b.reward)
    for item in came:
        yield Change(
            "reward-added",
            f"new reward {_quote(item.reward)}, requires {_requirements(item.requires)}",
            new.id,
            field=f"rewards.{item.id}",
            after=item,
        )
    for item in gone:
        yield Change(
            "reward-removed",
            f"reward removed: {_quote(item.reward)}",
            new.id,
            field=f"rewards.{item.id}",
            before=item,
        )
    for was, now in pairs:
        where = f"rewards.{now.id}"
        if was.id != now.id:
            yield _renamed(new, "reward", was.id, now.id)
        if was.reward != now.reward:
            yield Change(
                "reward-changed",
                f"{now.id}: {_quote(was.reward)} → {_quote(now.reward)}",
                new.id,
                field=f"{where}.reward",
                before=was.reward,
                after=now.reward,
            )
        if dict(was.requires) != dict(now.requires):
            yield Change(
                "reward-criteria",
                f"{now.id}: {_criteria(was.requires, now.requires)}",
                new.id,
                field=f"{where}.requires",
                before=dict(was.requires),
                after=dict(now.requires),
                direction=_criteria_direction(was.requires, now.requires),
            )


def _requirements(requires: Mapping[str, str]) -> str:
    return _listing(f"{name}: {level}" for name, level in requires.items())


def _criteria(was: Mapping[str, str], now: Mapping[str, str]) -> str:
    parts = []
    for name, level in now.items():
        if name not in was:
            parts.append(f"now also requires {name}: {level}")
        elif was[name] != level:
            parts.append(f"requires {name}: {level} (was {was[name]})")
    parts += [f"no longer requires {name}" for name in was if name not in now]
    return "; ".join(parts)


def _criteria_direction(was: Mapping[str, str], now: Mapping[str, str]) -> Direction | None:
    harder = any(n not in was or _RANK[now[n]] > _RANK[was[n]] for n in now)
    easier = any(n not in now or _RANK[now[n]] < _RANK[was[n]] for n in was)
    if harder == easier:
        return None
    return "stricter" if harder else "looser"


# -- reporting ---------------------------------------------------------------------------------

_MD_SPECIAL = str.maketrans(
    {c: f"\\{c}" for c in "\\`*_[]|~#"} | {"&": "&amp;", "<": "&lt;", ">": "&gt;", "@": "@\u2060"}
)


def markdown_escape(text: str) -> str:
    """Text shown literally in GitHub/GitLab Markdown; ``@handles`` do not notify anyone."""
    return text.translate(_MD_SPECIAL)


def format_markdown(
    changes: Sequence[Change],
    organisation: Organisation | None = None,
    *,
    before: Organisation | None = None,
    title: str = "Handbook changes",
) -> str:
    """The changes as a Markdown section, grouped by team and role.

    ``organisation`` and ``before`` (the newer and the older one) give roles their titles.
    """
    lines = [f"## {title}", ""]
    if not changes:
        return "\n".join([*lines, "No changes to roles or teams.", ""])
    roles = {c.role for c in changes if c.role}
    stricter = sum(1 for c in changes if c.direction == "stricter")
    looser = sum(1 for c in changes if c.direction == "looser")
    breaking = sum(
        1
        for c in changes
        if c.kind in ("feedback-key-renamed", "commitment-removed", "role-removed")
    )
    summary = f"{len(changes)} change{'s' if len(changes) != 1 else ''}"
    summary += f" to {len(roles)} role{'s' if len(roles) != 1 else ''}" if roles else ""
    extra = [f"{stricter} stricter"] if stricter else []
    extra += [f"{looser} looser"] if looser else []
    extra += [f"{breaking} affecting feedback or removing something"] if breaking else []
    lines += [summary + (f" ({', '.join(extra)})" if extra else "") + ".", ""]
    teams = [c for c in changes if c.role is None]
    if teams:
        lines += ["### Teams", "", *(f"- {markdown_escape(c.words)}" for c in teams), ""]
    seen: dict[str, list[Change]] = {}
    for change in changes:
        if change.role:
            seen.setdefault(change.role, []).append(change)
    for role_id, items in seen.items():
        role = next(
            (o.roles[role_id] for o in (organisation, before) if o and role_id in o.roles), None
        )
        heading = f"{markdown_escape(role.title)} (`{role_id}`)" if role else f"`{role_id}`"
        lines += [f"### {heading}", ""]
        lines += [f"- {_marker(c)}{markdown_escape(c.words)}" for c in items]
        lines.append("")
    return "\n".join(lines)


def _marker(change: Change) -> str:
    if change.kind == "feedback-key-renamed":
        return "**Feedback:** "
    return ""


def format_json(changes: Sequence[Change], *, base: str = "", head: str = "") -> str:
    """The changes as one JSON document."""
    counts: dict[str, int] = {}
    for change in changes:
        counts[change.kind] = counts.get(change.kind, 0) + 1
    document = {
        "base": base,
        "head": head,
        "counts": counts,
        "changes": [c.as_dict() for c in changes],
    }
    return json.dumps(document, ensure_ascii=False, indent=2)


def compare(
    directory: Path, base: str, head: str | None, settings: Settings
) -> tuple[list[Change], Organisation, Organisation]:
    """The changes of the handbook in ``directory`` from revision ``base`` to ``head``.

    ``head`` None compares with the working tree. Raises
    :class:`~generator.gitrev.GitError` for an unknown revision or outside a repository.
    """
    old, _ = gitrev.load_at(directory, base, settings)
    new, _ = gitrev.load_at(directory, head, settings)
    changes = diff_organisations(
        old.organisation, new.organisation, business_day_hours=settings.business_day_hours
    )
    return changes, old.organisation, new.organisation

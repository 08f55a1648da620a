"""What a change to the organisation means for people, in plain words.

:func:`diff_organisations` compares two :class:`~generator.model.Organisation` values
(two git revisions, or a revision and the working tree) and lists every meaningful
change: roles added, removed, renamed or moved between teams; responsibilities,
expectation levels, service targets and customers, reward criteria and owners
changed; feedback keys renamed; and the rewards each change makes harder or easier
to reach. The words are in the handbook's language and name things as people know
them. The result renders as Markdown (a pull-request comment or job summary) or JSON
(:mod:`generator.git.diff_report`).

Every comparable field is one line of the tables below (``TEAM_FIELDS``,
``ROLE_FIELDS`` and the sub-items'); :mod:`generator.git.diff_fields` holds the kinds
of field.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

from generator.git import revisions as gitrev
from generator.git.diff_fields import (
    Depends,
    Duration,
    Entries,
    Items,
    Keyed,
    Members,
    Scope,
    Value,
    customer,
    date,
    expectation,
    label,
    match,
    number,
    pair,
    plain,
    role_title,
    same_words,
    service,
    team_name,
)
from generator.git.diff_report import format_json, format_markdown, markdown_escape
from generator.git.diff_rewards import effect, fed_rewards, impacts, requiring
from generator.git.diff_words import Words
from generator.i18n import mark
from generator.model.changes import Change, Direction, Impact
from generator.model.organisation import (
    Commitment,
    Expectation,
    Level,
    Organisation,
    Responsibility,
    Reward,
    Role,
    Target,
    Team,
)
from generator.model.settings import Settings

__all__ = [
    "Change",
    "compare",
    "diff_organisations",
    "diff_roles",
    "format_json",
    "format_markdown",
    "markdown_escape",
]

# -- judges: is a change stricter or looser? -------------------------------------------------


def _more(scope: Scope, before: float | None, after: float | None) -> Direction | None:
    if before is None or after is None:
        return None
    return "stricter" if after > before else "looser"


def _level(scope: Scope, before: float | None, after: float | None) -> Direction | None:
    better = scope.now.better
    if before is None or after is None or scope.was.better != better:
        return None
    harder = after < before if better == "lower" else after > before
    return "stricter" if harder else "looser"


_RANK: Mapping[str, int] = {"meets": 0, "exceeds": 1}


def _criteria(scope: Scope, was: Mapping[str, str], now: Mapping[str, str]) -> Direction | None:
    harder = any(n not in was or _RANK[now[n]] > _RANK[was[n]] for n in now)
    easier = any(n not in now or _RANK[now[n]] < _RANK[was[n]] for n in was)
    if harder == easier:
        return None
    return "stricter" if harder else "looser"


# -- the rewards a change is about -------------------------------------------------------------


def _requiring(level: Level) -> Depends:
    """The rewards that require the expectation at ``level``: a level change moves them."""

    def depends(scope: Scope, direction: Direction | None) -> tuple[Impact, ...]:
        return impacts(requiring(scope.new_role, scope.now.id, level), effect(direction))

    return depends


def _measured(scope: Scope, direction: Direction | None) -> tuple[Impact, ...]:
    """Every reward that requires the expectation: how it is measured changed."""
    return impacts(requiring(scope.new_role, scope.now.id), "changed")


def _fed(metric: str) -> Depends:
    """The rewards that require an expectation measured against this target."""

    def depends(scope: Scope, direction: Direction | None) -> tuple[Impact, ...]:
        commitment = scope.parent.now.id if scope.parent else ""
        return impacts(fed_rewards(scope.new_role, commitment, metric), effect(direction))

    return depends


def _rewards_left(scope: Scope, item: Expectation) -> tuple[Impact, ...]:
    """Rewards that required a removed expectation and remain: easier to reach."""
    old, new = scope.old_role, scope.new_role
    if old is None or new is None:
        return ()
    kept, _, _ = match(old.rewards, new.rewards, _same_reward)
    return impacts((b.id for a, b in kept if item.id in a.requires), "easier")


def _rewards_kept(scope: Scope, item: Expectation) -> tuple[Impact, ...]:
    """Rewards that require an expectation with a new id: nothing changes for them."""
    return impacts(requiring(scope.new_role, item.id), "unchanged")


# -- added and removed sub-items ---------------------------------------------------------------


def _share(words: Words, value: Any, role: Role | None) -> str:
    return words.number(value) if value is None else words(_PERCENT, num=words.number(value))


_PERCENT = mark("%(num)s%%")


def _responsibility_added(scope: Scope, item: Responsibility) -> tuple[str, None]:
    words, text = scope.words, scope.words.quote(item.text)
    if not item.share:
        return words(mark("new responsibility: %(text)s"), text=text), None
    share = _share(words, item.share, None)
    template = mark("new responsibility: %(text)s (%(share)s of working time)")
    return words(template, text=text, share=share), None


def _responsibility_removed(scope: Scope, item: Responsibility) -> tuple[str, None]:
    text = scope.words.quote(item.text)
    return scope.words(mark("responsibility removed: %(text)s"), text=text), None


def _measure(scope: Scope) -> dict[str, str]:
    return {"measure": scope.words.measure(scope.new_role, scope.now)}


def _expectation_added(scope: Scope, item: Expectation) -> tuple[str, None]:
    words = scope.words
    text = words(
        mark("new expectation %(name)s: meets %(meets)s %(measure)s"),
        name=words.name(item.text),
        meets=words.number(item.meets),
        measure=words.measure(scope.new_role, item),
    )
    return text.rstrip(), None


def _expectation_removed(scope: Scope, item: Expectation) -> tuple[str, None]:
    name = scope.words.name(item.text)
    return scope.words(mark("expectation removed: %(name)s"), name=name), None


def _commitment_added(scope: Scope, item: Commitment) -> tuple[str, None]:
    words, first = scope.words, item.targets[0]
    text = words(
        mark("new service %(name)s for %(customers)s; first response (%(priority)s): %(response)s"),
        name=words.name(item.service),
        customers=words.listing(words.customer(c) for c in item.customers),
        priority=words.plain(first.priority),
        response=words.duration(first.response, item.hours),
    )
    return text, None


def _commitment_removed(scope: Scope, item: Commitment) -> tuple[str, None]:
    words = scope.words
    text = words(mark("service withdrawn: %(name)s"), name=words.name(item.service))
    return f"{text}; {words(_NO_FEEDBACK)}", None


_NO_FEEDBACK = mark("its feedback will no longer be shown")


def _target_added(scope: Scope, item: Target) -> tuple[str, None]:
    hours = scope.parent.now.hours if scope.parent else "business"
    response = scope.words.duration(item.response, hours)
    text = scope.words(mark("new target, first response: %(response)s"), response=response)
    return scope.worded(text), None


def _target_removed(scope: Scope, item: Target) -> tuple[str, Direction]:
    return scope.worded(scope.words(mark("target removed")), "looser"), "looser"


def _reward_added(scope: Scope, item: Reward) -> tuple[str, None]:
    words, role = scope.words, scope.new_role
    needs = words.listing(
        f"{words.expectation(role, name)} ({words.label(level)})"
        for name, level in item.requires.items()
    )
    template = mark("new reward %(name)s, requires %(requirements)s")
    return words(template, name=words.name(item.reward), requirements=needs), None


def _reward_removed(scope: Scope, item: Reward) -> tuple[str, None]:
    name = scope.words.name(item.reward)
    return scope.words(mark("reward removed: %(name)s"), name=name), None


def _level_value(level: Level, template: str) -> Value:
    """An expectation's level: stricter in the direction of ``better``; rewards at it move."""
    return Value(
        level,
        template,
        number,
        kind="expectation-level",
        judge=_level,
        depends=_requiring(level),
        params=_measure,
    )


# -- feedback keys -------------------------------------------------------------------------------

_FEEDBACK_KEY = mark(
    "feedback on %(service)s given before this change will no longer be shown: its key changes"
)


def _feedback_key(scope: Scope, was: Commitment, now: Commitment) -> Change:
    """The feedback key of a service changes (``scope`` is its role's)."""
    words = scope.words(_FEEDBACK_KEY, service=scope.words.name(now.service))
    before, after = f"{scope.was.id}/{was.id}", f"{scope.now.id}/{now.id}"
    return scope.change("feedback-key-renamed", words, "feedback", before, after)


def _feedback_key_renamed(scope: Scope, was: Commitment, now: Commitment) -> Iterator[Change]:
    """A service with a new id in a role that keeps its own: its feedback key changes."""
    role = scope.parent
    if role is not None and role.was.id == role.now.id:  # a renamed role reports every key
        yield _feedback_key(role, was, now)


class _RoleFeedbackKeys:
    """A role with a new id: the feedback key of every service it keeps changes."""

    def changes(self, scope: Scope) -> Iterator[Change]:
        """One change per service the renamed role keeps."""
        if scope.was.id != scope.now.id:
            pairs, _, _ = match(scope.was.commitments, scope.now.commitments, _same_commitment)
            for was, now in pairs:
                yield _feedback_key(scope, was, now)


# -- the tables ------------------------------------------------------------------------------


def _same_text(a: Responsibility | Expectation, b: Responsibility | Expectation) -> bool:
    return a.text == b.text


def _same_commitment(a: Commitment, b: Commitment) -> bool:
    return a.service == b.service or (
        a.customers == b.customers and a.request_via == b.request_via and a.targets == b.targets
    )


def _same_reward(a: Reward, b: Reward) -> bool:
    return a.reward == b.reward


_ARROW = mark("%(before)s → %(after)s")

TEAM_FIELDS = (
    Value("name", mark("name %(before)s → %(after)s"), plain),
    Value("parent", mark("part of %(before)s → %(after)s"), team_name),
    Value("lead", mark("led by %(before)s → %(after)s"), role_title),
    Value("channel", mark("channel %(before)s → %(after)s")),
    Value("kind", _ARROW, label),
)
"""A team's fields."""

RESPONSIBILITIES = Items(
    "responsibilities",
    "responsibility",
    mark("responsibility %(name)s"),
    title=lambda r: r.text,
    same=_same_text,
    added=_responsibility_added,
    removed=_responsibility_removed,
    fields=(
        Value("text", mark("reworded, was %(before)s"), same=same_words),
        Value("share", mark("share of working time %(before)s → %(after)s"), _share, judge=_more),
    ),
)

EXPECTATIONS = Items(
    "expectations",
    "expectation",
    mark("expectation %(name)s"),
    title=lambda e: e.text,
    same=_same_text,
    added=_expectation_added,
    removed=_expectation_removed,
    gone=_rewards_left,
    kept=_rewards_kept,
    fields=(
        Value("better", mark("%(after)s is now better (was %(before)s)"), label, depends=_measured),
        _level_value("meets", mark("meets %(before)s → %(after)s %(measure)s")),
        _level_value("exceeds", mark("exceeds %(before)s → %(after)s %(measure)s")),
        Value("text", mark("reworded, was %(before)s"), same=same_words),
        Value("measure", mark("measured as %(before)s → %(after)s"), depends=_measured),
        Value("volume", mark("volume %(before)s → %(after)s")),
        Value("source", mark("source %(before)s → %(after)s"), label, depends=_measured),
        Value("commitment", mark("feedback on %(before)s → %(after)s"), service, depends=_measured),
    ),
)

TARGETS = Keyed(
    "targets",
    "priority",
    "commitment-target",
    mark("%(item)s, %(key)s requests"),
    added=_target_added,
    removed=_target_removed,
    fields=(
        Duration("response", mark("first response %(before)s → %(after)s"), _fed("response")),
        Duration("resolution", mark("resolution %(before)s → %(after)s"), _fed("resolution")),
    ),
)

COMMITMENTS = Items(
    "commitments",
    "commitment",
    mark("service %(name)s"),
    title=lambda c: c.service,
    same=_same_commitment,
    added=_commitment_added,
    removed=_commitment_removed,
    renamed=_feedback_key_renamed,
    fields=(
        Value("service", mark("renamed, was %(before)s")),
        Members(
            "customers",
            None,
            mark("now also for %(items)s"),
            mark("no longer for %(items)s"),
            show=customer,
            kind="commitment-customers",
        ),
        Value("hours", mark("targets count %(after)s (was %(before)s)"), label),
        TARGETS,
        Value("request_via", mark("ask via %(before)s → %(after)s")),
        Value("escalate_to", mark("escalate to %(before)s → %(after)s"), role_title),
        Members(
            "requester_provides",
            mark("what to bring: %(changes)s"),
            mark("now asks for %(items)s"),
            mark("no longer asks for %(items)s"),
            mark("reordered"),
        ),
    ),
)

REWARDS = Items(
    "rewards",
    "reward",
    mark("reward %(name)s"),
    title=lambda r: r.reward,
    same=_same_reward,
    added=_reward_added,
    removed=_reward_removed,
    fields=(
        Value("reward", mark("reworded, was %(before)s")),
        Entries(
            "requires",
            gained=mark("now also requires %(key)s (%(value)s)"),
            lost=mark("no longer requires %(key)s"),
            changed=mark("requires %(key)s (%(value)s, was %(was)s)"),
            kept=mark("requires %(key)s (%(value)s) as before"),
            show_key=expectation,
            show_value=label,
            judge=_criteria,
            notes=(mark("harder to reach"), mark("easier to reach")),
            kind="reward-criteria",
        ),
    ),
)

ROLE_FIELDS = (
    Value(
        "id", mark("new identifier: the role's page moves to a new address"), plain, "role-renamed"
    ),
    Value("team", mark("moved from %(before)s to %(after)s"), team_name, "role-moved"),
    Value("title", mark("title %(before)s → %(after)s")),
    Value("reports_to", mark("reports to %(after)s (was %(before)s)"), role_title),
    Value("summary", mark("summary rewritten: %(after)s"), same=same_words),
    Value("review_by", mark("review by %(before)s → %(after)s"), date),
    Members(
        "owners",
        mark("owners: %(changes)s (now %(after)s)"),
        mark("added %(items)s"),
        mark("removed %(items)s"),
        mark("reordered"),
        plain,
        "owners-changed",
    ),
    Value("source", mark("file moved from %(before)s to %(after)s"), plain, "file-moved"),
    RESPONSIBILITIES,
    EXPECTATIONS,
    _RoleFeedbackKeys(),
    COMMITMENTS,
    REWARDS,
)
"""A role's fields, in the order their changes are listed."""

# -- organisation, teams and roles -----------------------------------------------------------


def diff_organisations(
    old: Organisation,
    new: Organisation,
    *,
    business_day_hours: float = 8.0,
    language: str = "en",
) -> list[Change]:
    """Every meaningful change from ``old`` to ``new``: teams first, then roles."""
    words = Words(language, old, new, business_day_hours)
    changes = list(_diff_teams(old.teams, new.teams, words))
    removed = [r for rid, r in old.roles.items() if rid not in new.roles]
    added = [r for rid, r in new.roles.items() if rid not in old.roles]
    renamed = pair(removed, added, _same_role)
    renamed_to = {b.id: a for a, b in renamed}
    renamed_from = {a.id for a, _ in renamed}
    for role in new.roles.values():
        before = old.roles.get(role.id) or renamed_to.get(role.id)
        if before is not None:
            changes.extend(_diff_roles(before, role, words))
        else:
            changes.append(_role_added(role, words))
    changes += [_role_removed(r, words) for r in removed if r.id not in renamed_from]
    return changes


def _role_added(role: Role, words: Words) -> Change:
    title, team = words.plain(role.title), words.team(role.team)
    if role.reports_to:
        text = words(
            mark("new role: %(title)s in %(team)s, reports to %(manager)s"),
            title=title,
            team=team,
            manager=words.role(role.reports_to),
        )
    else:
        text = words(mark("new role: %(title)s in %(team)s"), title=title, team=team)
    return Change("role-added", text, role=role.id, after=role.source)


def _role_removed(role: Role, words: Words) -> Change:
    text = words(
        mark("role removed: %(title)s, team %(team)s"),
        title=words.plain(role.title),
        team=words.team(role.team),
    )
    if role.commitments:
        services = words.listing(words.name(c.service) for c in role.commitments)
        text += "; " + words(
            mark("feedback on %(services)s will no longer be shown"), services=services
        )
    return Change("role-removed", text, role=role.id, before=role.source)


def _team_naming(words: Words, name: str) -> Callable[[], str]:
    return lambda: words(mark("team %(name)s"), name=name)


def _same_role(old: Role, new: Role) -> bool:
    return old.source == new.source or (old.title == new.title and old.team == new.team)


def _diff_teams(old: Mapping[str, Team], new: Mapping[str, Team], words: Words) -> Iterator[Change]:
    for team in new.values():
        before = old.get(team.id)
        name = words.plain(team.name)
        if before is None:
            text = (
                words(
                    mark("new team: %(name)s under %(parent)s"),
                    name=name,
                    parent=words.team(team.parent),
                )
                if team.parent
                else words(mark("new team: %(name)s"), name=name)
            )
            yield Change("team-added", text, team=team.id)
            continue
        scope = Scope(
            words,
            None,
            None,
            before,
            team,
            "team-changed",
            team.id,
            naming=_team_naming(words, name),
        )
        for field in TEAM_FIELDS:
            yield from field.changes(scope)
    for team in old.values():
        if team.id not in new:
            text = words(mark("team removed: %(name)s"), name=words.plain(team.name))
            yield Change("team-removed", text, team=team.id)


def diff_roles(
    old: Role,
    new: Role,
    *,
    business_day_hours: float = 8.0,
    organisation: Organisation | None = None,
    language: str = "en",
) -> list[Change]:
    """Every meaningful change between two versions of one role (its id may differ).

    ``organisation`` (e.g. today's) names the teams and roles the changes refer to.
    """
    return _diff_roles(old, new, Words(language, None, organisation, business_day_hours))


def _diff_roles(old: Role, new: Role, words: Words) -> list[Change]:
    if old == new:
        return []
    scope = Scope(words, old, new, old, new, "role-changed")
    return [change for field in ROLE_FIELDS for change in field.changes(scope)]


def compare(
    directory: Path, base: str, head: str | None, settings: Settings, *, language: str | None = None
) -> tuple[list[Change], Organisation, Organisation]:
    """The changes of the handbook in ``directory`` from revision ``base`` to ``head``.

    ``head`` None compares with the working tree. The words are in ``language`` (by
    default the handbook's). Raises :class:`~generator.git.revisions.GitError` for an
    unknown revision or outside a repository.
    """
    old, _ = gitrev.load_at(directory, base, settings)
    new, _ = gitrev.load_at(directory, head, settings)
    changes = diff_organisations(
        old.organisation,
        new.organisation,
        business_day_hours=settings.business_day_hours,
        language=language or settings.language,
    )
    return changes, old.organisation, new.organisation

"""The kinds of comparable field, so that the diff is a table of one line per field.

A :class:`Scope` says where a comparison happens: the role's two versions, the item's
two versions, its name in people's words, its field path and the change kind its
fields have unless they say otherwise. A comparer looks at one field of the item in
the scope and yields the changes:

- :class:`Value`: one value, ``before → after``, with an optional stricter/looser judge
  and the rewards that depend on it;
- :class:`Duration`: a service time on the clock of the service it belongs to;
- :class:`Members`: a list, worded as what was added and removed;
- :class:`Entries`: a mapping (a reward's requirements), worded per key;
- :class:`Keyed`: sub-items keyed by a value (a service's targets by priority);
- :class:`Items`: sub-items with ids (responsibilities, expectations, services,
  rewards), matched by id or, when renamed, by content.

Field templates do not name the item: the words of a sub-item's field start with its
name (``service “Help with computers”: ask via …``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from generator.git.diff_rewards import impact_words
from generator.git.diff_words import Words
from generator.i18n import mark
from generator.model import durations
from generator.model.changes import Change, Direction, Impact
from generator.model.organisation import Role

Show = Callable[[Words, Any, Role | None], str]
"""How a value is worded: (words, value, the version of the role it belongs to)."""
Same = Callable[[Any, Any], bool]
"""Whether two values mean the same."""
Judge = Callable[["Scope", Any, Any], Direction | None]
"""Whether going from the first value to the second is stricter or looser (or neither)."""
Depends = Callable[["Scope", Direction | None], tuple[Impact, ...]]
"""The rewards that depend on a changed field, and how."""
Params = Callable[["Scope"], Mapping[str, str]]
"""More words a field's template uses besides ``before`` and ``after``."""
Describe = Callable[["Scope", Any], tuple[str, Direction | None]]
"""The words (and direction) of a sub-item that was added or removed."""
Hook = Callable[["Scope", Any, Any], Iterator[Change]]
"""More changes for a pair of sub-items (a renamed service's feedback key)."""
Depending = Callable[["Scope", Any], tuple[Impact, ...]]
"""The rewards that depend on a removed or renamed sub-item, and how."""
Notes = tuple[str, str]
"""How a stricter and a looser change are called."""

DIRECTIONS: Notes = (mark("stricter"), mark("looser"))
_ITEM = mark("%(item)s: %(change)s")
_WITH_DIRECTION = mark("%(change)s (%(direction)s)")
_NEW_ID = mark("has a new identifier in the role file")
_SAME_NAME = mark("%(change)s (the same, under a new identifier)")


@dataclass(frozen=True, slots=True)
class Scope:
    """Where a comparison happens; ``was`` and ``now`` are the item's two versions."""

    words: Words
    old_role: Role | None
    new_role: Role | None
    was: Any
    now: Any
    kind: str
    """The change kind of the item's fields unless a field says otherwise."""
    team: str | None = None
    where: str = ""
    """The field path of the item, ending in a dot (``commitments.it-requests.``)."""
    naming: Callable[[], str] | None = None
    """Names the item, only when a change needs its name; None for a role."""
    parent: Scope | None = None

    @property
    def item(self) -> str:
        """The item in people's words (``service “Help with computers”``); '' for a role."""
        return self.naming() if self.naming else ""

    def inside(
        self, was: Any, now: Any, *, kind: str, where: str, naming: Callable[[], str]
    ) -> Scope:
        """The scope of a sub-item."""
        return Scope(
            self.words, self.old_role, self.new_role, was, now, kind, self.team, where, naming, self
        )

    def worded(
        self, text: str, direction: Direction | None = None, notes: Notes | None = None
    ) -> str:
        """``item: text (stricter)``: the item's name first, the direction last."""
        if direction is not None:
            note = (notes or DIRECTIONS)[0 if direction == "stricter" else 1]
            text = self.words(_WITH_DIRECTION, change=text, direction=self.words(note))
        item = self.item
        return self.words(_ITEM, item=item, change=text) if item else text

    def change(  # noqa: PLR0917 - mirrors Change
        self,
        kind: str | None,
        words: str,
        field: str,
        before: Any = None,
        after: Any = None,
        direction: Direction | None = None,
        impacts: tuple[Impact, ...] = (),
    ) -> Change:
        """A change in this scope; the rewards that depend on it are named in its words."""
        if impacts:
            roles = (self.new_role, self.old_role)
            words = f"{words}; {impact_words(self.words, roles, impacts)}"
        role = self.new_role.id if self.new_role else None
        return Change(
            kind or self.kind,
            words,
            role,
            self.team,
            self.where + field,
            before,
            after,
            direction,
            impacts,
        )


class Comparer(Protocol):
    """One comparable field of an item."""

    def changes(self, scope: Scope) -> Iterator[Change]:
        """The changes of this field between ``scope.was`` and ``scope.now``."""
        ...


# -- how values are worded ---------------------------------------------------------------------


def plain(words: Words, value: Any, role: Role | None) -> str:
    """A value as written (a file name, a handle), on one line."""
    return words.plain(value)


def quoted(words: Words, value: Any, role: Role | None) -> str:
    """Author text in quotation marks."""
    return words.quote(value)


def label(words: Words, value: Any, role: Role | None) -> str:
    """A fixed value of the role format in words."""
    return words.label(str(value))


def number(words: Words, value: Any, role: Role | None) -> str:
    """A number in the language's way."""
    return words.number(value)


def team_name(words: Words, value: Any, role: Role | None) -> str:
    """A team by its name."""
    return words.team(value)


def role_title(words: Words, value: Any, role: Role | None) -> str:
    """A role by its title."""
    return words.role(value)


def date(words: Words, value: Any, role: Role | None) -> str:
    """A date in words."""
    return words.date(value)


def customer(words: Words, value: Any, role: Role | None) -> str:
    """``everyone``, a team's people or a role."""
    return words.customer(value)


def service(words: Words, value: Any, role: Role | None) -> str:
    """A commitment of the role by its service's name."""
    return words.service(role, value)


def expectation(words: Words, value: Any, role: Role | None) -> str:
    """An expectation of the role by its text."""
    return words.expectation(role, value)


def same_words(before: Any, after: Any) -> bool:
    """The texts are the same but for spacing and line breaks."""
    return str(before).split() == str(after).split()


def _equal(before: Any, after: Any) -> bool:
    return bool(before == after)


# -- the kinds of field ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Value:
    """A field with one value; ``template`` gets ``before`` and ``after`` (and ``params``)."""

    name: str
    template: str
    show: Show = quoted
    kind: str | None = None
    same: Same = _equal
    judge: Judge | None = None
    depends: Depends | None = None
    params: Params | None = None

    def changes(self, scope: Scope) -> Iterator[Change]:
        """One change when the value differs."""
        before, after = getattr(scope.was, self.name), getattr(scope.now, self.name)
        if before == after or self.same(before, after):
            return
        direction = self.judge(scope, before, after) if self.judge else None
        shown = (
            self.show(scope.words, before, scope.old_role),
            self.show(scope.words, after, scope.new_role),
        )
        params = self.params(scope) if self.params else {}
        text = scope.words(self.template, before=shown[0], after=shown[1], **params).rstrip()
        found = self.depends(scope, direction) if self.depends else ()
        if shown[0] == shown[1]:  # a reference to something that only got a new id
            text, found = scope.words(_SAME_NAME, change=text), ()
        words = scope.worded(text, direction)
        yield scope.change(self.kind, words, self.name, before, after, direction, found)


@dataclass(frozen=True, slots=True)
class Duration:
    """A service time, counted on the clock of the service it belongs to (``hours``).

    Shorter is stricter. The same words under another clock are left to the clock's own
    change, so that it is reported once.
    """

    name: str
    template: str
    depends: Depends | None = None
    kind: str | None = None

    def changes(self, scope: Scope) -> Iterator[Change]:
        """One change when the time is really another one."""
        clock = scope.parent if scope.parent is not None else scope
        hours = (clock.was.hours, clock.now.hours)
        before, after = getattr(scope.was, self.name), getattr(scope.now, self.name)
        if before == after:
            return
        day = scope.words.business_day_hours
        length = (_minutes(before, hours[0], day), _minutes(after, hours[1], day))
        if hours[0] == hours[1] and length[0] == length[1]:
            return
        direction = _shorter(before, after, length, same_clock=hours[0] == hours[1])
        text = scope.words(
            self.template,
            before=scope.words.duration(before, hours[0]),
            after=scope.words.duration(after, hours[1]),
        )
        found = self.depends(scope, direction) if self.depends else ()
        words = scope.worded(text, direction)
        yield scope.change(self.kind, words, self.name, before, after, direction, found)


def _minutes(text: str | None, hours: str, day_hours: float) -> float | None:
    if text is None:
        return None
    return durations.minutes(text, hours=hours, business_day_hours=day_hours)


def _shorter(
    before: str | None,
    after: str | None,
    length: tuple[float | None, float | None],
    *,
    same_clock: bool,
) -> Direction | None:
    was, now = length
    if same_clock and was is not None and now is not None:
        return "stricter" if now < was else "looser"
    if before and not after:
        return "looser"
    if after and not before:
        return "stricter"
    return None


@dataclass(frozen=True, slots=True)
class Members:
    """A list, worded by what it gained and lost; ``reordered`` words an order change.

    Without ``reordered`` the order does not matter. ``template`` (if any) gets
    ``changes`` and ``after`` (the whole new list); ``gained`` and ``lost`` get ``items``.
    """

    name: str
    template: str | None
    gained: str
    lost: str
    reordered: str | None = None
    show: Show = quoted
    kind: str | None = None

    def changes(self, scope: Scope) -> Iterator[Change]:
        """One change when members came or went (or, if it matters, moved)."""
        before = tuple(getattr(scope.was, self.name))
        after = tuple(getattr(scope.now, self.name))
        if before == after or (self.reordered is None and set(before) == set(after)):
            return
        words, old, new = scope.words, scope.old_role, scope.new_role
        came = [self.show(words, v, new) for v in after if v not in before]
        went = [self.show(words, v, old) for v in before if v not in after]
        parts = [words(self.gained, items=words.listing(came))] if came else []
        parts += [words(self.lost, items=words.listing(went))] if went else []
        if not parts and self.reordered:
            parts = [words(self.reordered)]
        text = "; ".join(parts)
        if self.template:
            everything = words.listing(self.show(words, v, new) for v in after)
            text = words(self.template, changes=text, after=everything)
        text = scope.worded(text)
        yield scope.change(self.kind, text, self.name, list(before), list(after))


@dataclass(frozen=True, slots=True)
class Entries:
    """A mapping, worded per key that came, went or changed its value.

    ``gained`` and ``changed`` get ``key`` and ``value`` (``changed`` also ``was``),
    ``lost`` gets ``key``; a key that only got a new id (the same name and value) is
    worded by ``kept``. ``judge`` compares the whole mappings, such keys taken as the
    same; ``notes`` name its answer.
    """

    name: str
    gained: str
    lost: str
    changed: str
    kept: str
    show_key: Show
    show_value: Show
    judge: Judge | None = None
    notes: Notes | None = None
    kind: str | None = None

    def changes(self, scope: Scope) -> Iterator[Change]:
        """One change when any entry differs."""
        before = dict(getattr(scope.was, self.name))
        after = dict(getattr(scope.now, self.name))
        if before == after:
            return
        words, old, new = scope.words, scope.old_role, scope.new_role
        lost = {k: (self.show_key(words, k, old), v) for k, v in before.items() if k not in after}
        same = dict(before)
        parts = []
        for key, value in after.items():
            shown = {
                "key": self.show_key(words, key, new),
                "value": self.show_value(words, value, new),
            }
            renamed = next((k for k, seen in lost.items() if seen == (shown["key"], value)), None)
            if renamed is not None and key not in before:
                del lost[renamed], same[renamed]
                same[key] = value
                parts.append(words(self.kept, **shown))
            elif key not in before:
                parts.append(words(self.gained, **shown))
            elif before[key] != value:
                was = self.show_value(words, before[key], old)
                parts.append(words(self.changed, was=was, **shown))
        parts += [words(self.lost, key=shown_key) for shown_key, _ in lost.values()]
        direction = self.judge(scope, same, after) if self.judge else None
        text = scope.worded("; ".join(parts), direction, self.notes)
        yield scope.change(self.kind, text, self.name, before, after, direction)


@dataclass(frozen=True, slots=True)
class Keyed:
    """Sub-items without ids, keyed by one of their fields (a target by its priority).

    ``item`` names a sub-item from the enclosing item's name (``item``) and the ``key``;
    ``added`` and ``removed`` describe one in its own scope.
    """

    name: str
    key: str
    kind: str
    item: str
    added: Describe
    removed: Describe
    fields: Sequence[Comparer]

    def changes(self, scope: Scope) -> Iterator[Change]:
        """Sub-items added or changed, then those removed."""
        before = {getattr(x, self.key): x for x in getattr(scope.was, self.name)}
        after = {getattr(x, self.key): x for x in getattr(scope.now, self.name)}
        for key, now in after.items():
            inner = self._scope(scope, key, before.get(key), now)
            if key not in before:
                words, direction = self.added(inner, now)
                yield scope.change(self.kind, words, f"{self.name}.{key}", None, now, direction)
                continue
            for comparer in self.fields:
                yield from comparer.changes(inner)
        for key, was in before.items():
            if key not in after:
                words, direction = self.removed(self._scope(scope, key, was, None), was)
                yield scope.change(self.kind, words, f"{self.name}.{key}", was, None, direction)

    def _scope(self, scope: Scope, key: str, was: Any, now: Any) -> Scope:
        def naming() -> str:
            return scope.words(self.item, item=scope.item, key=scope.words.plain(key))

        where = f"{scope.where}{self.name}.{key}."
        return scope.inside(was, now, kind=self.kind, where=where, naming=naming)


@dataclass(frozen=True, slots=True)
class Items:
    """Sub-items with ids, matched by id, or by ``same`` when their id changed.

    Kinds are ``<singular>-added``, ``-removed`` and ``-changed`` (a new id, and every
    field without a kind of its own); ``label`` names an item from ``title(item)``.
    """

    name: str
    singular: str
    label: str
    title: Callable[[Any], str]
    same: Same
    added: Describe
    removed: Describe
    fields: Sequence[Comparer]
    renamed: Hook | None = None
    """More changes when an item got a new id."""
    gone: Depending | None = None
    """The rewards a removed item leaves."""
    kept: Depending | None = None
    """The rewards that keep depending on an item with a new id."""

    def changes(self, scope: Scope) -> Iterator[Change]:
        """Items added, removed, then each kept item's changes."""
        old, new = getattr(scope.was, self.name), getattr(scope.now, self.name)
        pairs, gone, came = match(old, new, self.same)
        for item in came:
            words, _ = self.added(self._scope(scope, None, item), item)
            yield scope.change(
                f"{self.singular}-added", words, f"{self.name}.{item.id}", after=item
            )
        for item in gone:
            inner = self._scope(scope, item, None)
            words, _ = self.removed(inner, item)
            found = self.gone(inner, item) if self.gone else ()
            field = f"{self.name}.{item.id}"
            yield scope.change(f"{self.singular}-removed", words, field, item, impacts=found)
        for was, now in pairs:
            if was == now:
                continue
            inner = self._scope(scope, was, now)
            if was.id != now.id:
                found = self.kept(inner, now) if self.kept else ()
                words = inner.worded(scope.words(_NEW_ID))
                yield inner.change(None, words, "id", was.id, now.id, impacts=found)
                if self.renamed:
                    yield from self.renamed(inner, was, now)
            for comparer in self.fields:
                yield from comparer.changes(inner)

    def _scope(self, scope: Scope, was: Any, now: Any) -> Scope:
        item = now if now is not None else was

        def naming() -> str:
            return scope.words(self.label, name=scope.words.name(self.title(item)))

        where = f"{scope.where}{self.name}.{item.id}."
        return scope.inside(was, now, kind=f"{self.singular}-changed", where=where, naming=naming)


def match(
    old: Sequence[Any], new: Sequence[Any], same: Same
) -> tuple[list[tuple[Any, Any]], list[Any], list[Any]]:
    """(kept or renamed pairs, removed, added) between two lists of items with ids."""
    new_ids = {item.id for item in new}
    by_id = {item.id: item for item in old}
    pairs = [(by_id[item.id], item) for item in new if item.id in by_id]
    gone = [item for item in old if item.id not in new_ids]
    came = [item for item in new if item.id not in by_id]
    renamed = pair(gone, came, same)
    pairs += renamed
    gone = [item for item in gone if all(item is not a for a, _ in renamed)]
    came = [item for item in came if all(item is not b for _, b in renamed)]
    return pairs, gone, came


def pair(removed: Sequence[Any], added: Sequence[Any], same: Same) -> list[tuple[Any, Any]]:
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

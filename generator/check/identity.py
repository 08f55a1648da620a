"""Rules on identity: unique ids, files named after their role."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from generator.check.context import Finding, LintContext
from generator.check.registry import rule
from generator.diagnostics import codes
from generator.diagnostics.values import msg


def _duplicates(ids: Iterable[str]) -> Iterator[tuple[int, str, int]]:
    """(index, id, index of the first use) for every repeated id."""
    first: dict[str, int] = {}
    for index, ident in enumerate(ids):
        if ident in first:
            yield index, ident, first[ident]
        else:
            first.setdefault(ident, index)


@rule(codes.DUPLICATE_ID)
def duplicate_ids(ctx: LintContext) -> Iterator[Finding]:
    """Role and team ids are unique; item ids are unique within their kind in a role."""
    for index, ident, first in _duplicates(e.role.id for e in ctx.roles):
        other = ctx.roles[first].doc.file
        yield ctx.roles[index].finding(
            ("id",),
            msg("role id '%(id)s' is already used by %(other)s", id=ident, other=other),
            hint=msg("role ids are unique across the organisation"),
        )
    for index, ident, first in _duplicates(t.id for t in ctx.teams):
        yield ctx.team_finding(
            index,
            "id",
            msg("team id '%(id)s' is already used by teams[%(first)s]", id=ident, first=first),
        )


@rule(codes.DUPLICATE_ID, local=True)
def duplicate_item_ids(ctx: LintContext) -> Iterator[Finding]:
    """Role and team ids are unique; item ids are unique within their kind in a role."""
    for entry in ctx.roles:
        role = entry.role
        kinds: dict[str, Iterable[str]] = {
            "responsibilities": (r.id for r in role.responsibilities),
            "expectations": (e.id for e in role.expectations),
            "commitments": (c.id for c in role.commitments),
            "rewards": (w.id for w in role.rewards),
        }
        for kind, ids in kinds.items():
            for index, ident, first in _duplicates(ids):
                yield entry.finding(
                    (kind, index, "id"),
                    msg(
                        "id '%(id)s' is already used by %(kind)s[%(first)s]",
                        id=ident,
                        kind=kind,
                        first=first,
                    ),
                )


@rule(codes.FILE_NAME_MISMATCH, local=True)
def file_name_mismatch(ctx: LintContext) -> Iterator[Finding]:
    """A role file is named after its id: ``roles/…/<id>.yaml``."""
    for entry in ctx.roles:
        stem = entry.doc.file.rsplit("/", 1)[-1].rsplit(".", 1)[0]
        if stem != entry.role.id:
            yield entry.finding(
                ("id",),
                msg(
                    "id '%(id)s' does not match the file name '%(stem)s'",
                    id=entry.role.id,
                    stem=stem,
                ),
                hint=msg("rename the file to %(id)s.yaml or change the id", id=entry.role.id),
            )

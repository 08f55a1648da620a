"""Turn schema-valid data into the frozen model."""

from __future__ import annotations

from typing import Any, cast

from generator.model.organisation import (
    Better,
    Commitment,
    Expectation,
    Hours,
    Level,
    Responsibility,
    Reward,
    Role,
    Target,
    Team,
)


def _opt_str(value: Any) -> str | None:
    return None if value is None else str(value)


def team_from_data(data: dict[str, Any], line: int = 0) -> Team:
    """A :class:`Team` from one entry of ``teams.yaml``."""
    return Team(
        id=data["id"],
        name=data["name"],
        parent=_opt_str(data.get("parent")),
        lead=_opt_str(data.get("lead")),
        channel=_opt_str(data.get("channel")),
        kind=data.get("kind", "internal"),
        line=line,
    )


def _expectation(data: dict[str, Any]) -> Expectation:
    exceeds = data.get("exceeds")
    return Expectation(
        id=data["id"],
        text=data["text"],
        better=cast(Better, data["better"]),
        meets=float(data["meets"]),
        exceeds=None if exceeds is None else float(exceeds),
        measure=_opt_str(data.get("measure")),
        volume=_opt_str(data.get("volume")),
        source=data.get("source", "manual"),
        commitment=_opt_str(data.get("commitment")),
        metric=data.get("metric"),
    )


def _commitment(data: dict[str, Any]) -> Commitment:
    return Commitment(
        id=data["id"],
        service=data["service"],
        customers=tuple(data["customers"]),
        request_via=data["request_via"],
        targets=tuple(
            Target(t["priority"], t["response"], _opt_str(t.get("resolution")))
            for t in data["targets"]
        ),
        requester_provides=tuple(data.get("requester_provides") or ()),
        hours=cast(Hours, data.get("hours", "business")),
        escalate_to=_opt_str(data.get("escalate_to")),
        keywords=tuple(data.get("keywords") or ()),
    )


def role_from_data(data: dict[str, Any], source: str) -> Role:
    """A :class:`Role` from a schema-valid role file."""
    return Role(
        id=data["id"],
        title=data["title"],
        team=data["team"],
        summary=data["summary"],
        source=source,
        responsibilities=tuple(
            Responsibility(
                r["id"], r["text"], None if r.get("share") is None else float(r["share"])
            )
            for r in data["responsibilities"]
        ),
        expectations=tuple(_expectation(e) for e in data["expectations"]),
        commitments=tuple(_commitment(c) for c in data.get("commitments") or ()),
        rewards=tuple(
            Reward(w["id"], w["reward"], {k: cast(Level, v) for k, v in w["requires"].items()})
            for w in data.get("rewards") or ()
        ),
        reports_to=_opt_str(data.get("reports_to")),
        owners=tuple(data.get("owners") or ()),
        review_by=_opt_str(data.get("review_by")),
    )

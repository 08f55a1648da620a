"""Feedback scores judged against expectations: per commitment, expectation and reward."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from generator.diagnostics import codes
from generator.diagnostics.values import Diagnostic, Location, Severity, msg
from generator.i18n import mark
from generator.measure.feedback_report import Report, ReportEntry, ReportError, load_report
from generator.model.organisation import Expectation, Organisation, Reward, Role
from generator.model.settings import FeedbackSettings

if TYPE_CHECKING:
    from generator.measure.report import PeriodLevels

Status = Literal["exceeds", "meets", "below", "unknown"]

STATUS_WORDS: Mapping[Status, str] = {
    "exceeds": mark("Exceeds"),
    "meets": mark("Meets"),
    "below": mark("Below target"),
    "unknown": mark("Not measured"),
}
STATUS_SYMBOLS: Mapping[Status, str] = {"exceeds": "▲", "meets": "●", "below": "▼", "unknown": "○"}


@dataclass(frozen=True, slots=True)
class Score:
    """What the report says about one commitment, after suppression."""

    key: str
    count: int
    mean: float
    distribution: tuple[int, int, int, int, int]
    priorities: tuple[tuple[str, int], ...]


@dataclass(frozen=True, slots=True)
class Scores:
    """Scores of every commitment with enough responses, and the reporting period."""

    by_key: Mapping[str, Score]
    hidden: frozenset[str]
    since: str | None
    until: str | None
    min_responses: int

    def get(self, role_id: str, commitment_id: str) -> Score | None:
        """The score of a commitment, or None when there is none to show."""
        return self.by_key.get(f"{role_id}/{commitment_id}")

    def is_hidden(self, role_id: str, commitment_id: str) -> bool:
        """Whether responses exist but are too few to show."""
        return f"{role_id}/{commitment_id}" in self.hidden


def _score(entry: ReportEntry) -> Score | None:
    if entry.suppressed or entry.count is None or entry.mean is None:
        return None
    dist = entry.distribution or {}
    counts = (dist.get(1, 0), dist.get(2, 0), dist.get(3, 0), dist.get(4, 0), dist.get(5, 0))
    return Score(entry.key, entry.count, entry.mean, counts, entry.priorities)


def scores_from_report(report: Report, organisation: Organisation, min_responses: int) -> Scores:
    """Keep the entries of known commitments; hide groups under ``min_responses``."""
    valid = organisation.feedback_keys()
    threshold = max(min_responses, report.min_responses)
    shown: dict[str, Score] = {}
    hidden: set[str] = set()
    for key, entry in report.entries.items():
        if key not in valid:
            continue
        score = _score(entry)
        if score is None or score.count < threshold:
            hidden.add(key)
        else:
            shown[key] = score
    return Scores(shown, frozenset(hidden), report.since, report.until, threshold)


def judge(expectation: Expectation, value: float | None) -> Status:
    """Whether a measured value exceeds, meets or falls below an expectation."""
    if value is None:
        return "unknown"

    def reaches(level: float) -> bool:
        return value <= level if expectation.better == "lower" else value >= level

    if expectation.exceeds is not None and reaches(expectation.exceeds):
        return "exceeds"
    return "meets" if reaches(expectation.meets) else "below"


def expectation_status(role: Role, expectation: Expectation, scores: Scores) -> Status:
    """The status of a feedback-measured expectation this period ("unknown" otherwise)."""
    if expectation.source != "feedback" or expectation.commitment is None:
        return "unknown"
    score = scores.get(role.id, expectation.commitment)
    return judge(expectation, score.mean if score else None)


def reward_status(role: Role, reward: Reward, scores: Scores) -> dict[str, Status]:
    """Per required expectation: whether the level the reward asks for is reached."""
    by_id = {e.id: e for e in role.expectations}
    result: dict[str, Status] = {}
    for name, level in reward.requires.items():
        expectation = by_id.get(name)
        status = expectation_status(role, expectation, scores) if expectation else "unknown"
        if status in ("meets", "exceeds") and level == "exceeds" and status != "exceeds":
            status = "below"
        result[name] = status
    return result


_RANK: Mapping[Status, int] = {"below": 0, "unknown": 1, "meets": 2, "exceeds": 3}


def commitment_status(role: Role, commitment_id: str, scores: Scores) -> Status:
    """The worst status among the expectations measured by this commitment's feedback."""
    statuses = [
        expectation_status(role, e, scores)
        for e in role.expectations
        if e.source == "feedback" and e.commitment == commitment_id
    ]
    return min(statuses, key=_RANK.__getitem__, default="unknown")


def attention_key(status: Status, score: Score | None) -> tuple[int, float]:
    """Scorecard order: below target first, then unjudged, then the lowest ratings."""
    return (_RANK[status], score.mean if score else 6.0)


def load_scores(
    root: Path, organisation: Organisation, feedback: FeedbackSettings
) -> tuple[Scores | None, list[Diagnostic]]:
    """The scores of the configured report, or the diagnostics explaining why not."""
    if not feedback.report:
        return None, []
    if not (root / feedback.report).exists():
        return None, [
            codes.FEEDBACK_REPORT.at(
                Location(feedback.report),
                msg("the feedback report does not exist yet: pages show no feedback scores"),
                hint=msg("run handbook feedback report"),
                severity=Severity.WARNING,
            )
        ]
    try:
        report = load_report(root / feedback.report)
    except ReportError as exc:
        return None, exc.diagnostics
    return scores_from_report(report, organisation, feedback.min_responses), []


def scores_from_period(
    period: PeriodLevels | None, organisation: Organisation, min_responses: int
) -> Scores | None:
    """The feedback of a measured report's period as scores (groups under the threshold hidden)."""
    if period is None:
        return None
    valid = organisation.feedback_keys()
    shown: dict[str, Score] = {}
    hidden: set[str] = set()
    for key, level in period.feedback.items():
        if key not in valid:
            continue
        if level.hidden or level.mean is None or level.count < min_responses:
            hidden.add(key)
        else:
            shown[key] = Score(key, level.count, level.mean, level.distribution, level.priorities)
    since = period.period.first_day.isoformat()
    until = (period.period.end_day - dt.timedelta(days=1)).isoformat()
    return Scores(shown, frozenset(hidden), since, until, min_responses)

"""Write the example organisations' sample request exports (generic CSV), reproducibly.

    python scripts/sample_requests.py

Each commitment gets requests opened at random working moments of its team's calendar in
2026-Q3 and 2026-Q4 (until 27 November), answered and resolved within or after their
targets at the rates below, so that the examples show every kind of result: met, below,
too few to show, still open.
"""

from __future__ import annotations

import csv
import datetime as dt
import random
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from generator.cli.commands import load_settings  # noqa: E402
from generator.measure.promises import Promise, promises  # noqa: E402
from generator.project import load_project  # noqa: E402

START = dt.date(2026, 7, 1)
END = dt.date(2026, 11, 27)


@dataclass(frozen=True)
class Plan:
    """How many requests per quarter, and the shares answered and resolved in time."""

    per_quarter: int
    response: tuple[float, float]
    resolution: tuple[float, float]


PLANS = {
    "roles": {
        "it-helpdesk-technician/it-help": Plan(110, (0.93, 0.96), (0.91, 0.93)),
        "it-helpdesk-technician/new-starter-kit": Plan(9, (1.0, 1.0), (0.9, 1.0)),
        "benefits-specialist/benefit-documents": Plan(28, (0.88, 0.95), (0.9, 0.94)),
        "head-of-technology/security-incidents": Plan(6, (1.0, 1.0), (1.0, 1.0)),
        "facilities-coordinator/repair-requests": Plan(24, (0.8, 0.91), (0.75, 0.88)),
        "facilities-coordinator/access-cards": Plan(3, (1.0, 1.0), (1.0, 1.0)),
        "payroll-specialist/payslip-queries": Plan(18, (0.94, 0.97), (0.95, 0.97)),
    },
    "examples/pl": {
        "administrator-systemow/pomoc-it": Plan(120, (0.92, 0.97), (0.9, 0.94)),
        "administrator-systemow/stanowisko-dla-nowej-osoby": Plan(8, (1.0, 1.0), (0.9, 1.0)),
        "specjalista-ds-plac/pytania-placowe": Plan(30, (0.89, 0.95), (0.93, 0.96)),
        "specjalista-ds-kadr/sprawy-kadrowe": Plan(25, (0.9, 0.93), (0.9, 0.92)),
        "koordynator-sprzatania/sprzatanie-interwencyjne": Plan(4, (1.0, 1.0), (1.0, 1.0)),
    },
}
OUT = {
    "roles": "examples/requests/northwind-2026.csv",
    "examples/pl": "examples/pl/requests/zgloszenia-2026.csv",
}


def main() -> None:
    for folder, plans in PLANS.items():
        root = ROOT if folder == "roles" else ROOT / folder
        project, _ = load_project(root, load_settings(root))
        promised = promises(project.organisation, project.settings.calendar)
        rows = []
        rng = random.Random(folder)
        for key, plan in plans.items():
            rows.extend(_requests(rng, key, plan, promised[key], project.settings.priority_ids))
        rows.sort(key=lambda row: dt.datetime.fromisoformat(row[3]))
        out = ROOT / OUT[folder]
        out.parent.mkdir(parents=True, exist_ok=True)
        with out.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle, lineterminator="\n")
            writer.writerow(
                ["id", "commitment", "priority", "opened", "first_response", "resolved"]
            )
            for number, row in enumerate(rows, start=1):
                writer.writerow([f"REQ-{number:05d}", *row[1:]])
        print(f"{out.relative_to(ROOT)}: {len(rows)} requests")


def _requests(
    rng: random.Random, key: str, plan: Plan, promise: Promise, priorities: tuple[str, ...]
) -> Iterator[list[str]]:
    calendar = promise.calendar
    for quarter in (0, 1):
        first = dt.date(2026, 7 + 3 * quarter, 1)
        last = min(END, dt.date(2026, 9, 30) if quarter == 0 else END)
        days = [first + dt.timedelta(d) for d in range((last - first).days + 1)]
        days = [d for d in days if promise.hours == "always" or calendar.is_working_date(d)]
        for _ in range(plan.per_quarter):
            day = rng.choice(days)
            window = calendar.windows(day) if promise.hours == "business" else ()
            if window:
                start, end = window[0][0], window[-1][1]
                opened = start + (end - start) * rng.random()
            else:
                midnight = dt.datetime.combine(day, dt.time(), calendar.zone)
                opened = midnight + dt.timedelta(minutes=rng.randrange(24 * 60))
            priority = priorities[0] if rng.random() < 0.25 else priorities[-1]
            level = promise.levels.get(priority) or next(iter(promise.levels.values()))
            response = _after(rng, promise, opened, level.response, plan.response[quarter])
            resolution = None
            if level.resolution is not None and rng.random() < 0.97:
                resolved = _after(rng, promise, opened, level.resolution, plan.resolution[quarter])
                resolution = max(resolved, response)
            if opened.date() >= END - dt.timedelta(days=2):
                resolution = None
            zone = calendar.zone
            yield ["", key, priority, *(_iso(t, zone) for t in (opened, response, resolution))]


def _after(
    rng: random.Random, promise: Promise, opened: dt.datetime, target: float, on_time: float
) -> dt.datetime:
    """A moment within the target (with chance ``on_time``) or past it, on the promise's clock."""
    share = rng.uniform(0.1, 0.95) if rng.random() < on_time else rng.uniform(1.05, 2.5)
    minutes = max(1.0, target * share)
    if promise.hours == "always":
        return opened + dt.timedelta(minutes=minutes)
    return promise.calendar.add_working_minutes(opened, minutes)


def _iso(moment: dt.datetime | None, zone: dt.tzinfo) -> str:
    """Local time of the team's calendar, to the minute, with its offset."""
    if moment is None:
        return ""
    return moment.astimezone(zone).replace(microsecond=0, second=0).isoformat()


if __name__ == "__main__":
    main()

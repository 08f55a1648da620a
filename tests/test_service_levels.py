"""Service levels from real requests, hand-worked on a business calendar, and their periods."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from generator.measure.levels import Rating, RequestTimes, feedback_levels, service_levels
from generator.measure.promises import Level, Promise
from generator.model.calendar import BusinessCalendar
from generator.model.periods import Period, parse_period, period_of

LONDON = ZoneInfo("Europe/London")
OFFICE = BusinessCalendar(timezone="Europe/London", hours=((8 * 60, 16 * 60),), holidays="GB-ENG")
# urgent: answer in 30 minutes, resolve in 4 hours; normal: 4 hours, no resolution target
HELP = Promise(OFFICE, "business", {"urgent": Level(30, 240), "normal": Level(240, None)})
ALWAYS = Promise(OFFICE, "always", {"urgent": Level(15, 240)})
AS_OF = dt.datetime(2026, 12, 1, 12, tzinfo=dt.UTC)


def at(text: str) -> dt.datetime:
    """A London wall-clock time (``2026-11-06 15:30``)."""
    return dt.datetime.fromisoformat(text).replace(tzinfo=LONDON)


def request(
    priority: str, opened: str, response: str | None = None, resolved: str | None = None
) -> RequestTimes:
    return RequestTimes(
        "it/help",
        priority,
        at(opened),
        at(response) if response else None,
        at(resolved) if resolved else None,
    )


REQUESTS = [
    # Friday 15:50 -> Monday 08:10: 10 + 10 = 20 working minutes: in time (30m)
    request("urgent", "2026-11-06 15:50", "2026-11-09 08:10", "2026-11-09 11:50"),
    # 09:00 -> 09:45: 45 minutes, late; resolved 12:00: 180 minutes, in time (4h)
    request("urgent", "2026-11-10 09:00", "2026-11-10 09:45", "2026-11-10 12:00"),
    # opened before hours (07:00): the clock starts at 08:00; 08:20 is 20 minutes: in time
    request("urgent", "2026-11-11 07:00", "2026-11-11 08:20", "2026-11-12 08:00"),
    # never answered, opened long ago: the 30 minutes have passed: missed
    request("urgent", "2026-11-12 10:00"),
    # normal, answered after 3 working hours (10:00 -> 13:00): in time
    request("normal", "2026-11-13 10:00", "2026-11-13 13:00"),
    # normal, opened 11:30 on 1 December, not answered yet: 30 minutes of 4 hours: waiting
    request("normal", "2026-12-01 11:30"),
]


def test_hand_worked_service_level() -> None:
    (level,) = service_levels(REQUESTS, {"it/help": HELP}, as_of=AS_OF, min_group=5).values()
    assert level.requests == 6 and not level.hidden
    response = level.response
    assert response is not None
    # judged: the four urgent requests and the answered normal one; the waiting one is not
    assert (response.counted, response.met) == (5, 3)
    assert response.percent == 60.0
    # minutes taken by the answered: 20, 45, 20, 180 -> median 20 (nearest rank), p90 180
    assert (response.median_minutes, response.p90_minutes) == (20, 180)
    resolution = level.resolution
    assert resolution is not None
    # urgent resolutions: 20 + 220 = 240 (in time, the limit itself), 180, 8:00->8:00 next
    # day = 0 + 480 = 480 (late); the unanswered one is missed; normal has no target
    assert (resolution.counted, resolution.met) == (4, 2)


def test_each_priority_has_its_own_level_and_threshold() -> None:
    (level,) = service_levels(REQUESTS, {"it/help": HELP}, as_of=AS_OF, min_group=2).values()
    urgent, normal = level.priorities["urgent"], level.priorities["normal"]
    assert urgent.requests == 4 and urgent.response is not None
    assert (urgent.response.counted, urgent.response.met) == (4, 2)
    assert normal.requests == 2 and normal.resolution is None  # no resolution target
    hidden = service_levels(REQUESTS[:5], {"it/help": HELP}, as_of=AS_OF, min_group=2)
    assert hidden["it/help"].priorities["normal"].hidden  # one normal request only


def test_groups_under_the_threshold_show_only_their_size() -> None:
    (level,) = service_levels(REQUESTS[:4], {"it/help": HELP}, as_of=AS_OF, min_group=5).values()
    assert level.hidden and level.requests == 4
    assert level.response is None and level.resolution is None and not level.priorities


def test_round_the_clock_commitments_count_every_minute() -> None:
    rows = [
        RequestTimes("it/help", "urgent", at("2026-11-07 22:05"), at("2026-11-07 22:19")),
        RequestTimes("it/help", "urgent", at("2026-11-08 03:00"), at("2026-11-08 03:16")),
    ]
    (level,) = service_levels(rows, {"it/help": ALWAYS}, as_of=AS_OF, min_group=1).values()
    assert level.response is not None
    assert (level.response.met, level.response.median_minutes) == (1, 14)  # 14 in, 16 out


def test_requests_of_unknown_commitments_are_left_out() -> None:
    stray = RequestTimes("gone/service", "urgent", at("2026-11-10 09:00"))
    assert service_levels([stray], {"it/help": HELP}, as_of=AS_OF, min_group=1) == {}


def test_feedback_levels_hide_small_groups() -> None:
    when = dt.datetime(2026, 11, 2, tzinfo=dt.UTC)
    ratings = [Rating("it/help", r, "speed", when) for r in (5, 4, 4, 3, 5)]
    ratings += [Rating("hr/docs", 1, None, when)]
    levels = feedback_levels(ratings, ["it/help", "hr/docs"], min_group=5)
    assert levels["it/help"].mean == 4.2 and levels["it/help"].distribution == (0, 0, 1, 2, 2)
    assert levels["it/help"].priorities == (("speed", 5),)
    assert levels["hr/docs"].hidden and levels["hr/docs"].mean is None


@pytest.mark.parametrize(
    ("text", "period"),
    [
        ("2026-Q4", Period(2026, 4, "quarter")),
        ("2026-11", Period(2026, 11, "month")),
        ("2026-Q5", None),
        ("2026-13", None),
        ("26-Q1", None),
    ],
)
def test_period_ids(text: str, period: Period | None) -> None:
    assert parse_period(text) == period
    if period is not None:
        assert period.id == text


def test_periods_follow_the_calendar_time_zone() -> None:
    new_year = dt.datetime(2026, 12, 31, 23, 30, tzinfo=dt.UTC)  # 00:30 on 1 January in Warsaw
    assert period_of(new_year, "quarter", "UTC") == Period(2026, 4)
    assert period_of(new_year, "quarter", "Europe/Warsaw") == Period(2027, 1)
    assert period_of(new_year, "month", "Europe/Warsaw").id == "2027-01"
    q4 = Period(2026, 4)
    assert q4.start("Europe/Warsaw") == dt.datetime(2026, 10, 1, tzinfo=ZoneInfo("Europe/Warsaw"))
    assert q4.next() == Period(2027, 1) and Period(2027, 1).previous() == q4
    assert Period(2026, 12, "month").next().id == "2027-01"

"""The business calendar: configuration, working-time arithmetic and its description."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import holidays as holiday_library
import pytest
import yaml
from babel import Locale, dates, lists
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator import i18n
from generator.model import calendar as bc
from generator.model.calendar import (
    BusinessCalendar,
    CalendarError,
    calendar_from_config,
    describe,
)

WARSAW = ZoneInfo("Europe/Warsaw")
NEW_YORK = ZoneInfo("America/New_York")
MINUS_FIVE = dt.timezone(dt.timedelta(hours=-5))
PLUS_FIVE_THIRTY = dt.timezone(dt.timedelta(hours=5, minutes=30))
EVERY_DAY = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]

ISSUE_CONFIG = """
calendar:
  timezone: Europe/Warsaw          # IANA name (zoneinfo)
  working_days: [mon, tue, wed, thu, fri]
  hours: "08:00-16:00"
  holidays: PL
  closed: ["2026-11-10"]           # a bridge day
"""

PROPERTIES = settings(
    max_examples=150,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)


def _utc(instant: dt.datetime) -> dt.datetime:
    """The instant in UTC: datetimes in one zone compare by their wall clocks, not in time."""
    return instant.astimezone(dt.UTC)


def warsaw(
    year: int, month: int, day: int, hour: int = 0, minute: int = 0, *, second: int = 0
) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, second, tzinfo=WARSAW)


def polish(**changes: object) -> BusinessCalendar:
    """The calendar of the issue, read from YAML, with ``changes`` applied as an override."""
    base = calendar_from_config(yaml.safe_load(ISSUE_CONFIG)["calendar"])
    return calendar_from_config(changes, base=base) if changes else base


# --- configuration ---------------------------------------------------------------------------


def test_the_issue_configuration_is_read_as_written() -> None:
    calendar = polish()
    assert calendar.timezone == "Europe/Warsaw"
    assert calendar.working_days == frozenset({0, 1, 2, 3, 4})
    assert calendar.hours == ((480, 960),)
    assert calendar.holidays == "PL"
    assert calendar.closed == frozenset({dt.date(2026, 11, 10)})
    assert calendar.day_minutes == 480


def test_defaults_are_utc_monday_to_friday_eight_to_four_without_holidays() -> None:
    calendar = calendar_from_config(None)
    assert calendar == BusinessCalendar()
    assert (calendar.timezone, calendar.holidays, calendar.closed) == ("UTC", None, frozenset())
    assert calendar.working_days == frozenset(range(5))
    assert calendar.hours == ((8 * 60, 16 * 60),)


def test_yaml_dates_full_day_names_lists_of_ranges_and_codes_in_any_case() -> None:
    data = yaml.safe_load(
        """
        timezone: America/New_York
        working_days: [Monday, TUE, wed]
        hours: ["12:30 – 16:30", "08:00-12:00"]
        holidays: de-by
        closed: [2026-12-31, "2026-12-30"]
        """
    )
    assert isinstance(data["closed"][0], dt.date)  # YAML reads an unquoted date as a date
    calendar = calendar_from_config(data)
    assert calendar.working_days == frozenset({0, 1, 2})
    assert calendar.hours == ((480, 720), (750, 990))  # sorted into the order of the day
    assert calendar.holidays == "DE-BY"
    assert calendar.closed == frozenset({dt.date(2026, 12, 30), dt.date(2026, 12, 31)})


def test_midnight_may_end_a_range() -> None:
    calendar = calendar_from_config({"hours": "00:00-06:00, 22:00-24:00"})
    assert calendar.hours == ((0, 360), (1320, 1440))
    assert calendar.day_minutes == 6 * 60 + 2 * 60


def test_a_team_override_replaces_only_the_keys_it_gives() -> None:
    organisation = polish()
    team = calendar_from_config({"hours": "10:00-18:00", "closed": []}, base=organisation)
    assert team.hours == ((600, 1080),)
    assert team.closed == frozenset()
    assert (team.timezone, team.working_days, team.holidays) == (
        organisation.timezone,
        organisation.working_days,
        organisation.holidays,
    )
    assert calendar_from_config({"holidays": None}, base=organisation).holidays is None
    assert calendar_from_config({}, base=organisation) == organisation


@pytest.mark.parametrize(
    ("data", "field", "message", "hint"),
    [
        ({"timezone": "Europe/Warsw"}, "calendar.timezone", "unknown time zone", "Europe/Warsaw"),
        ({"timezone": "europe/warsaw"}, "calendar.timezone", "unknown time zone", "Europe/Warsaw"),
        ({"timezone": "../../etc/passwd"}, "calendar.timezone", "unknown time zone", "IANA"),
        ({"timezone": 1}, "calendar.timezone", "must be a time zone name", "Europe/Warsaw"),
        ({"hours": "8-16"}, "calendar.hours", "'8-16' is not an hour range", "08:00-16:00"),
        ({"hours": "08:00-12:00, 11:30-16:00"}, "calendar.hours", "overlaps", "do not overlap"),
        ({"hours": "16:00-08:00"}, "calendar.hours", "does not end after", "22:00-24:00"),
        ({"hours": "08:00-08:00"}, "calendar.hours", "does not end after", "midnight"),
        ({"hours": "08:00-24:30"}, "calendar.hours", "not a time of day", "24:00"),
        ({"hours": "24:00-24:00"}, "calendar.hours", "not a time of day", "24:00"),
        ({"hours": "08:60-16:00"}, "calendar.hours", "not a time of day", "24:00"),
        ({"hours": ""}, "calendar.hours", "not an hour range", "08:00-16:00"),
        ({"hours": 8}, "calendar.hours", "must be hour ranges", "08:00-16:00"),
        ({"working_days": ["mon", "thurs"]}, "calendar.working_days[1]", "'thurs'", "thu"),
        ({"working_days": ["mon", 3]}, "calendar.working_days[1]", "unknown day 3", "sun"),
        ({"working_days": ["mon", "mon"]}, "calendar.working_days[1]", "listed twice", ""),
        ({"working_days": []}, "calendar.working_days", "at least one", "mon"),
        ({"working_days": "mon-fri"}, "calendar.working_days", "list of days", "[mon"),
        ({"holidays": "Poland"}, "calendar.holidays", "no public holidays", "PL"),
        ({"holidays": "XQ"}, "calendar.holidays", "no public holidays", "two-letter"),
        ({"holidays": "DE-XX"}, "calendar.holidays", "DE has no subdivision 'XX'", "BY"),
        ({"holidays": 48}, "calendar.holidays", "must be a country code", "DE-BY"),
        ({"closed": ["2026-02-30"]}, "calendar.closed[0]", "is not a date", "YYYY-MM-DD"),
        ({"closed": ["2026-11-10", "10.11.2026"]}, "calendar.closed[1]", "not a date", "YYYY"),
        (
            {"closed": [dt.datetime(2026, 11, 10, 8, 0)]},
            "calendar.closed[0]",
            "is not a date",
            "YYYY-MM-DD",
        ),
        ({"closed": ["2026-11-10", "2026-11-10"]}, "calendar.closed[1]", "listed twice", ""),
        ({"closed": "2026-11-10"}, "calendar.closed", "list of dates", "2026-11-10"),
        ({"tiemzone": "UTC"}, "calendar.tiemzone", "unknown setting", "timezone"),
    ],
)
def test_bad_settings_name_the_field_and_say_how_to_fix_them(
    data: dict[str, object], field: str, message: str, hint: str
) -> None:
    with pytest.raises(CalendarError) as caught:
        calendar_from_config(data)
    assert caught.value.field == field
    assert message in caught.value.message
    assert hint in caught.value.hint
    assert str(caught.value) == f"{field}: {caught.value.message}"


def test_a_team_error_names_the_team_field() -> None:
    with pytest.raises(CalendarError) as caught:
        calendar_from_config({"hours": "late"}, base=polish(), field="teams.support.calendar")
    assert caught.value.field == "teams.support.calendar.hours"


def test_the_calendar_must_be_a_mapping() -> None:
    with pytest.raises(CalendarError) as caught:
        calendar_from_config(["Europe/Warsaw"])
    assert caught.value.field == "calendar"


def test_a_subdivision_of_a_country_without_any_is_refused_with_the_choices() -> None:
    with pytest.raises(CalendarError) as caught:
        calendar_from_config({"holidays": "PL-99"})
    assert caught.value.field == "calendar.holidays"
    assert "14" in caught.value.hint  # Masovia is one of Poland's subdivisions


@pytest.mark.parametrize(
    "values",
    [
        {"timezone": "Mars/Olympus_Mons"},
        {"working_days": frozenset()},
        {"working_days": frozenset({7})},
        {"hours": ()},
        {"hours": ((480, 720), (700, 960))},
        {"hours": ((750, 990), (480, 720))},
        {"hours": ((960, 480),)},
        {"holidays": "pl"},
        {"closed": frozenset({dt.datetime(2026, 11, 10, tzinfo=dt.UTC)})},
    ],
)
def test_a_calendar_built_in_code_is_checked_too(values: dict[str, object]) -> None:
    with pytest.raises(CalendarError):
        BusinessCalendar(**values)  # type: ignore[arg-type]


# --- hand-worked cases -----------------------------------------------------------------------


def test_friday_afternoon_to_monday_morning() -> None:
    # Fri 2026-11-06 15:30 → 16:00 = 30; Sat, Sun = 0; Mon 2026-11-09 08:00 → 08:45 = 45; 75.
    assert polish().working_minutes(warsaw(2026, 11, 6, 15, 30), warsaw(2026, 11, 9, 8, 45)) == 75


def test_a_weekend_has_no_working_time() -> None:
    # Sat 2026-11-07 10:00 → Sun 2026-11-08 18:00: both days off.
    assert polish().working_minutes(warsaw(2026, 11, 7, 10), warsaw(2026, 11, 8, 18)) == 0


def test_a_polish_public_holiday_is_not_worked() -> None:
    calendar = polish(closed=[])
    # 11 November (Independence Day) is a Wednesday in 2026.
    assert dt.date(2026, 11, 11) in holiday_library.country_holidays("PL", years=2026)
    assert calendar.working_minutes(warsaw(2026, 11, 11, 8), warsaw(2026, 11, 11, 16)) == 0
    # Tue 15:00 → 16:00 = 60; Wed (holiday) = 0; Thu 08:00 → 09:00 = 60; 120.
    assert calendar.working_minutes(warsaw(2026, 11, 10, 15), warsaw(2026, 11, 12, 9)) == 120


def test_a_closed_day_next_to_a_holiday() -> None:
    # Mon 2026-11-09 15:30 → 16:00 = 30; Tue 10th closed = 0; Wed 11th holiday = 0;
    # Thu 08:00 → 08:45 = 45; 75.
    assert polish().working_minutes(warsaw(2026, 11, 9, 15, 30), warsaw(2026, 11, 12, 8, 45)) == 75


def test_requests_opened_outside_working_hours() -> None:
    calendar = polish()
    # Tue 18:00 → Wed 07:30: no window is touched.
    assert calendar.working_minutes(warsaw(2026, 11, 17, 18), warsaw(2026, 11, 18, 7, 30)) == 0
    # Tue 06:00 → 09:00: the window opens at 08:00, so 60.
    assert calendar.working_minutes(warsaw(2026, 11, 17, 6), warsaw(2026, 11, 17, 9)) == 60
    # Tue 17:00 → Wed 08:30: only Wed 08:00 → 08:30 = 30.
    assert calendar.working_minutes(warsaw(2026, 11, 17, 17), warsaw(2026, 11, 18, 8, 30)) == 30


def test_a_lunch_break_is_not_worked() -> None:
    calendar = polish(hours="08:00-12:00, 12:30-16:30")
    # 11:45 → 12:00 = 15; 12:00 → 12:30 break; 12:30 → 13:00 = 30; 45.
    assert calendar.working_minutes(warsaw(2026, 11, 17, 11, 45), warsaw(2026, 11, 17, 13)) == 45
    # A whole day: 4 h + 4 h = 480.
    assert calendar.working_minutes(warsaw(2026, 11, 17, 0), warsaw(2026, 11, 18, 0)) == 480
    assert calendar.day_minutes == 480


def test_partial_minutes_are_floored() -> None:
    # 15:30:40 → 16:00:00 is 29 minutes 20 seconds.
    start = warsaw(2026, 11, 17, 15, 30, second=40)
    assert polish().working_minutes(start, warsaw(2026, 11, 17, 16)) == 29
    assert polish().working_time(start, warsaw(2026, 11, 17, 16)) == dt.timedelta(seconds=1760)


def test_an_interval_that_ends_before_it_starts_has_no_working_time() -> None:
    assert polish().working_minutes(warsaw(2026, 11, 18, 9), warsaw(2026, 11, 17, 9)) == 0
    assert polish().elapsed_minutes(warsaw(2026, 11, 18, 9), warsaw(2026, 11, 17, 9), "always") == 0


def test_timestamps_in_other_offsets() -> None:
    calendar = polish()
    # Fri 14:30 UTC is 15:30 in Warsaw (CET, +01:00); Mon 02:45 at -05:00 is 07:45 UTC, 08:45 CET.
    start = dt.datetime(2026, 11, 6, 14, 30, tzinfo=dt.UTC)
    end = dt.datetime(2026, 11, 9, 2, 45, tzinfo=MINUS_FIVE)
    assert calendar.working_minutes(start, end) == 75
    # In summer (CEST, +02:00): Fri 08:30 at -05:00 is 13:30 UTC, 15:30 in Warsaw;
    # Mon 06:45 UTC is 08:45 in Warsaw. 30 + 45 = 75.
    start = dt.datetime(2026, 6, 5, 8, 30, tzinfo=MINUS_FIVE)
    end = dt.datetime(2026, 6, 8, 6, 45, tzinfo=dt.UTC)
    assert calendar.working_minutes(start, end) == 75


def test_a_weekend_with_the_spring_clock_change() -> None:
    calendar = polish()
    # Fri 2026-03-27 15:00 CET → Mon 2026-03-30 09:00 CEST (clocks go forward on Sun 29th).
    # Working: Fri 15:00 → 16:00 = 60, Mon 08:00 → 09:00 = 60; 120.
    start, end = warsaw(2026, 3, 27, 15), warsaw(2026, 3, 30, 9)
    assert calendar.working_minutes(start, end) == 120
    # Wall clock: 14:00 UTC Friday → 07:00 UTC Monday = 65 hours, one less than the clocks say.
    assert calendar.elapsed_minutes(start, end, "always") == 65 * 60
    assert calendar.elapsed_minutes(start, end, "business") == 120


def test_a_weekend_with_the_autumn_clock_change() -> None:
    calendar = polish()
    # Fri 2026-10-23 15:00 CEST → Mon 2026-10-26 09:00 CET (clocks go back on Sun 25th).
    start, end = warsaw(2026, 10, 23, 15), warsaw(2026, 10, 26, 9)
    assert calendar.working_minutes(start, end) == 120
    # Wall clock: 13:00 UTC Friday → 08:00 UTC Monday = 67 hours.
    assert calendar.elapsed_minutes(start, end, "always") == 67 * 60


@pytest.mark.parametrize(
    ("hours", "day", "minutes"),
    [
        # Around the clock: the spring day has 23 hours, the autumn day 25.
        ("00:00-24:00", dt.date(2026, 3, 29), 23 * 60),
        ("00:00-24:00", dt.date(2026, 10, 25), 25 * 60),
        ("00:00-24:00", dt.date(2026, 3, 28), 24 * 60),
        # Night shift 00:00-06:00: spring 00:00-02:00 CET + 03:00-06:00 CEST = 5 h;
        # autumn 00:00-03:00 CEST + 02:00-06:00 CET = 7 h.
        ("00:00-06:00", dt.date(2026, 3, 29), 5 * 60),
        ("00:00-06:00", dt.date(2026, 10, 25), 7 * 60),
        # 02:00-03:00 never shows on the spring day's clocks and shows twice on the autumn day.
        ("02:00-03:00", dt.date(2026, 3, 29), 0),
        ("02:00-03:00", dt.date(2026, 10, 25), 2 * 60),
        # 02:30-04:00 in spring: the clocks read 03:00-04:00 only = 60.
        ("02:30-04:00", dt.date(2026, 3, 29), 60),
        # Office hours are untouched by the change at 02:00/03:00.
        ("08:00-16:00", dt.date(2026, 3, 29), 8 * 60),
        ("08:00-16:00", dt.date(2026, 10, 25), 8 * 60),
    ],
)
def test_windows_that_span_a_clock_change_last_their_real_length(
    hours: str, day: dt.date, minutes: int
) -> None:
    calendar = polish(working_days=EVERY_DAY, hours=hours)
    midnight = dt.datetime.combine(day, dt.time(), tzinfo=WARSAW)
    next_midnight = dt.datetime.combine(day + dt.timedelta(days=1), dt.time(), tzinfo=WARSAW)
    assert calendar.working_minutes(midnight, next_midnight) == minutes
    assert sum((end - start for start, end in calendar.windows(day)), dt.timedelta(0)) == (
        dt.timedelta(minutes=minutes)
    )


@pytest.mark.parametrize(
    ("zone", "hours", "day", "minutes"),
    [
        # St John's in 2010 changed at 00:01. Autumn: 7 Nov 00:01 NDT became 6 Nov 23:01 NST,
        # so 6 Nov's clocks read 23:01-24:00 twice: 24 h + 59 min; 7 Nov's 00:00-00:01 also
        # shows twice: 24 h + 1 min. 22:00-24:00 on 6 Nov: 120 + 59 = 179.
        ("America/St_Johns", "00:00-24:00", dt.date(2010, 11, 6), 24 * 60 + 59),
        ("America/St_Johns", "00:00-24:00", dt.date(2010, 11, 7), 24 * 60 + 1),
        ("America/St_Johns", "22:00-24:00", dt.date(2010, 11, 6), 179),
        ("America/St_Johns", "00:00-01:00", dt.date(2010, 11, 7), 61),
        # Spring: 14 March 00:01 NST became 01:01 NDT; 00:00-01:00 shows for one minute.
        ("America/St_Johns", "00:00-01:00", dt.date(2010, 3, 14), 1),
        ("America/St_Johns", "00:00-24:00", dt.date(2010, 3, 14), 23 * 60),
        # Havana skips 8 March 2026 00:00-01:00 and repeats 1 November 2026 00:00-01:00.
        ("America/Havana", "00:00-01:00", dt.date(2026, 3, 8), 0),
        ("America/Havana", "00:00-24:00", dt.date(2026, 3, 8), 23 * 60),
        ("America/Havana", "00:00-01:00", dt.date(2026, 11, 1), 2 * 60),
        ("America/Havana", "22:00-24:00", dt.date(2026, 10, 31), 2 * 60),
    ],
)
def test_clock_changes_at_midnight(zone: str, hours: str, day: dt.date, minutes: int) -> None:
    calendar = calendar_from_config({"timezone": zone, "working_days": EVERY_DAY, "hours": hours})
    assert sum((end - start for start, end in calendar.windows(day)), dt.timedelta(0)) == (
        dt.timedelta(minutes=minutes)
    )
    # Over the days around it, the count agrees with a look at every minute's wall clock.
    start = dt.datetime.combine(day - dt.timedelta(days=1), dt.time(), tzinfo=dt.UTC)
    end = start + dt.timedelta(days=3, minutes=7)
    assert calendar.working_minutes(start, end) == _counted_by_the_minute(calendar, start, end)


def test_three_days_around_the_clock_over_the_spring_change() -> None:
    calendar = polish(working_days=EVERY_DAY, hours="00:00-24:00")
    # 28 March 24 h + 29 March 23 h + 30 March 24 h = 71 h.
    assert calendar.working_minutes(warsaw(2026, 3, 28), warsaw(2026, 3, 31)) == 71 * 60


def test_public_holidays_of_a_subdivision() -> None:
    # Epiphany, Tue 2026-01-06, is a public holiday in Bavaria but not in Berlin.
    day = (dt.datetime(2026, 1, 6, 8, tzinfo=dt.UTC), dt.datetime(2026, 1, 6, 16, tzinfo=dt.UTC))
    assert calendar_from_config({"holidays": "DE-BY"}).working_minutes(*day) == 0
    assert calendar_from_config({"holidays": "DE-BE"}).working_minutes(*day) == 480


def test_a_holiday_observed_on_another_day() -> None:
    # New Year's Day 2028 is a Saturday; the United States observe it on Friday 31 December.
    calendar = calendar_from_config({"timezone": "America/New_York", "holidays": "US"})
    friday = (
        dt.datetime(2027, 12, 31, 8, tzinfo=NEW_YORK),
        dt.datetime(2027, 12, 31, 16, tzinfo=NEW_YORK),
    )
    assert calendar.working_minutes(*friday) == 0
    assert calendar.windows(dt.date(2027, 12, 31)) == ()


def test_windows_are_instants_in_utc_and_touching_ranges_are_one_window() -> None:
    utc = dt.UTC
    # 08:00-12:00 and 12:00-16:00 in Warsaw on a winter Tuesday: 07:00-15:00 UTC.
    calendar = polish(hours="08:00-12:00, 12:00-16:00")
    assert calendar.windows(dt.date(2026, 11, 17)) == (
        (dt.datetime(2026, 11, 17, 7, tzinfo=utc), dt.datetime(2026, 11, 17, 15, tzinfo=utc)),
    )
    # A lunch break makes two windows; in summer (+02:00) they are two hours earlier in UTC.
    calendar = polish(hours="08:00-12:00, 12:30-16:30")
    assert calendar.windows(dt.date(2026, 6, 16)) == (
        (dt.datetime(2026, 6, 16, 6, tzinfo=utc), dt.datetime(2026, 6, 16, 10, tzinfo=utc)),
        (
            dt.datetime(2026, 6, 16, 10, 30, tzinfo=utc),
            dt.datetime(2026, 6, 16, 14, 30, tzinfo=utc),
        ),
    )
    # Around the clock on the spring-forward day: one window of 23 hours.
    calendar = polish(working_days=EVERY_DAY, hours="00:00-24:00")
    assert calendar.windows(dt.date(2026, 3, 29)) == (
        (dt.datetime(2026, 3, 28, 23, tzinfo=utc), dt.datetime(2026, 3, 29, 22, tzinfo=utc)),
    )


def test_a_whole_year_in_poland() -> None:
    # 2026 starts on a Thursday: 52 weeks and a Thursday, 52 × 5 + 1 = 261 weekdays. Polish
    # holidays on weekdays: 1 Jan (Thu), 6 Jan (Tue), 6 Apr (Mon), 1 May (Fri), 4 Jun (Thu),
    # 11 Nov (Wed), 24 Dec (Thu), 25 Dec (Fri) = 8; 3 May, 24 May, 5 Apr, 15 Aug, 1 Nov and
    # 26 Dec fall on weekends. 261 − 8 = 253 days, minus the closed 10 Nov = 252; × 480.
    calendar = polish()
    assert calendar.working_minutes(warsaw(2026, 1, 1), warsaw(2027, 1, 1)) == 252 * 480
    assert polish(closed=[]).working_minutes(warsaw(2026, 1, 1), warsaw(2027, 1, 1)) == 253 * 480


def test_long_intervals_are_summed_without_visiting_every_day() -> None:
    # Ten years, 3653 days. Windows are needed only for the 6 dates at the ends and the 3
    # dates around each of the 20 clock changes; the weeks between are counted.
    calendar = polish(working_days=EVERY_DAY, hours="00:00-24:00", holidays=None, closed=[])
    start, end = warsaw(2020, 1, 1, 12), warsaw(2030, 1, 1, 12)
    bc._windows.cache_clear()
    minutes = calendar.working_minutes(start, end)
    assert bc._windows.cache_info().misses <= 6 + 3 * 20
    # Every instant is working time, clock changes included.
    assert minutes == calendar.elapsed_minutes(start, end, "always")
    # The deadline search halves the number of days: each of its at most 2 × 12 + 2 probes
    # adds at most 6 dates at its end.
    bc._windows.cache_clear()
    assert calendar.add_working_minutes(start, minutes) == end
    assert bc._windows.cache_info().misses <= 6 + 3 * 20 + 6 * 26


# --- deadlines and durations -----------------------------------------------------------------


def test_deadlines_on_the_hand_worked_cases() -> None:
    calendar = polish()
    friday = warsaw(2026, 11, 6, 15, 30)
    assert calendar.add_working_minutes(friday, 75) == warsaw(2026, 11, 9, 8, 45)
    # Exactly the rest of the window: the deadline is Friday 16:00, not Monday 08:00.
    assert calendar.add_working_minutes(friday, 30) == warsaw(2026, 11, 6, 16)
    # Monday 15:30 + 30 → 16:00; Tue closed, Wed holiday; + 1 → Thursday 08:01.
    assert calendar.add_working_minutes(warsaw(2026, 11, 9, 15, 30), 31) == (
        warsaw(2026, 11, 12, 8, 1)
    )
    # Across the spring change: Fri 15:00 + 60 (Fri) + 60 (Mon) → Mon 09:00 CEST.
    deadline = calendar.add_working_minutes(warsaw(2026, 3, 27, 15), 120)
    assert deadline == warsaw(2026, 3, 30, 9)
    assert deadline.utcoffset() == dt.timedelta(hours=2)
    # A year's working time from New Year's Day (a holiday) ends on 31 December at 16:00.
    assert calendar.add_working_minutes(warsaw(2026, 1, 1), 252 * 480) == warsaw(2026, 12, 31, 16)


def test_deadlines_from_outside_working_hours() -> None:
    calendar = polish()
    saturday = warsaw(2026, 11, 7, 12)
    assert calendar.add_working_minutes(saturday, 0) == saturday
    assert calendar.add_working_minutes(saturday, 1) == warsaw(2026, 11, 9, 8, 1)
    assert calendar.add_working_minutes(saturday, 4.5) == warsaw(2026, 11, 9, 8, 4, second=30)


def test_durations_become_minutes_of_the_calendar() -> None:
    calendar = polish(hours="08:00-12:00, 12:30-16:00")  # a 7.5-hour day
    assert calendar.target_minutes("30m") == 30
    assert calendar.target_minutes("1.5h") == 90
    assert calendar.target_minutes("2d") == 2 * 450
    assert calendar.target_minutes("1w") == 5 * 450
    assert calendar.target_minutes("2d", "always") == 2 * 24 * 60
    assert calendar.target_minutes("1w", "always") == 7 * 24 * 60
    with pytest.raises(ValueError, match="not a duration"):
        calendar.target_minutes("2 days")
    with pytest.raises(ValueError, match="business"):
        calendar.target_minutes("2d", "sometimes")


def test_deadline_of_a_duration() -> None:
    calendar = polish()
    friday = warsaw(2026, 11, 6, 15, 30)
    # 1d = 480 working minutes: 30 on Friday, 450 on Monday (Tue closed) → Mon 15:30.
    assert calendar.deadline(friday, "1d", "business") == warsaw(2026, 11, 9, 15, 30)
    # 1d of wall time over the autumn change stays 24 real hours.
    saturday = warsaw(2026, 10, 24, 12)
    assert calendar.deadline(saturday, "1d", "always") == warsaw(2026, 10, 25, 11)


def test_naive_times_and_bad_amounts_are_refused() -> None:
    calendar = polish()
    naive = dt.datetime(2026, 11, 6, 15, 30)
    aware = warsaw(2026, 11, 9, 8, 45)
    with pytest.raises(ValueError, match="no time zone"):
        calendar.working_minutes(naive, aware)
    with pytest.raises(ValueError, match="no time zone"):
        calendar.elapsed_minutes(aware, naive, "always")
    with pytest.raises(ValueError, match="no time zone"):
        calendar.add_working_minutes(naive, 10)
    with pytest.raises(ValueError, match="non-negative"):
        calendar.add_working_minutes(aware, -1)
    with pytest.raises(ValueError, match="non-negative"):
        calendar.add_working_minutes(aware, float("nan"))
    with pytest.raises(ValueError, match="business"):
        calendar.elapsed_minutes(aware, aware, "weekdays")


def test_a_deadline_past_the_calendar_range_is_an_overflow() -> None:
    with pytest.raises(OverflowError, match="9999"):
        polish().add_working_minutes(warsaw(2026, 1, 1), 10**10)


# --- properties ------------------------------------------------------------------------------

CALENDARS = [
    polish(),
    polish(hours="08:00-12:00, 12:30-16:30", closed=["2026-11-10", "2027-05-04"]),
    polish(working_days=EVERY_DAY, hours="00:00-06:00, 22:00-24:00"),
    polish(working_days=["mon", "wed", "sat"], hours="02:30-04:00, 09:15-17:45"),
    calendar_from_config(
        {"timezone": "America/New_York", "holidays": "US", "hours": "09:00-17:00"}
    ),
    calendar_from_config(
        {
            "timezone": "America/Havana",
            "working_days": EVERY_DAY,
            "hours": "00:00-01:00, 23:30-24:00",
        }
    ),
]
ZONES = [dt.UTC, MINUS_FIVE, PLUS_FIVE_THIRTY, WARSAW, NEW_YORK]
EPOCH = dt.datetime(2025, 12, 1, tzinfo=dt.UTC)
SPAN = 2 * 366 * 24 * 3600
# Instants near the clock changes of 2026 in Warsaw, New York and Havana are drawn often.
CHANGES = [
    dt.datetime(2026, 3, 29, 1, tzinfo=dt.UTC),
    dt.datetime(2026, 10, 25, 1, tzinfo=dt.UTC),
    dt.datetime(2026, 3, 8, 7, tzinfo=dt.UTC),
    dt.datetime(2026, 11, 1, 6, tzinfo=dt.UTC),
    dt.datetime(2026, 3, 8, 5, tzinfo=dt.UTC),
    dt.datetime(2026, 11, 1, 5, tzinfo=dt.UTC),
]


@st.composite
def instants(draw: st.DrawFn, *, whole_minutes: bool = False) -> dt.datetime:
    """An instant in 2026-2027 (near a clock change now and then), in one of several offsets."""
    if draw(st.booleans()):
        base = draw(st.sampled_from(CHANGES))
        instant = base + dt.timedelta(seconds=draw(st.integers(-3 * 86400, 3 * 86400)))
    else:
        instant = EPOCH + dt.timedelta(seconds=draw(st.integers(0, SPAN)))
    if not whole_minutes:
        instant += dt.timedelta(microseconds=draw(st.integers(0, 999_999)))
    else:
        instant = instant.replace(second=0)
    return instant.astimezone(draw(st.sampled_from(ZONES)))


@PROPERTIES
@given(st.sampled_from(CALENDARS), instants(), instants())
def test_working_minutes_never_exceed_wall_minutes(
    calendar: BusinessCalendar, start: dt.datetime, end: dt.datetime
) -> None:
    working = calendar.working_minutes(start, end)
    assert 0 <= working <= calendar.elapsed_minutes(start, end, "always")
    assert calendar.working_time(start, end) <= max(_utc(end) - _utc(start), dt.timedelta(0))


@PROPERTIES
@given(st.sampled_from(CALENDARS), st.lists(instants(), min_size=3, max_size=3))
def test_working_time_is_additive_over_a_split(
    calendar: BusinessCalendar, points: list[dt.datetime]
) -> None:
    first, middle, last = sorted(points, key=_utc)
    assert calendar.working_time(first, last) == (
        calendar.working_time(first, middle) + calendar.working_time(middle, last)
    )


@PROPERTIES
@given(st.sampled_from(CALENDARS), st.lists(instants(whole_minutes=True), min_size=3, max_size=3))
def test_working_minutes_are_additive_between_whole_minutes(
    calendar: BusinessCalendar, points: list[dt.datetime]
) -> None:
    first, middle, last = sorted(points, key=_utc)
    assert calendar.working_minutes(first, last) == (
        calendar.working_minutes(first, middle) + calendar.working_minutes(middle, last)
    )


AROUND_THE_CLOCK = [
    calendar_from_config({"timezone": zone, "working_days": EVERY_DAY, "hours": "00:00-24:00"})
    for zone in (
        "Europe/Warsaw",
        "Pacific/Auckland",  # +13:00 in summer: local days straddle two UTC dates
        "Australia/Lord_Howe",  # half-hour clock changes
        "America/Havana",  # changes at midnight
        "America/St_Johns",  # changed at 00:01 until 2011
        "Pacific/Kiritimati",  # +14:00
    )
]


@PROPERTIES
@given(
    st.sampled_from(AROUND_THE_CLOCK),
    st.integers(-5 * 365 * 86400, 3 * 365 * 86400),
    st.integers(0, 3 * 365 * 86400),
)
def test_around_the_clock_every_instant_is_working_time(
    calendar: BusinessCalendar, start: int, length: int
) -> None:
    begin = EPOCH + dt.timedelta(seconds=start)
    end = begin + dt.timedelta(seconds=length)
    assert calendar.working_time(begin, end) == end - begin
    # In UTC: a time in a repeated hour never equals one in another zone (PEP 495).
    assert _utc(calendar.add_working_minutes(begin, length / 60)) == end


def _days_off(calendar: BusinessCalendar) -> list[dt.date]:
    """Closed days, public holidays and non-working weekdays of 2026, for the calendar."""
    holidays = (
        holiday_library.country_holidays(calendar.holidays, years=2026) if calendar.holidays else {}
    )
    days = [dt.date(2026, 1, 1) + dt.timedelta(days=n) for n in range(365)]
    return sorted(
        {day for day in days if day.weekday() not in calendar.working_days}
        | set(holidays)
        | {day for day in calendar.closed if day.year == 2026}
    )


@PROPERTIES
@given(st.data())
def test_nothing_is_worked_inside_a_day_off(data: st.DataObject) -> None:
    calendar = data.draw(st.sampled_from([c for c in CALENDARS if len(c.working_days) < 7]))
    day = data.draw(st.sampled_from(_days_off(calendar)))
    zone = calendar.zone
    begin = dt.datetime.combine(day, dt.time(), tzinfo=zone).astimezone(dt.UTC)
    end = dt.datetime.combine(day + dt.timedelta(days=1), dt.time(), tzinfo=zone)
    length = int((end.astimezone(dt.UTC) - begin).total_seconds())
    first, second = sorted(data.draw(st.lists(st.integers(0, length), min_size=2, max_size=2)))
    start = (begin + dt.timedelta(seconds=first)).astimezone(data.draw(st.sampled_from(ZONES)))
    stop = begin + dt.timedelta(seconds=second)
    assert calendar.working_time(start, stop) == dt.timedelta(0)
    assert calendar.windows(day) == ()


@PROPERTIES
@given(st.sampled_from(CALENDARS), instants(), st.integers(0, 30 * 24 * 60))
def test_a_deadline_is_the_first_instant_with_the_working_time(
    calendar: BusinessCalendar, start: dt.datetime, minutes: int
) -> None:
    deadline = calendar.add_working_minutes(start, minutes)
    assert _utc(deadline) >= _utc(start)
    assert calendar.working_minutes(start, deadline) == minutes
    assert calendar.working_time(start, deadline) == dt.timedelta(minutes=minutes)
    if minutes:
        earlier = deadline - dt.timedelta(microseconds=1)
        assert calendar.working_time(start, earlier) < dt.timedelta(minutes=minutes)


def _counted_by_the_minute(calendar: BusinessCalendar, start: dt.datetime, end: dt.datetime) -> int:
    """Working minutes by looking at every minute's wall clock (slow; short intervals only)."""
    holidays = set(
        holiday_library.country_holidays(calendar.holidays, years=range(2025, 2029))
        if calendar.holidays
        else ()
    )
    count = 0
    instant = start.astimezone(dt.UTC)
    while instant < end:
        local = instant.astimezone(calendar.zone)
        clock = local.hour * 60 + local.minute
        if (
            local.weekday() in calendar.working_days
            and local.date() not in holidays
            and local.date() not in calendar.closed
            and any(begin <= clock < stop for begin, stop in calendar.hours)
        ):
            count += 1
        instant += dt.timedelta(minutes=1)
    return count


@settings(PROPERTIES, max_examples=60)
@given(st.sampled_from(CALENDARS), instants(whole_minutes=True), st.integers(0, 4 * 24 * 60))
def test_working_minutes_agree_with_a_minute_by_minute_count(
    calendar: BusinessCalendar, start: dt.datetime, length: int
) -> None:
    end = start + dt.timedelta(minutes=length)
    assert calendar.working_minutes(start, end) == _counted_by_the_minute(calendar, start, end)


# --- descriptions ----------------------------------------------------------------------------


def _weekday(language: str, index: int) -> str:
    return str(Locale.parse(language).days["stand-alone"]["wide"][index])


def _territory(language: str, code: str) -> str:
    return str(Locale.parse(language).territories[code])


def test_the_issue_calendar_described_in_english() -> None:
    text = describe(polish(), "en")
    assert text.days == f"{_weekday('en', 0)} to {_weekday('en', 4)}"
    assert dates.format_time(dt.time(8), "short", locale="en") in text.hours
    assert dates.format_time(dt.time(16), "short", locale="en") in text.hours
    assert text.timezone == "Europe/Warsaw"
    assert text.holidays == f"public holidays in {_territory('en', 'PL')}"
    assert text.closed == (i18n.long_date("2026-11-10", "en"),)
    assert text.sentence == (
        f"Business hours: {text.days}, {text.hours} (Europe/Warsaw time), "
        f"except {text.holidays} and {text.closed[0]}."
    )


def test_the_issue_calendar_described_in_polish() -> None:
    text = describe(polish(), "pl")
    assert text.days == f"{_weekday('pl', 0)}–{_weekday('pl', 4)}"
    assert "08:00" in text.hours and "16:00" in text.hours
    assert text.holidays == f"święta państwowe ({_territory('pl', 'PL')})"
    assert text.closed == (i18n.long_date("2026-11-10", "pl"),)
    exceptions = lists.format_list([text.holidays, text.closed[0]], locale="pl")
    assert text.sentence == (
        f"Godziny pracy: {text.days}, {text.hours} (strefa czasowa Europe/Warsaw), "
        f"z wyjątkiem dni wolnych: {exceptions}."
    )


@pytest.mark.parametrize("language", ["en", "pl"])
def test_working_days_in_words(language: str) -> None:
    def days(*names: str) -> str:
        return describe(polish(working_days=list(names)), language).days

    run = i18n.translate(language, bc.DAY_RANGE)
    monday_to_wednesday = run % {"first": _weekday(language, 0), "last": _weekday(language, 2)}
    assert days("mon", "tue", "wed", "fri") == lists.format_list(
        [monday_to_wednesday, _weekday(language, 4)], locale=language
    )
    assert days("mon", "wed") == lists.format_list(
        [_weekday(language, 0), _weekday(language, 2)], locale=language
    )
    assert days("sun") == _weekday(language, 6)
    assert days(*EVERY_DAY) == {"en": "every day", "pl": "codziennie"}[language]


@pytest.mark.parametrize("language", ["en", "pl"])
def test_hours_in_words(language: str) -> None:
    def hours(text: str) -> str:
        return describe(polish(hours=text), language).hours

    assert hours("00:00-24:00") == {"en": "around the clock", "pl": "całą dobę"}[language]
    assert hours("00:00-12:00, 12:00-24:00") == hours("00:00-24:00")
    assert hours("08:00-12:00, 12:00-16:00") == hours("08:00-16:00")
    morning, afternoon = hours("08:00-12:00"), hours("12:30-16:30")
    assert hours("08:00-12:00, 12:30-16:30") == lists.format_list(
        [morning, afternoon], locale=language
    )
    assert morning != afternoon


def test_holidays_of_a_subdivision_in_words() -> None:
    calendar = calendar_from_config({"holidays": "DE-BY"})
    assert describe(calendar, "en").holidays == (
        f"public holidays in Bayern, {_territory('en', 'DE')}"
    )
    assert describe(calendar, "pl").holidays == (
        f"święta państwowe (Bayern, {_territory('pl', 'DE')})"
    )


def test_past_closed_days_can_be_left_out() -> None:
    calendar = polish(holidays=None, closed=["2025-12-24", "2026-11-10"])
    assert describe(calendar, "en").closed == (
        i18n.long_date("2025-12-24", "en"),
        i18n.long_date("2026-11-10", "en"),
    )
    recent = describe(calendar, "en", since=dt.date(2026, 1, 1))
    assert recent.closed == (i18n.long_date("2026-11-10", "en"),)
    text = describe(calendar, "en", since=dt.date(2027, 1, 1))
    assert text.closed == ()
    assert text.holidays is None
    assert text.sentence == f"Business hours: {text.days}, {text.hours} (Europe/Warsaw time)."


def test_an_unsupported_language_is_refused() -> None:
    with pytest.raises(ValueError, match="unsupported language"):
        describe(polish(), "de")

"""A business calendar (time zone, working days and hours, holidays) and time measured in it.

A working window is one local date's hour range. Its real instants are the ones whose wall
clock, on that date, reads a time inside the range: a window that spans a daylight-saving
change lasts what the clocks really allowed (``00:00-24:00`` is 23 hours on the spring-forward
day, 25 on the fall-back day). Long intervals are counted in whole weeks; only the days off
(holidays, closed days) and the few days around a clock change are looked at one by one.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import difflib
import functools
import itertools
import math
import re
import zoneinfo
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from generator import i18n
from generator.model import durations

UTC = dt.UTC
DAY = dt.timedelta(days=1)
SECOND = dt.timedelta(seconds=1)
MINUTE = dt.timedelta(minutes=1)
MINUTES_PER_DAY = 24 * 60
DAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
LONG_DAY_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
HOURS_MODES = ("business", "always")
KEYS = ("timezone", "working_days", "hours", "holidays", "closed")
EXAMPLE_HOURS = '"08:00-16:00" or "08:00-12:00, 12:30-16:30"'

Window = tuple[dt.datetime, dt.datetime]
"""A half-open interval of instants, both in UTC."""


class CalendarError(ValueError):
    """A calendar setting that cannot be used: the field, what is wrong, and how to fix it."""

    def __init__(self, field: str, message: str, hint: str = "") -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message
        self.hint = hint


@dataclass(frozen=True, slots=True)
class BusinessCalendar:
    """When work happens: ``hours`` are (start, end) minutes after local midnight, ordered.

    ``holidays`` is a country code (``PL``) or a country and subdivision (``DE-BY``) of the
    ``holidays`` library; ``closed`` lists extra days off.
    """

    timezone: str = "UTC"
    working_days: frozenset[int] = frozenset(range(5))
    hours: tuple[tuple[int, int], ...] = ((8 * 60, 16 * 60),)
    holidays: str | None = None
    closed: frozenset[dt.date] = frozenset()

    def __post_init__(self) -> None:
        _check_timezone(self.timezone, "calendar.timezone")
        if not self.working_days or not self.working_days <= set(range(7)):
            raise CalendarError("calendar.working_days", "needs weekdays 0 (Monday) to 6 (Sunday)")
        _check_ranges(self.hours, "calendar.hours")
        if self.holidays is not None and _holiday_code(self.holidays, "calendar.holidays") != (
            self.holidays
        ):
            raise CalendarError("calendar.holidays", f"write {self.holidays!r} in upper case")
        if any(isinstance(day, dt.datetime) or not isinstance(day, dt.date) for day in self.closed):
            raise CalendarError("calendar.closed", "must hold dates without a time")

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        """The time zone as a ``tzinfo``."""
        return zoneinfo.ZoneInfo(self.timezone)

    @property
    def day_minutes(self) -> int:
        """Length of a standard working day: the sum of the hour ranges."""
        return sum(end - start for start, end in self.hours)

    def is_working_date(self, day: dt.date) -> bool:
        """Whether ``day`` (a local date) is a working day: a working weekday, not a day off."""
        return (
            day.weekday() in self.working_days
            and day not in self.closed
            and day not in _holiday_dates(self.holidays, day.year)
        )

    def windows(self, day: dt.date) -> tuple[Window, ...]:
        """The working windows of local date ``day`` as UTC instants; none on a day off."""
        return _windows(self.timezone, self.hours, day) if self.is_working_date(day) else ()

    def working_time(self, start: dt.datetime, end: dt.datetime) -> dt.timedelta:
        """Working time within [start, end); zero when ``end`` is not after ``start``."""
        low, high = _utc(start), _utc(end)
        if high <= low:
            return dt.timedelta(0)
        first, last = low.date(), high.date()
        if (last - first).days <= 4:
            return _length(self._windows_between(low, high))
        # An instant's local date is within a day of its UTC date, so local dates from
        # first + 2 to last - 2 are wholly inside [low, high); the others are cut to it.
        edges = [first + shift * DAY for shift in (-1, 0, 1)]
        edges += [last + shift * DAY for shift in (-1, 0, 1)]
        cut = [window for day in edges for window in self._cut(day, low, high)]
        return _length(cut) + self._full_days(first + 2 * DAY, last - DAY)

    def working_minutes(self, start: dt.datetime, end: dt.datetime) -> int:
        """Whole working minutes within [start, end)."""
        return self.working_time(start, end) // MINUTE

    def elapsed_minutes(self, start: dt.datetime, end: dt.datetime, hours: str) -> int:
        """Whole minutes from ``start`` to ``end``: working (``business``) or wall (``always``)."""
        if _hours_mode(hours) == "business":
            return self.working_minutes(start, end)
        return max(_utc(end) - _utc(start), dt.timedelta(0)) // MINUTE

    def target_minutes(self, duration: str, hours: str = "business") -> float:
        """A duration (``30m``, ``1.5h``, ``2d``, ``1w``) in minutes of this calendar.

        With ``business`` hours a day is :attr:`day_minutes` and a week five such days; with
        ``always`` they are 24 hours and 7 days.
        """
        value = durations.minutes(
            duration, hours=_hours_mode(hours), business_day_hours=self.day_minutes / 60
        )
        if value is None:
            raise ValueError(f"{duration!r} is not a duration such as 30m, 1.5h, 2d or 1w")
        return value

    def add_working_minutes(self, start: dt.datetime, minutes: float) -> dt.datetime:
        """The instant when ``minutes`` of working time after ``start`` have passed (local time).

        It is the earliest instant ``t`` with ``working_time(start, t)`` equal to ``minutes``.
        Compare it with instants of other zones in UTC: in a repeated hour it never equals them.
        """
        if not math.isfinite(minutes) or minutes < 0:
            raise ValueError(f"working minutes must be a non-negative number, not {minutes!r}")
        return self._add(_utc(start), dt.timedelta(minutes=minutes)).astimezone(self.zone)

    def deadline(self, start: dt.datetime, duration: str, hours: str) -> dt.datetime:
        """When ``duration`` (``4h``, ``2d``…) after ``start`` ends, in working or wall time."""
        target = self.target_minutes(duration, hours)
        if hours == "business":
            return self.add_working_minutes(start, target)
        return (_utc(start) + dt.timedelta(minutes=target)).astimezone(self.zone)

    def _windows_between(self, low: dt.datetime, high: dt.datetime) -> list[Window]:
        """The working windows cut to [low, high), in time order."""
        days = range(-1, (high.date() - low.date()).days + 2)
        return sorted(
            window for shift in days for window in self._cut(low.date() + shift * DAY, low, high)
        )

    def _cut(self, day: dt.date, low: dt.datetime, high: dt.datetime) -> list[Window]:
        """``day``'s working windows cut to [low, high)."""
        return [
            (max(begin, low), min(end, high))
            for begin, end in self.windows(day)
            if max(begin, low) < min(end, high)
        ]

    def _full_days(self, first: dt.date, stop: dt.date) -> dt.timedelta:
        """Working time of the whole local dates ``first`` up to ``stop`` (excluded).

        Counted by weeks; the days off and the days with a clock change are then corrected.
        """
        if stop <= first:
            return dt.timedelta(0)
        weeks, rest = divmod((stop - first).days, 7)
        start_weekday = first.weekday()
        count = weeks * len(self.working_days) + sum(
            (start_weekday + offset) % 7 in self.working_days for offset in range(rest)
        )
        off = {day for day in self._days_off(first, stop) if day.weekday() in self.working_days}
        standard = dt.timedelta(minutes=self.day_minutes)
        total = standard * (count - len(off))
        for day in _dates_between(first, stop, lambda year: _irregular_dates(self.timezone, year)):
            if day.weekday() in self.working_days and day not in off:
                total += _length(self.windows(day)) - standard
        return total

    def _days_off(self, first: dt.date, stop: dt.date) -> set[dt.date]:
        """Holidays and closed days from ``first`` up to ``stop`` (excluded)."""
        off = {day for day in self.closed if first <= day < stop}
        off.update(_dates_between(first, stop, lambda year: _holiday_dates(self.holidays, year)))
        return off

    def _add(self, start: dt.datetime, amount: dt.timedelta) -> dt.datetime:
        """The first instant ``t`` with ``working_time(start, t) == amount``.

        The UTC day that holds it is found by halving; then that day's windows are walked.
        """
        if not amount:
            return start
        origin = _midnight(start.date())
        days = self._days_needed(start, origin, amount)
        low = max(start, origin + (days - 1) * DAY)
        remaining = amount - self.working_time(start, low)
        while True:
            high = _later(origin, days)
            for begin, end in self._windows_between(low, high):
                if end - begin >= remaining:
                    return begin + remaining
                remaining -= end - begin
            low, days = high, days + 1

    def _days_needed(self, start: dt.datetime, origin: dt.datetime, amount: dt.timedelta) -> int:
        """The fewest days ``n`` after ``origin`` with ``amount`` of working time since ``start``.

        Found by doubling, then halving, ``n``: a few week-wise sums, not one per day.
        """
        weekly = dt.timedelta(minutes=self.day_minutes) * len(self.working_days)
        low, high = 0, max(1, math.ceil(amount / weekly * 7))
        while self.working_time(start, _later(origin, high)) < amount:
            low, high = high, high * 2
        while high - low > 1:
            middle = (low + high) // 2
            if self.working_time(start, _later(origin, middle)) < amount:
                low = middle
            else:
                high = middle
        return high


def calendar_from_config(
    data: object, *, base: BusinessCalendar | None = None, field: str = "calendar"
) -> BusinessCalendar:
    """A calendar from configuration data (as YAML gives it); keys not given keep ``base``'s.

    A team's calendar is ``calendar_from_config(team_data, base=organisation_calendar)``.
    """
    base = BusinessCalendar() if base is None else base
    if data is None:
        return base
    if not isinstance(data, Mapping):
        raise CalendarError(field, "must be a mapping", "e.g. timezone: Europe/Warsaw")
    changes: dict[str, object] = {}
    for key, value in data.items():
        if key not in KEYS:
            raise CalendarError(f"{field}.{key}", "unknown setting", _did_you_mean(key, KEYS))
        changes[key] = _PARSERS[key](value, f"{field}.{key}")
    return dataclasses.replace(base, **changes)  # type: ignore[arg-type]


def _parse_timezone(value: object, field: str) -> str:
    if not isinstance(value, str):
        raise CalendarError(field, "must be a time zone name", "e.g. Europe/Warsaw")
    _check_timezone(value, field)
    return value


def _parse_days(value: object, field: str) -> frozenset[int]:
    if not isinstance(value, list):
        raise CalendarError(field, "must be a list of days", "e.g. [mon, tue, wed, thu, fri]")
    if not value:
        raise CalendarError(field, "needs at least one working day", "e.g. [mon, tue, wed]")
    days: set[int] = set()
    for index, item in enumerate(value):
        name = item.strip().lower() if isinstance(item, str) else ""
        if name in DAY_NAMES or name in LONG_DAY_NAMES:
            number = DAY_NAMES.index(name) if name in DAY_NAMES else LONG_DAY_NAMES.index(name)
        else:
            hint = _did_you_mean(name, DAY_NAMES) or "use mon, tue, wed, thu, fri, sat or sun"
            raise CalendarError(f"{field}[{index}]", f"unknown day {_shown(item)}", hint)
        if number in days:
            raise CalendarError(f"{field}[{index}]", f"{_shown(item)} is listed twice")
        days.add(number)
    return frozenset(days)


RANGE = re.compile(r"^\s*([0-9]{1,2}):([0-9]{2})\s*[-–]\s*([0-9]{1,2}):([0-9]{2})\s*$")


def _parse_hours(value: object, field: str) -> tuple[tuple[int, int], ...]:
    if isinstance(value, str):
        texts = value.split(",")
    elif isinstance(value, list) and all(isinstance(item, str) for item in value):
        texts = list(value)
    else:
        raise CalendarError(field, "must be hour ranges", f"e.g. {EXAMPLE_HOURS}")
    ranges = sorted(_parse_range(text, field) for text in texts)
    _check_ranges(tuple(ranges), field)
    return tuple(ranges)


def _parse_range(text: str, field: str) -> tuple[int, int]:
    match = RANGE.match(text)
    if not match:
        raise CalendarError(field, f"{_shown(text.strip())} is not an hour range", EXAMPLE_HOURS)
    start_hour, start_minute, end_hour, end_minute = (int(part) for part in match.groups())
    start, end = start_hour * 60 + start_minute, end_hour * 60 + end_minute
    if start_hour > 23 or start_minute > 59 or end_minute > 59 or end > MINUTES_PER_DAY:
        raise CalendarError(
            field, f"{_shown(text.strip())} is not a time of day", "use 00:00 to 23:59, and 24:00"
        )
    if end <= start:
        raise CalendarError(
            field,
            f"{_shown(text.strip())} does not end after it starts",
            "split a range across midnight into two, e.g. 22:00-24:00, 00:00-06:00",
        )
    return start, end


def _parse_holidays(value: object, field: str) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise CalendarError(field, "must be a country code", "e.g. PL, or DE-BY for Bavaria")
    return _holiday_code(value, field)


def _parse_closed(value: object, field: str) -> frozenset[dt.date]:
    if value is None:
        return frozenset()
    if not isinstance(value, list):
        raise CalendarError(field, "must be a list of dates", 'e.g. ["2026-11-10"]')
    closed: set[dt.date] = set()
    for index, item in enumerate(value):
        day = _date(item)
        if day is None:
            raise CalendarError(
                f"{field}[{index}]", f"{_shown(item)} is not a date", "write YYYY-MM-DD"
            )
        if day in closed:
            raise CalendarError(f"{field}[{index}]", f"{day.isoformat()} is listed twice")
        closed.add(day)
    return frozenset(closed)


_PARSERS = {
    "timezone": _parse_timezone,
    "working_days": _parse_days,
    "hours": _parse_hours,
    "holidays": _parse_holidays,
    "closed": _parse_closed,
}


def _date(value: object) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return None
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return None
    return None


def _check_timezone(name: str, field: str) -> None:
    if name in _listed_time_zones() or name in _time_zones():
        return
    folded = {zone.casefold(): zone for zone in _time_zones()}
    suggestion = folded.get(name.casefold()) or next(
        iter(difflib.get_close_matches(name, _time_zones(), n=1)), None
    )
    hint = f"did you mean {suggestion}?" if suggestion else "use an IANA name, e.g. Europe/Warsaw"
    raise CalendarError(field, f"unknown time zone {_shown(name)}", hint)


def _check_ranges(ranges: tuple[tuple[int, int], ...], field: str) -> None:
    if not ranges:
        raise CalendarError(field, "needs at least one hour range", EXAMPLE_HOURS)
    for start, end in ranges:
        if not 0 <= start < end <= MINUTES_PER_DAY:
            raise CalendarError(field, f"{_clock(start)}-{_clock(end)} is not an hour range")
    for (start, end), (later, later_end) in itertools.pairwise(ranges):
        if later < start:
            raise CalendarError(field, "hour ranges must be in order of the day")
        if later < end:
            raise CalendarError(
                field,
                f"{_clock(start)}-{_clock(end)} overlaps {_clock(later)}-{_clock(later_end)}",
                "list each working time once, in ranges that do not overlap",
            )


def _holiday_code(text: str, field: str) -> str:
    """The canonical ``CC`` or ``CC-SUB`` spelling of a supported country or subdivision."""
    from babel import Locale  # noqa: PLC0415 - Babel's locale data, only for words

    country, dash, subdivision = text.strip().partition("-")
    code = country.upper()
    supported = _supported_countries()
    if code not in supported:
        named = {name.casefold(): key for key, name in Locale("en").territories.items()}
        guess = named.get(country.strip().casefold())
        hint = (
            f"use the country code {guess}"
            if guess in supported
            else "use a two-letter country code, e.g. PL, DE or US"
        )
        raise CalendarError(field, f"no public holidays known for {_shown(text)}", hint)
    if not dash:
        return code
    known = _subdivisions(code)
    subdivisions = {name.upper(): name for name in known}
    if subdivision.upper() not in subdivisions:
        choices = ", ".join(known[:20]) + (", …" if len(known) > 20 else "")
        hint = (
            f"choose one of {choices}" if choices else f"{code} has no subdivisions; write {code}"
        )
        raise CalendarError(field, f"{code} has no subdivision {_shown(subdivision)}", hint)
    return f"{code}-{subdivisions[subdivision.upper()]}"


def _supported_countries() -> frozenset[str]:
    """The holiday library's country codes and aliases, read from its registry (listing
    the supported countries with their subdivisions would import every country)."""
    from holidays.registry import EntityLoader  # noqa: PLC0415 - only for public holidays

    return frozenset(EntityLoader.get_country_codes(include_aliases=True))


def _subdivisions(code: str) -> list[str]:
    """The subdivision codes of one country (importing only that country's module)."""
    import holidays as holiday_library  # noqa: PLC0415 - only for public holidays

    return list(getattr(holiday_library, code).subdivisions)


def _hours_mode(hours: str) -> str:
    if hours not in HOURS_MODES:
        raise ValueError(f"hours must be 'business' or 'always', not {hours!r}")
    return hours


def _did_you_mean(value: object, choices: Iterable[str]) -> str:
    if not isinstance(value, str):
        return ""
    matches = difflib.get_close_matches(value.lower(), list(choices), n=1)
    return f"did you mean {matches[0]}?" if matches else ""


def _shown(value: object) -> str:
    """A value from the configuration, quoted and shortened for a message."""
    text = repr(value)
    return text if len(text) <= 60 else f"{text[:57]}…"


def _clock(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


@functools.cache
def _time_zones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


@functools.cache
def _listed_time_zones() -> frozenset[str]:
    """The zones the ``tzdata`` package lists: a part of ``_time_zones()`` read from one file,
    where that walks every file of the system's time zone database."""
    try:
        import tzdata  # type: ignore[import-untyped]  # noqa: PLC0415 - data only, optional

        listing = (Path(tzdata.__file__).parent / "zones").read_text(encoding="utf-8")
    except (ImportError, OSError, TypeError):
        return frozenset()
    return frozenset(line.strip() for line in listing.splitlines() if line.strip())


# Time arithmetic. Instants are UTC datetimes; tzdata offsets and transitions are whole seconds.


def _utc(value: dt.datetime) -> dt.datetime:
    if not isinstance(value, dt.datetime):
        raise TypeError(f"expected a datetime, not {type(value).__name__}")
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{value.isoformat()} has no time zone; give an aware datetime")
    return value.astimezone(UTC)


def _midnight(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), tzinfo=UTC)


def _later(instant: dt.datetime, days: int) -> dt.datetime:
    try:
        return instant + days * DAY
    except OverflowError:
        raise OverflowError("the deadline falls after the year 9999") from None


def _length(windows: Iterable[Window]) -> dt.timedelta:
    return sum((end - begin for begin, end in windows), dt.timedelta(0))


def _dates_between(
    first: dt.date, stop: dt.date, dates_of_year: Callable[[int], frozenset[dt.date]]
) -> Iterable[dt.date]:
    """The dates of each year's set (``dates_of_year(year)``) from ``first`` to ``stop``."""
    for year in range(first.year, (stop - DAY).year + 1):
        yield from (day for day in dates_of_year(year) if first <= day < stop)


@functools.lru_cache(maxsize=1024)
def _holiday_dates(code: str | None, year: int) -> frozenset[dt.date]:
    """Public holidays of ``code`` (``PL``, ``DE-BY``) in ``year``, observed days included."""
    if code is None:
        return frozenset()
    country, _, subdivision = code.partition("-")
    import holidays as holiday_library  # noqa: PLC0415 - large; only for public holidays

    found = holiday_library.country_holidays(country, subdiv=subdivision or None, years=year)
    return frozenset(day for day in found if day.year == year)


@functools.lru_cache(maxsize=4096)
def _windows(timezone: str, hours: tuple[tuple[int, int], ...], day: dt.date) -> tuple[Window, ...]:
    """Instants whose wall clock reads ``day`` and a time inside one of ``hours``, merged.

    UTC offsets are under a day, so those instants lie within a day before to two after
    ``day``'s midnight in UTC; where the offset is constant, a wall time is one instant.
    """
    midnight = _midnight(day)
    pieces: list[Window] = []
    for begin, end, offset in _constant_offsets(timezone, midnight - DAY, midnight + 2 * DAY):
        for start, stop in hours:
            low = max(begin, midnight + dt.timedelta(minutes=start) - offset)
            high = min(end, midnight + dt.timedelta(minutes=stop) - offset)
            if low < high:
                pieces.append((low, high))
    merged: list[Window] = []
    for low, high in sorted(pieces):
        if merged and low <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(high, merged[-1][1]))
        else:
            merged.append((low, high))
    return tuple(merged)


def _constant_offsets(
    timezone: str, begin: dt.datetime, end: dt.datetime
) -> list[tuple[dt.datetime, dt.datetime, dt.timedelta]]:
    """Split [begin, end) where the UTC offset changes: (start, end, offset) pieces."""
    zone = zoneinfo.ZoneInfo(timezone)
    pieces = []
    while begin < end:
        offset = _offset(zone, begin)
        if _offset(zone, end - SECOND) == offset:
            pieces.append((begin, end, offset))
            break
        change = _transition(zone, begin, end - SECOND)
        pieces.append((begin, change, offset))
        begin = change
    return pieces


def _transition(zone: zoneinfo.ZoneInfo, low: dt.datetime, high: dt.datetime) -> dt.datetime:
    """The first instant after ``low`` with ``high``'s offset, found by halving (to a second)."""
    target = _offset(zone, high)
    while high - low > SECOND:
        middle = low + ((high - low) // 2 // SECOND) * SECOND
        if _offset(zone, middle) == target:
            high = middle
        else:
            low = middle
    return high


def _offset(zone: zoneinfo.ZoneInfo, instant: dt.datetime) -> dt.timedelta:
    return instant.astimezone(zone).utcoffset() or dt.timedelta(0)


@functools.lru_cache(maxsize=256)
def _irregular_dates(timezone: str, year: int) -> frozenset[dt.date]:
    """Dates of ``year`` whose working time may differ from a standard day's.

    They are the dates with a change of UTC offset from a day before to two days after their
    midnight in UTC, the span that holds all their instants.
    """
    zone = zoneinfo.ZoneInfo(timezone)
    first = dt.date(year, 1, 1)
    count = (dt.date(year, 12, 31) - first).days + 1
    offsets = [_offset(zone, _midnight(first) + index * DAY) for index in range(-1, count + 2)]
    return frozenset(
        first + index * DAY for index in range(count) if offsets[index] != offsets[index + 3]
    )


# Descriptions for pages.

BUSINESS_HOURS = i18n.mark("Business hours: %(days)s, %(hours)s (%(timezone)s time).")
BUSINESS_HOURS_EXCEPT = i18n.mark(
    "Business hours: %(days)s, %(hours)s (%(timezone)s time), except %(exceptions)s."
)
DAY_RANGE = i18n.mark("%(first)s to %(last)s")
EVERY_DAY = i18n.mark("every day")
ALL_DAY = i18n.mark("around the clock")
HOLIDAYS_IN = i18n.mark("public holidays in %(country)s")
HOLIDAYS_IN_SUBDIVISION = i18n.mark("public holidays in %(subdivision)s, %(country)s")


@dataclass(frozen=True, slots=True)
class CalendarDescription:
    """A calendar in plain words: each part, and the sentence that joins them."""

    days: str
    hours: str
    timezone: str
    holidays: str | None
    closed: tuple[str, ...]
    sentence: str


def describe(
    calendar: BusinessCalendar, language: str, *, since: dt.date | None = None
) -> CalendarDescription:
    """Business hours in ``language``; closed days before ``since`` are left out."""
    from babel import lists  # noqa: PLC0415 - Babel's locale data, only for words

    i18n.translations(language)  # an unsupported language fails here
    days = _describe_days(calendar.working_days, language)
    hours = _describe_hours(calendar.hours, language)
    holidays = _describe_holidays(calendar.holidays, language)
    closed = tuple(
        i18n.long_date(day.isoformat(), language)
        for day in sorted(calendar.closed)
        if since is None or day >= since
    )
    exceptions = ([holidays] if holidays else []) + list(closed)
    values = {"days": days, "hours": hours, "timezone": calendar.timezone}
    if exceptions:
        values["exceptions"] = lists.format_list(exceptions, locale=language)
        sentence = i18n.translate(language, BUSINESS_HOURS_EXCEPT) % values
    else:
        sentence = i18n.translate(language, BUSINESS_HOURS) % values
    return CalendarDescription(days, hours, calendar.timezone, holidays, closed, sentence)


def _describe_days(working_days: frozenset[int], language: str) -> str:
    """``Monday to Friday``; runs of three days or more become ranges, shorter ones a list."""
    from babel import Locale, lists  # noqa: PLC0415 - Babel's locale data, only for words

    if len(working_days) == 7:
        return i18n.translate(language, EVERY_DAY)
    names = Locale.parse(language).days["stand-alone"]["wide"]
    runs: list[list[int]] = []
    for day in sorted(working_days):
        if runs and runs[-1][-1] == day - 1:
            runs[-1].append(day)
        else:
            runs.append([day])
    items: list[str] = []
    for run in runs:
        if len(run) >= 3:
            values = {"first": names[run[0]], "last": names[run[-1]]}
            items.append(i18n.translate(language, DAY_RANGE) % values)
        else:
            items.extend(names[day] for day in run)
    return lists.format_list(items, locale=language)


def _describe_hours(hours: tuple[tuple[int, int], ...], language: str) -> str:
    """``08:00–16:00`` in the locale's time format; touching ranges are joined."""
    from babel import Locale, dates, lists  # noqa: PLC0415 - Babel's locale data, only for words

    joined: list[list[int]] = []
    for start, end in hours:
        if joined and joined[-1][1] == start:
            joined[-1][1] = end
        else:
            joined.append([start, end])
    if joined == [[0, MINUTES_PER_DAY]]:
        return i18n.translate(language, ALL_DAY)
    pattern = str(Locale.parse(language).time_formats["short"].pattern)
    skeleton = "Hm" if "H" in pattern else "hm"
    spans = [
        dates.format_interval(_time(start), _time(end), skeleton, locale=language)
        for start, end in joined
    ]
    return lists.format_list(spans, locale=language)


def _time(minutes: int) -> dt.time:
    return dt.time((minutes // 60) % 24, minutes % 60)


def _describe_holidays(code: str | None, language: str) -> str | None:
    """``public holidays in Poland``, with the subdivision's name when there is one."""
    from babel import Locale  # noqa: PLC0415 - Babel's locale data, only for words

    if code is None:
        return None
    country, _, subdivision = code.partition("-")
    country_name = Locale.parse(language).territories.get(country, country)
    if not subdivision:
        return i18n.translate(language, HOLIDAYS_IN) % {"country": country_name}
    import holidays as holiday_library  # noqa: PLC0415 - large; only for public holidays

    aliases = holiday_library.country_holidays(country).subdivisions_aliases
    names = {code: name for name, code in reversed(list(aliases.items()))}
    values = {"country": country_name, "subdivision": names.get(subdivision, subdivision)}
    return i18n.translate(language, HOLIDAYS_IN_SUBDIVISION) % values

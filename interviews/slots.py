"""The slot search as a pure function over plain data: when a whole panel is free for a session.

Clause by clause:

1. Each interviewer is available during their weekly hours, read on each local day in their own
   time zone (so 09:00 in Paris is 08:00 UTC in winter and 07:00 UTC in summer), plus their
   extra hours, minus their unavailable dates or hours.
2. The panel is free where every interviewer is available (the intersection); an empty panel,
   or an interviewer without any hours, leaves no slot.
3. Busy intervals (the panel's and the candidate's other interviews, not cancelled) are widened
   by the kit's buffer on both sides and taken out.
4. A slot lasts the kit's duration, starts on a grid of `step` (counted from midnight UTC, so
   starts read :00 or :30 in most zones), no earlier than the notice allows and before the end
   of the booking window.

Intervals are (start, end) pairs of aware datetimes, half-open: a session ending at 10:00 and
one starting at 10:00 do not overlap.
"""

import datetime
import zoneinfo
from collections.abc import Iterable
from dataclasses import dataclass, field

UTC = datetime.UTC
Interval = tuple[datetime.datetime, datetime.datetime]


@dataclass(frozen=True)
class WeeklyRange:
    weekday: int  # Monday is 0
    start: datetime.time
    end: datetime.time


@dataclass(frozen=True)
class DatedRange:
    """An exception: `extra` hours, or unavailable; whole days when start and end are None."""

    first_day: datetime.date
    last_day: datetime.date
    start: datetime.time | None = None
    end: datetime.time | None = None
    extra: bool = False


@dataclass(frozen=True)
class Calendar:
    """One interviewer's availability as the slot search reads it."""

    time_zone: str
    weekly: tuple[WeeklyRange, ...] = ()
    exceptions: tuple[DatedRange, ...] = field(default_factory=tuple)


def merge(intervals: Iterable[Interval]) -> list[Interval]:
    """Sorted, with overlapping or touching intervals joined; empty intervals dropped."""
    result: list[Interval] = []
    for start, end in sorted(i for i in intervals if i[1] > i[0]):
        if result and start <= result[-1][1]:
            if end > result[-1][1]:
                result[-1] = (result[-1][0], end)
        else:
            result.append((start, end))
    return result


def intersect(a: list[Interval], b: list[Interval]) -> list[Interval]:
    """Where both merged lists are covered."""
    result, i, j = [], 0, 0
    while i < len(a) and j < len(b):
        start, end = max(a[i][0], b[j][0]), min(a[i][1], b[j][1])
        if start < end:
            result.append((start, end))
        if a[i][1] < b[j][1]:
            i += 1
        else:
            j += 1
    return result


def subtract(a: list[Interval], b: list[Interval]) -> list[Interval]:
    """The parts of merged list `a` not covered by merged list `b`."""
    result, j = [], 0
    for start, end in a:
        while j < len(b) and b[j][1] <= start:
            j += 1
        k, cursor = j, start
        while k < len(b) and b[k][0] < end:
            if b[k][0] > cursor:
                result.append((cursor, b[k][0]))
            cursor = max(cursor, b[k][1])
            k += 1
        if cursor < end:
            result.append((cursor, end))
    return result


def _at(day: datetime.date, hour: datetime.time, zone: zoneinfo.ZoneInfo) -> datetime.datetime:
    # An hour that does not exist on a spring-forward day reads with the offset before the change
    # (zoneinfo's fold=0), which lands on the same instant as the first hour after it.
    return datetime.datetime.combine(day, hour, tzinfo=zone).astimezone(UTC)


def _local_range(day, start, end, zone) -> Interval:
    if start is None:  # the whole local day, 23 or 25 hours long on a day the clocks change
        return _at(day, datetime.time(0), zone), _at(day + datetime.timedelta(days=1), datetime.time(0), zone)
    return _at(day, start, zone), _at(day, end, zone)


def calendar_intervals(
    calendar: Calendar, since: datetime.datetime, until: datetime.datetime
) -> list[Interval]:
    """Clause 1: the calendar's available intervals within [since, until), merged, in UTC."""
    zone = zoneinfo.ZoneInfo(calendar.time_zone)
    day = since.astimezone(zone).date() - datetime.timedelta(days=1)
    last = until.astimezone(zone).date() + datetime.timedelta(days=1)
    weekly: dict[int, list[WeeklyRange]] = {}
    for w in calendar.weekly:
        weekly.setdefault(w.weekday, []).append(w)
    available, removed = [], []
    while day <= last:
        for w in weekly.get(day.weekday(), ()):
            available.append(_local_range(day, w.start, w.end, zone))
        for e in calendar.exceptions:
            if e.first_day <= day <= e.last_day:
                (available if e.extra else removed).append(_local_range(day, e.start, e.end, zone))
        day += datetime.timedelta(days=1)
    free = subtract(merge(available), merge(removed))
    return intersect(free, [(since, until)])


def panel_free(
    calendars: Iterable[Calendar], since: datetime.datetime, until: datetime.datetime
) -> list[Interval]:
    """Clause 2: where every calendar is available (nothing for an empty panel)."""
    free: list[Interval] | None = None
    for calendar in calendars:
        hours = calendar_intervals(calendar, since, until)
        free = hours if free is None else intersect(free, hours)
        if not free:
            return []
    return free or []


def _grid_start(moment: datetime.datetime, step: datetime.timedelta) -> datetime.datetime:
    """The first grid point at or after `moment` (the grid counts from midnight UTC)."""
    midnight = moment.astimezone(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    steps = -((midnight - moment) // step)  # ceiling division
    return midnight + steps * step


def open_slots(
    *,
    calendars: Iterable[Calendar],
    busy: Iterable[Interval],
    duration: datetime.timedelta,
    buffer: datetime.timedelta,
    earliest: datetime.datetime,
    latest: datetime.datetime,
    step: datetime.timedelta,
) -> list[datetime.datetime]:
    """The starts of every slot where the whole panel is free (clauses 1 to 4), in order."""
    free = panel_free(calendars, earliest, latest + duration)
    blocked = merge((start - buffer, end + buffer) for start, end in busy)
    starts = []
    for start, end in subtract(free, blocked):
        slot = _grid_start(start, step)
        while slot + duration <= end and slot < latest:
            starts.append(slot)
            slot += step
    return starts


def slot_is_open(
    *,
    calendars: Iterable[Calendar],
    busy: Iterable[Interval],
    start: datetime.datetime,
    duration: datetime.timedelta,
    buffer: datetime.timedelta,
    earliest: datetime.datetime,
    latest: datetime.datetime,
) -> bool:
    """Whether a session from `start` fits clauses 1 to 4 (the grid aside): the booking's re-check."""
    if start < earliest or start >= latest:
        return False
    end = start + duration
    free = panel_free(calendars, start, end)
    if free != [(start, end)]:
        return False
    return not any(b_start - buffer < end and start < b_end + buffer for b_start, b_end in busy)

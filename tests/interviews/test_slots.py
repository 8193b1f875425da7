"""The slot search (interviews/slots.py) as a pure function: weekly hours in each interviewer's
time zone (summer time included), exceptions, busy interviews, buffers, notice and window, plus
properties over random panels checked minute by minute."""

import datetime
import zoneinfo

from hypothesis import given, settings
from hypothesis import strategies as st

from interviews.slots import Calendar, DatedRange, WeeklyRange, open_slots, panel_free, slot_is_open

UTC = datetime.UTC
H = datetime.timedelta(hours=1)
M = datetime.timedelta(minutes=1)


def t(hour, minute=0):
    return datetime.time(hour, minute)


def at(y, mo, d, h, mi=0, zone="UTC"):
    return datetime.datetime(y, mo, d, h, mi, tzinfo=zoneinfo.ZoneInfo(zone)).astimezone(UTC)


def slots(calendars, *, busy=(), duration=60, buffer=0, earliest, latest, step=30):
    return open_slots(
        calendars=calendars,
        busy=busy,
        duration=datetime.timedelta(minutes=duration),
        buffer=datetime.timedelta(minutes=buffer),
        earliest=earliest,
        latest=latest,
        step=datetime.timedelta(minutes=step),
    )


def weekdays(start, end, zone="UTC", days=range(5)):
    return Calendar(time_zone=zone, weekly=tuple(WeeklyRange(d, start, end) for d in days))


def test_weekly_hours_give_slots_of_the_duration_on_the_grid():
    # Monday 23 March 2026, 09:00-11:00 UTC
    cal = Calendar("UTC", (WeeklyRange(0, t(9), t(11)),))
    found = slots([cal], earliest=at(2026, 3, 23, 0), latest=at(2026, 3, 24, 0))
    assert found == [at(2026, 3, 23, 9), at(2026, 3, 23, 9, 30), at(2026, 3, 23, 10)]


def test_hours_are_read_in_each_interviewers_time_zone_across_summer_time():
    # 09:00-10:00 in Paris: 08:00 UTC on Friday 27 March (winter), 07:00 UTC on Monday 30 March (summer)
    paris = Calendar("Europe/Paris", (WeeklyRange(4, t(9), t(10)), WeeklyRange(0, t(9), t(10))))
    found = slots([paris], earliest=at(2026, 3, 27, 0), latest=at(2026, 3, 31, 0))
    assert found == [at(2026, 3, 27, 8), at(2026, 3, 30, 7)]


def test_a_panel_across_zones_is_free_only_where_everyone_is():
    # Paris 09:00-12:00 (08:00-11:00 UTC in winter) and New York 05:00-07:00 (10:00-12:00 UTC)
    paris = Calendar("Europe/Paris", (WeeklyRange(1, t(9), t(12)),))
    new_york = Calendar("America/New_York", (WeeklyRange(1, t(5), t(7)),))
    found = slots([paris, new_york], earliest=at(2026, 1, 6, 0), latest=at(2026, 1, 7, 0))
    assert found == [at(2026, 1, 6, 10)]


def test_the_week_new_york_changes_its_clocks_before_paris_moves_the_overlap():
    # 8 March 2026: New York is on summer time, Paris not yet (until 29 March)
    paris = Calendar("Europe/Paris", (WeeklyRange(1, t(9), t(12)),))
    new_york = Calendar("America/New_York", (WeeklyRange(1, t(5), t(7)),))
    found = slots([paris, new_york], earliest=at(2026, 3, 10, 0), latest=at(2026, 3, 11, 0))
    assert found == [at(2026, 3, 10, 9), at(2026, 3, 10, 9, 30), at(2026, 3, 10, 10)]


def test_an_empty_panel_or_a_member_without_hours_leaves_no_slot():
    cal = weekdays(t(9), t(17))
    assert slots([], earliest=at(2026, 3, 23, 0), latest=at(2026, 3, 30, 0)) == []
    assert slots([cal, Calendar("UTC")], earliest=at(2026, 3, 23, 0), latest=at(2026, 3, 30, 0)) == []


def test_unavailable_days_and_hours_are_taken_out_and_extra_hours_added():
    cal = Calendar(
        "UTC",
        weekly=(WeeklyRange(0, t(9), t(11)), WeeklyRange(1, t(9), t(11))),
        exceptions=(
            DatedRange(datetime.date(2026, 3, 23), datetime.date(2026, 3, 23)),  # Monday off
            DatedRange(datetime.date(2026, 3, 24), datetime.date(2026, 3, 24), t(9), t(10)),  # not 9-10
            DatedRange(datetime.date(2026, 3, 28), datetime.date(2026, 3, 28), t(14), t(15), extra=True),
        ),
    )
    found = slots([cal], earliest=at(2026, 3, 23, 0), latest=at(2026, 3, 30, 0))
    assert found == [at(2026, 3, 24, 10), at(2026, 3, 28, 14)]


def test_busy_interviews_and_their_buffers_are_not_offered():
    cal = Calendar("UTC", (WeeklyRange(0, t(9), t(13)),))
    busy = [(at(2026, 3, 23, 10), at(2026, 3, 23, 11))]
    no_buffer = slots([cal], busy=busy, earliest=at(2026, 3, 23, 0), latest=at(2026, 3, 24, 0))
    assert no_buffer == [
        at(2026, 3, 23, 9),
        at(2026, 3, 23, 11),
        at(2026, 3, 23, 11, 30),
        at(2026, 3, 23, 12),
    ]
    buffered = slots([cal], busy=busy, buffer=15, earliest=at(2026, 3, 23, 0), latest=at(2026, 3, 24, 0))
    assert buffered == [at(2026, 3, 23, 11, 30), at(2026, 3, 23, 12)]


def test_notice_and_window_bound_the_starts():
    cal = weekdays(t(9), t(11))
    found = slots([cal], earliest=at(2026, 3, 23, 9, 40), latest=at(2026, 3, 24, 9, 30))
    assert found == [at(2026, 3, 23, 10), at(2026, 3, 24, 9)]


def test_slot_is_open_agrees_with_the_search_and_refuses_a_taken_or_late_time():
    cal = weekdays(t(9), t(12))
    busy = [(at(2026, 3, 23, 10), at(2026, 3, 23, 11))]
    common = {
        "calendars": [cal],
        "duration": H,
        "buffer": datetime.timedelta(0),
        "earliest": at(2026, 3, 23, 0),
        "latest": at(2026, 3, 25, 0),
    }
    assert slot_is_open(busy=[], start=at(2026, 3, 23, 10), **common)
    assert not slot_is_open(busy=busy, start=at(2026, 3, 23, 10, 30), **common)
    assert not slot_is_open(busy=[], start=at(2026, 3, 23, 11, 30), **common)  # ends after the hours
    assert not slot_is_open(busy=[], start=at(2026, 3, 25, 9), **common)  # past the window


# --- Properties over random panels, checked minute by minute ------------------------------------

ZONES = ["UTC", "Europe/Paris", "America/New_York", "Asia/Kolkata", "Australia/Sydney"]
hours = st.tuples(st.integers(0, 22), st.integers(1, 8)).map(lambda p: (t(p[0]), t(min(23, p[0] + p[1]))))
calendars = st.builds(
    lambda zone, ranges: Calendar(zone, tuple(WeeklyRange(d, s, e) for d, (s, e) in ranges)),
    st.sampled_from(ZONES),
    st.lists(st.tuples(st.integers(0, 6), hours), min_size=1, max_size=6),
)


@settings(max_examples=60, deadline=None)
@given(
    panel=st.lists(calendars, min_size=1, max_size=3),
    busy_starts=st.lists(st.integers(0, 72 * 4), max_size=5),
    duration=st.sampled_from([30, 45, 60, 90]),
    buffer=st.sampled_from([0, 10, 30]),
    day=st.integers(0, 400),
)
def test_every_slot_is_inside_everyones_hours_and_clear_of_busy_time(
    panel, busy_starts, duration, buffer, day
):
    earliest = datetime.datetime(2026, 1, 1, tzinfo=UTC) + datetime.timedelta(days=day)
    latest = earliest + datetime.timedelta(days=3)
    busy = [(earliest + q * 15 * M, earliest + q * 15 * M + H) for q in busy_starts]
    found = slots(panel, busy=busy, duration=duration, buffer=buffer, earliest=earliest, latest=latest)
    free = panel_free(panel, earliest, latest + datetime.timedelta(minutes=duration))
    for start in found:
        end = start + datetime.timedelta(minutes=duration)
        assert earliest <= start < latest and start.minute % 30 == 0
        assert any(s <= start and end <= e for s, e in free)
        assert not any(b0 - buffer * M < end and start < b1 + buffer * M for b0, b1 in busy)
    # and nothing on the grid that fits is missed
    grid = earliest
    while grid < latest:
        fits = slot_is_open(
            calendars=panel,
            busy=busy,
            start=grid,
            duration=datetime.timedelta(minutes=duration),
            buffer=buffer * M,
            earliest=earliest,
            latest=latest,
        )
        assert fits == (grid in found)
        grid += 30 * M

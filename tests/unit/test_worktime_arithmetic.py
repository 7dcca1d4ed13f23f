"""Business-hours arithmetic: worked examples, DST, midnight crossing, and properties (hypothesis)."""
from datetime import date, datetime, timedelta, timezone

import pendulum
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from broker.worktime.arithmetic import (
    HORIZON_DAYS,
    WorkWeek,
    add_working_hours,
    always,
    is_working,
    next_working_instant,
    working_hours_between,
    working_spans,
)
from broker.worktime.weekly_hours import WEEKDAYS, clock_minutes, weekly_minutes

UTC = timezone.utc
OFFICE = {d: [["09:00", "17:00"]] for d in WEEKDAYS[:5]}
NIGHTS = {d: [["22:00", "06:00"]] for d in WEEKDAYS[:5]}  # Mon 22:00 → Tue 06:00 ...


def local(tz, *args):
    return pendulum.datetime(*args, tz=tz)


def test_friday_afternoon_plus_eight_hours_is_monday_afternoon():
    week = WorkWeek(OFFICE, "America/New_York")
    due = add_working_hours(week, local("America/New_York", 2026, 11, 20, 16), 8)
    assert due == local("America/New_York", 2026, 11, 23, 16)


def test_due_instant_keeps_local_time_over_the_spring_dst_change():
    week = WorkWeek(OFFICE, "America/New_York")
    # Friday 6 March 2026 16:00 EST; clocks go forward on Sunday 8 March.
    due = add_working_hours(week, local("America/New_York", 2026, 3, 6, 16), 8)
    assert due == local("America/New_York", 2026, 3, 9, 16)
    assert due.utcoffset() == timedelta(0)
    assert due.hour == 20  # 16:00 EDT is 20:00 UTC, where 16:00 EST would be 21:00


def test_due_instant_keeps_local_time_over_the_autumn_dst_change():
    week = WorkWeek(OFFICE, "Europe/London")
    due = add_working_hours(week, local("Europe/London", 2026, 10, 23, 16), 8)
    assert due == local("Europe/London", 2026, 10, 26, 16)


def test_hours_crossing_midnight_count_into_the_next_day():
    week = WorkWeek(NIGHTS, "Asia/Manila")
    start = local("Asia/Manila", 2026, 11, 23, 12)  # Monday noon: off
    assert next_working_instant(week, start) == local("Asia/Manila", 2026, 11, 23, 22)
    assert add_working_hours(week, start, 3) == local("Asia/Manila", 2026, 11, 24, 1)
    # Friday's night runs into Saturday morning; the weekend has no other hours.
    friday = local("Asia/Manila", 2026, 11, 27, 22)
    assert working_hours_between(week, friday, friday + timedelta(days=3)) == 8
    assert is_working(week, local("Asia/Manila", 2026, 11, 28, 5, 59))


def test_work_ending_as_a_span_ends_finishes_then():
    week = WorkWeek(OFFICE, "UTC")
    assert add_working_hours(week, datetime(2026, 11, 24, 9, tzinfo=UTC), 8) == \
        datetime(2026, 11, 24, 17, tzinfo=UTC)


def test_holidays_and_time_off_are_not_working_time():
    off = (local("UTC", 2026, 11, 24, 12), local("UTC", 2026, 11, 24, 14))
    week = WorkWeek(OFFICE, "UTC", holidays=frozenset({date(2026, 11, 25)}), closed=(off,))
    start = local("UTC", 2026, 11, 24, 9)
    assert working_hours_between(week, start, local("UTC", 2026, 11, 26, 17)) == 6 + 8
    assert add_working_hours(week, start, 7) == local("UTC", 2026, 11, 26, 10)
    assert next_working_instant(week, local("UTC", 2026, 11, 24, 13)) == local("UTC", 2026, 11, 24, 14)


def test_blocked_time_moves_the_due_instant_by_as_many_working_hours():
    start = local("UTC", 2026, 11, 24, 9)
    plain = add_working_hours(WorkWeek(OFFICE, "UTC"), start, 8)
    blocked = (local("UTC", 2026, 11, 24, 10), local("UTC", 2026, 11, 24, 12))
    moved = add_working_hours(WorkWeek(OFFICE, "UTC", closed=(blocked,)), start, 8)
    assert working_hours_between(WorkWeek(OFFICE, "UTC"), plain, moved) == 2


def test_no_hours_means_never():
    week = WorkWeek({}, "UTC")
    now = datetime(2026, 11, 24, tzinfo=UTC)
    assert next_working_instant(week, now) is None
    assert add_working_hours(week, now, 1) is None
    assert working_hours_between(week, now, now + timedelta(days=9)) == 0


def test_around_the_clock_counts_wall_hours_even_over_dst():
    week = always("Europe/Berlin")
    start = local("Europe/Berlin", 2026, 3, 28, 12)
    assert working_hours_between(week, start, start + timedelta(hours=24)) == 24
    assert add_working_hours(week, start, 30) == start + timedelta(hours=30)


def test_naive_instants_are_refused():
    with pytest.raises(ValueError):
        next_working_instant(WorkWeek(OFFICE, "UTC"), datetime(2026, 1, 1))


# --- properties (hypothesis) -------------------------------------------------------------------
# An independent reading of the weekly hours, to check the span arithmetic against.

def read_directly(hours: dict, tz: str, at: datetime) -> bool:
    """Whether `at` is working time, read off the local clock (no spans, no UTC arithmetic)."""
    local = pendulum.instance(at).in_timezone(tz)
    minute = local.hour * 60 + local.minute
    for start, end in hours.get(WEEKDAYS[local.weekday()], []):
        s, e = clock_minutes(start), clock_minutes(end)
        if (s < e and s <= minute < e) or (s > e and minute >= s):
            return True
    for start, end in hours.get(WEEKDAYS[(local.weekday() - 1) % 7], []):
        s, e = clock_minutes(start), clock_minutes(end)
        if s > e and minute < e:
            return True
    return False


ZONES = ["UTC", "Asia/Manila", "America/New_York", "Europe/London", "Australia/Lord_Howe",
         "America/Bogota", "Asia/Kolkata", "Pacific/Chatham", "America/Santiago"]


@st.composite
def weeks(draw):
    """Valid weekly hours: per day at most one span, possibly crossing midnight (never overlapping)."""
    hours = {}
    for day in WEEKDAYS:
        if draw(st.booleans()):
            start = draw(st.integers(0, 23 * 4)) * 15
            length = draw(st.integers(1, 12 * 4)) * 15
            end = (start + length) % (24 * 60)
            hours[day] = [[f"{start // 60:02d}:{start % 60:02d}", f"{end // 60:02d}:{end % 60:02d}"]]
    # Drop a crossing span whose tail would run into the next day's span.
    for i, day in enumerate(WEEKDAYS):
        nxt = WEEKDAYS[(i + 1) % 7]
        if day in hours and nxt in hours:
            s, e = (int(x[:2]) * 60 + int(x[3:]) for x in hours[day][0])
            ns = int(hours[nxt][0][0][:2]) * 60 + int(hours[nxt][0][0][3:])
            if e <= s and e > ns:
                del hours[nxt]
    return WorkWeek(hours, draw(st.sampled_from(ZONES)))


instants = st.datetimes(min_value=datetime(2025, 1, 1), max_value=datetime(2028, 12, 31),
                        timezones=st.just(UTC))
spans = st.floats(min_value=0, max_value=120, allow_nan=False).map(lambda h: round(h, 2))


@settings(max_examples=150, deadline=None)
@given(weeks(), instants, spans)
def test_adding_hours_then_measuring_them_gives_them_back(week, start, hours):
    end = add_working_hours(week, start, hours)
    if end is None:  # only when the hours are out of reach within the search horizon
        reach = weekly_minutes(week.hours) / 60 * (HORIZON_DAYS // 7 - 2)
        assert hours > reach
        return
    assert end >= start
    assert working_hours_between(week, start, end) == pytest.approx(hours, abs=1e-6)


@settings(max_examples=150, deadline=None)
@given(weeks(), instants, spans, spans)
def test_working_hours_add_up_over_consecutive_stretches(week, start, a, b):
    middle, end = start + timedelta(hours=a), start + timedelta(hours=a + b)
    whole = working_hours_between(week, start, end)
    assert whole == pytest.approx(working_hours_between(week, start, middle)
                                  + working_hours_between(week, middle, end), abs=1e-6)
    assert whole <= a + b + 1e-6


@settings(max_examples=150, deadline=None)
@given(weeks(), instants)
def test_spans_agree_with_reading_the_local_clock(week, at):
    at = at.replace(second=0, microsecond=0)
    inside = any(s <= at < e for s, e in working_spans(week, at, at + timedelta(minutes=1)))
    assert inside == read_directly(week.hours, week.tz, at) == is_working(week, at)
    nxt = next_working_instant(week, at)
    if nxt is not None:
        assert nxt >= at
        assert working_hours_between(week, at, nxt) == 0
        assert read_directly(week.hours, week.tz, nxt)


def test_a_sparse_week_still_adds_more_hours_than_the_horizon_holds():
    """15 minutes a week over 800 days is under 29 hours; the horizon must not cut the sum short."""
    week = WorkWeek({"sun": [["00:00", "00:15"]]}, "UTC")
    start = datetime(2025, 1, 1, tzinfo=timezone.utc)
    end = add_working_hours(week, start, 29.0)
    assert end is not None and working_hours_between(week, start, end) == pytest.approx(29.0)

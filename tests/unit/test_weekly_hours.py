"""Weekly working hours: validation, 'is this instant inside them' across zones, midnight and DST."""
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pendulum
import pytest

from broker.worktime import arithmetic
from broker.worktime.arithmetic import WorkWeek
from broker.worktime.weekly_hours import hours_errors, weekly_minutes

WEEKDAYS_9_TO_5 = {d: [["09:00", "17:00"]] for d in ("mon", "tue", "wed", "thu", "fri")}
NIGHT_FRIDAY = {"fri": [["22:00", "06:00"]]}


def is_working(hours: dict, tz: str, at: datetime) -> bool:
    return arithmetic.is_working(WorkWeek(hours, tz), at)


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=timezone.utc)


def local(zone: str, *args) -> datetime:
    return datetime(*args, tzinfo=ZoneInfo(zone))


# --- validation -------------------------------------------------------------------------------

@pytest.mark.parametrize("hours", [
    {},
    WEEKDAYS_9_TO_5,
    {"mon": []},  # a day off written out
    {"mon": [["00:00", "24:00"]]},
    {"mon": [["18:00", "24:00"]]},  # 24:00 is a fine end
    {"fri": [["22:00", "06:00"]]},  # crosses midnight into Saturday
    {"sun": [["23:00", "00:00"]]},  # ends exactly at midnight, written as 00:00
    {"mon": [["09:00", "12:00"], ["12:00", "17:00"]]},  # touching is not overlapping
    {"mon": [("09:00", "17:00")]},  # tuples as well as lists
    {"fri": [["22:00", "06:00"]], "sat": [["06:00", "10:00"]]},
    {"sun": [["22:00", "02:00"]], "mon": [["02:00", "08:00"]]},
    {d: [["00:00", "24:00"]] for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")},
])
def test_valid_hours(hours):
    assert hours_errors(hours) == {}


@pytest.mark.parametrize(("hours", "key", "fragment"), [
    ({"monday": [["09:00", "17:00"]]}, "monday", "Unknown weekday 'monday'"),
    ({"Mon": [["09:00", "17:00"]]}, "Mon", "Unknown weekday"),
    ({1: [["09:00", "17:00"]]}, "1", "Unknown weekday 1"),
    ({"mon": [["25:00", "26:00"]]}, "mon", "HH:MM"),
    ({"mon": [["09:00", "25:00"]]}, "mon", "HH:MM"),
    ({"mon": [["9:00", "17:00"]]}, "mon", "HH:MM"),
    ({"mon": [["09:60", "17:00"]]}, "mon", "HH:MM"),
    ({"mon": [["09:00", "24:01"]]}, "mon", "HH:MM"),
    ({"mon": [["0900", "1700"]]}, "mon", "HH:MM"),
    ({"mon": [["09:00\n", "17:00"]]}, "mon", "HH:MM"),  # a trailing newline is not a clock
    ({"mon": [[" 09:00", "17:00"]]}, "mon", "HH:MM"),
    ({"mon": [[900, 1700]]}, "mon", "HH:MM"),
    ({"mon": [["09:00", "09:00"]]}, "mon", "is empty"),
    ({"mon": [["24:00", "06:00"]]}, "mon", "is empty"),  # 24:00 cannot start a span
    ({"mon": [["24:00", "24:00"]]}, "mon", "is empty"),
    ({"mon": "09:00-17:00"}, "mon", "list of [start, end] pairs"),
    ({"mon": ["09:00", "17:00"]}, "mon", "pair [start, end]"),
    ({"mon": {"start": "09:00"}}, "mon", "list of [start, end] pairs"),
    ({"mon": None}, "mon", "list of [start, end] pairs"),
    ({"mon": [["09:00"]]}, "mon", "pair [start, end]"),
    ({"mon": [["09:00", "12:00", "17:00"]]}, "mon", "pair [start, end]"),
    ({"mon": [["09:00", "17:00"], ["12:00", "13:00"]]}, "mon", "overlaps ['09:00', '17:00'] on mon"),
    ({"fri": [["22:00", "06:00"]], "sat": [["05:00", "08:00"]]}, "sat", "overlaps ['22:00', '06:00'] on fri"),
    ({"sun": [["22:00", "02:00"]], "mon": [["01:00", "08:00"]]}, "mon", "overlaps ['22:00', '02:00'] on sun"),
])
def test_invalid_hours_name_the_day_and_the_problem(hours, key, fragment):
    errors = hours_errors(hours)
    assert list(errors) == [key]
    assert fragment in errors[key][0]


@pytest.mark.parametrize("hours", [None, [], "mon 09:00-17:00", [["09:00", "17:00"]]])
def test_hours_that_are_not_a_mapping(hours):
    assert list(hours_errors(hours)) == ["_schema"]


def test_each_bad_day_is_reported_and_good_days_are_not():
    errors = hours_errors({"mon": [["09:00", "17:00"]], "tue": [["9", "17"]], "xyz": []})
    assert set(errors) == {"tue", "xyz"}


# --- is_working, no DST (Asia/Manila is UTC+8 all year) ----------------------------------------

@pytest.mark.parametrize(("at", "expected"), [
    (utc(2026, 11, 23, 1, 0), True),     # Mon 09:00 Manila: the first minute
    (utc(2026, 11, 23, 0, 59), False),   # Mon 08:59
    (utc(2026, 11, 23, 8, 59), True),    # Mon 16:59
    (utc(2026, 11, 23, 8, 59, 59), True),
    (utc(2026, 11, 23, 9, 0), False),    # Mon 17:00: the end is exclusive
    (utc(2026, 11, 27, 23, 30), False),  # Friday in UTC but Saturday 07:30 in Manila
    (utc(2026, 11, 28, 3, 0), False),    # Sat 11:00
    (utc(2026, 11, 22, 17, 0), False),   # Sunday in UTC, Mon 01:00 in Manila
    (local("Asia/Manila", 2026, 11, 24, 12, 0), True),
    (local("America/New_York", 2026, 11, 23, 20, 30), True),  # = Tue 09:30 Manila
    (pendulum.datetime(2026, 11, 24, 3, 0, tz="UTC"), True),  # pendulum instants work too
])
def test_manila_nine_to_five(at, expected):
    assert is_working(WEEKDAYS_9_TO_5, "Asia/Manila", at) is expected


def test_naive_instants_are_refused():
    with pytest.raises(ValueError, match="naive"):
        is_working(WEEKDAYS_9_TO_5, "Asia/Manila", datetime(2026, 11, 24, 3, 0))


def test_no_hours_means_never_working():
    assert not is_working({}, "UTC", utc(2026, 11, 24, 12, 0))


def test_a_span_ending_at_24_00_runs_to_midnight():
    hours = {"mon": [["18:00", "24:00"]]}
    assert is_working(hours, "UTC", utc(2026, 11, 23, 23, 59))
    assert not is_working(hours, "UTC", utc(2026, 11, 24, 0, 0))


# --- spans crossing midnight -----------------------------------------------------------------

@pytest.mark.parametrize(("at", "expected"), [
    (local("Asia/Manila", 2026, 11, 27, 21, 59), False),  # Fri 21:59
    (local("Asia/Manila", 2026, 11, 27, 22, 0), True),    # Fri 22:00
    (local("Asia/Manila", 2026, 11, 27, 23, 30), True),   # Fri 23:30
    (local("Asia/Manila", 2026, 11, 28, 0, 0), True),     # Sat 00:00
    (local("Asia/Manila", 2026, 11, 28, 5, 59), True),    # Sat 05:59
    (local("Asia/Manila", 2026, 11, 28, 6, 0), False),    # Sat 06:00
    (local("Asia/Manila", 2026, 11, 28, 23, 30), False),  # Saturday night is not Friday night
    (local("Asia/Manila", 2026, 11, 27, 5, 0), False),    # Fri 05:00: belongs to a Thursday span
    (utc(2026, 11, 27, 15, 30), True),                    # Fri 23:30 Manila given in UTC
])
def test_friday_night_span(at, expected):
    assert is_working(NIGHT_FRIDAY, "Asia/Manila", at) is expected


def test_sunday_night_runs_into_monday_morning():
    hours = {"sun": [["22:00", "02:00"]]}
    assert is_working(hours, "UTC", utc(2026, 11, 23, 1, 59))  # Monday 01:59
    assert not is_working(hours, "UTC", utc(2026, 11, 23, 2, 0))
    assert not is_working(hours, "UTC", utc(2026, 11, 24, 1, 0))  # Tuesday 01:00


# --- DST: the hours follow the local clock, so their UTC instants move -------------------------

# 2026 transitions: New York springs forward Sun 8 Mar and falls back Sun 1 Nov;
# London springs forward Sun 29 Mar and falls back Sun 25 Oct.
@pytest.mark.parametrize(("zone", "before", "after", "utc_start_before", "utc_start_after"), [
    ("America/New_York", (2026, 3, 6), (2026, 3, 9), 14, 13),    # EST -> EDT
    ("America/New_York", (2026, 10, 30), (2026, 11, 2), 13, 14),  # EDT -> EST
    ("Europe/London", (2026, 3, 27), (2026, 3, 30), 9, 8),        # GMT -> BST
    ("Europe/London", (2026, 10, 23), (2026, 10, 26), 8, 9),      # BST -> GMT
])
def test_nine_to_five_follows_local_time_across_dst(zone, before, after, utc_start_before,
                                                    utc_start_after):
    for day, start in ((before, utc_start_before), (after, utc_start_after)):
        first = utc(*day, start, 0)
        last = first + timedelta(hours=8) - timedelta(minutes=1)
        assert is_working(WEEKDAYS_9_TO_5, zone, first), (zone, day, "09:00")
        assert not is_working(WEEKDAYS_9_TO_5, zone, first - timedelta(minutes=1)), (zone, day, "08:59")
        assert is_working(WEEKDAYS_9_TO_5, zone, last), (zone, day, "16:59")
        assert not is_working(WEEKDAYS_9_TO_5, zone, last + timedelta(minutes=1)), (zone, day, "17:00")
    # The same UTC hour is inside on one side of the change and outside on the other.
    earlier = min(utc_start_before, utc_start_after)
    assert is_working(WEEKDAYS_9_TO_5, zone, utc(*before, earlier, 30)) is (earlier == utc_start_before)
    assert is_working(WEEKDAYS_9_TO_5, zone, utc(*after, earlier, 30)) is (earlier == utc_start_after)


SATURDAY_NIGHT = {"sat": [["22:00", "06:00"]]}


@pytest.mark.parametrize(("at", "expected"), [
    (utc(2026, 3, 8, 2, 59), False),   # Sat 21:59 EST
    (utc(2026, 3, 8, 3, 0), True),     # Sat 22:00 EST
    (utc(2026, 3, 8, 6, 59), True),    # Sun 01:59 EST, the last minute before the jump
    (utc(2026, 3, 8, 7, 0), True),     # Sun 03:00 EDT, straight after it
    (utc(2026, 3, 8, 9, 59), True),    # Sun 05:59 EDT
    (utc(2026, 3, 8, 10, 0), False),   # Sun 06:00 EDT: the night was 7 real hours
])
def test_night_span_on_the_spring_forward_night(at, expected):
    assert is_working(SATURDAY_NIGHT, "America/New_York", at) is expected


@pytest.mark.parametrize(("at", "expected"), [
    (utc(2026, 11, 1, 1, 59), False),  # Sat 21:59 EDT
    (utc(2026, 11, 1, 2, 0), True),    # Sat 22:00 EDT
    (utc(2026, 11, 1, 5, 30), True),   # Sun 01:30 EDT, the first time round
    (utc(2026, 11, 1, 6, 30), True),   # Sun 01:30 EST, the second time round
    (utc(2026, 11, 1, 10, 59), True),  # Sun 05:59 EST
    (utc(2026, 11, 1, 11, 0), False),  # Sun 06:00 EST: the night was 9 real hours
])
def test_night_span_on_the_fall_back_night(at, expected):
    assert is_working(SATURDAY_NIGHT, "America/New_York", at) is expected


def test_yesterday_is_the_local_calendar_day_after_a_23_hour_sunday():
    # Monday 00:30 EDT on 9 March is 24 hours after Saturday 23:30 EST, not after a Sunday
    # instant: "yesterday" must be Sunday by the calendar, not 24 hours back.
    monday_half_past_midnight = utc(2026, 3, 9, 4, 30)
    assert is_working({"sun": [["22:00", "02:00"]]}, "America/New_York", monday_half_past_midnight)
    assert not is_working({"sat": [["22:00", "02:00"]]}, "America/New_York", monday_half_past_midnight)


# --- weekly_minutes ---------------------------------------------------------------------------

@pytest.mark.parametrize(("hours", "minutes"), [
    ({}, 0),
    ({"mon": []}, 0),
    (WEEKDAYS_9_TO_5, 5 * 8 * 60),
    (NIGHT_FRIDAY, 8 * 60),
    ({"mon": [["18:00", "24:00"]]}, 6 * 60),
    ({"sun": [["23:00", "00:00"]]}, 60),
    ({"mon": [["09:00", "12:00"], ["13:00", "17:30"]]}, 3 * 60 + 4 * 60 + 30),
    ({d: [["00:00", "24:00"]] for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")}, 7 * 24 * 60),
])
def test_weekly_minutes(hours, minutes):
    assert weekly_minutes(hours) == minutes

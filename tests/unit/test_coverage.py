"""Coverage by UTC hour of the day: office hours abroad, hours across midnight, time off."""
from datetime import datetime, timezone

import pytest

from broker.web.dashboard_coverage import hourly_coverage
from broker.worktime.arithmetic import WorkWeek, is_working
from broker.worktime.weekly_hours import WEEKDAYS

UTC = timezone.utc
MONDAY = datetime(2026, 11, 23, tzinfo=UTC)  # a UTC midnight, a week without DST changes
OFFICE = {d: [["09:00", "17:00"]] for d in WEEKDAYS[:5]}
NIGHTS = {d: [["22:00", "06:00"]] for d in WEEKDAYS[:5]}  # Mon 22:00 → Tue 06:00 ...


def totals(hours):
    return [round(sum(h.values()), 3) for h in hours]


def test_manila_office_hours_cover_one_to_nine_utc_five_days_in_seven():
    hours = hourly_coverage([("Asia/Manila", WorkWeek(OFFICE, "Asia/Manila"))], MONDAY)
    expected = [round(5 / 7, 3) if 1 <= h < 9 else 0 for h in range(24)]
    assert totals(hours) == expected
    assert set(hours[3]) == {"Asia/Manila"}


@pytest.mark.parametrize("start", [MONDAY, datetime(2026, 11, 26, tzinfo=UTC)])
def test_any_seven_days_give_the_same_average(start):
    hours = hourly_coverage([("Asia/Manila", WorkWeek(OFFICE, "Asia/Manila"))], start)
    assert totals(hours)[1] == round(5 / 7, 3)


def test_hours_across_midnight_count_on_both_sides_of_it():
    # 22:00-06:00 in London (GMT in November) is 22:00-06:00 UTC, five nights a week.
    hours = totals(hourly_coverage([("Europe/London", WorkWeek(NIGHTS, "Europe/London"))], MONDAY))
    night = {22, 23, 0, 1, 2, 3, 4, 5}
    assert hours == [round(5 / 7, 3) if h in night else 0 for h in range(24)]


def test_agrees_with_is_working_hour_by_hour():
    people = [("Asia/Manila", OFFICE), ("America/New_York", NIGHTS), ("Asia/Kolkata", OFFICE)]
    hours = totals(hourly_coverage([(tz, WorkWeek(h, tz)) for tz, h in people], MONDAY))
    for hour in range(24):
        # Kolkata is +05:30: sample each half hour and average.
        samples = [MONDAY.replace(day=23 + d, hour=hour, minute=m) for d in range(7) for m in (15, 45)]
        expected = sum(is_working(WorkWeek(h, tz), at) for tz, h in people for at in samples) / 14
        assert hours[hour] == pytest.approx(expected, abs=0.01), hour


def test_time_off_and_part_hours_count_by_their_share():
    off = ((datetime(2026, 11, 23, tzinfo=UTC), datetime(2026, 11, 28, tzinfo=UTC)),)
    away = WorkWeek(OFFICE, "Asia/Manila", closed=off)
    half = WorkWeek({"mon": [["09:30", "10:00"]]}, "UTC")
    hours = hourly_coverage([("Asia/Manila", away), ("UTC", half)], MONDAY)
    assert totals(hours)[1] == 0
    assert hours[9] == {"UTC": round(0.5 / 7, 3)}

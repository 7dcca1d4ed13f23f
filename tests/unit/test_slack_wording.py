"""Times in Slack replies name the place and the offset, never a bare abbreviation."""
from datetime import UTC, datetime

from broker.slack_app.wording import clock_time

WINTER = datetime(2026, 1, 15, 1, 12, tzinfo=UTC)
SUMMER = datetime(2026, 7, 15, 1, 12, tzinfo=UTC)


def test_clock_time_names_the_place_and_the_offset():
    assert clock_time(WINTER, "Asia/Manila") == "09:12 Manila time (UTC+8)"
    assert clock_time(WINTER, "Asia/Kolkata") == "06:42 Kolkata time (UTC+5:30)"
    assert clock_time(WINTER, "America/New_York") == "20:12 New York time (UTC-5)"
    assert clock_time(SUMMER, "America/New_York") == "21:12 New York time (UTC-4)"
    assert clock_time(WINTER, "America/Argentina/Buenos_Aires") == "22:12 Buenos Aires time (UTC-3)"
    assert clock_time(WINTER, "Europe/London") == "01:12 London time (UTC+0)"
    assert clock_time(WINTER, "UTC") == "01:12 (UTC+0)"

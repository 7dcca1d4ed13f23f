"""Times as people read them (pure): in the reader's timezone, the zone written as a UTC offset
("UTC+8", "UTC-5", "UTC+5:30") that nobody can misread, never a bare abbreviation ("PST" is
Asia/Manila's and America/Los_Angeles's), with a relative form ("in 3 h", "5 h overdue").
Pages (the `shown_time` and `relative` filters), digests and Slack messages all format here."""
from datetime import datetime, timedelta, timezone
from functools import cache
from zoneinfo import ZoneInfo

import pendulum

DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


@cache
def _zone(tz: str) -> ZoneInfo:
    """One ZoneInfo per name (the stdlib strongly caches only a handful)."""
    return ZoneInfo(tz)


def _instant(value) -> datetime | None:
    if value is None or value == "":
        return None
    at = datetime.fromisoformat(value) if isinstance(value, str) else value
    if at.tzinfo is None:
        raise ValueError("naive datetime: an offset or zone is required")
    return at


def offset_label(offset: timedelta | None) -> str:
    """'UTC+8', 'UTC-5', 'UTC+5:30', 'UTC' for an offset from UTC."""
    minutes = int((offset or timedelta()).total_seconds() // 60)
    if minutes == 0:
        return "UTC"
    sign, minutes = ("+" if minutes > 0 else "-"), abs(minutes)
    hours, rest = divmod(minutes, 60)
    return f"UTC{sign}{hours}" + (f":{rest:02d}" if rest else "")


def local(value, tz: str) -> datetime | None:
    """The instant in zone `tz` (None stays None)."""
    at = _instant(value)
    return None if at is None else at.astimezone(_zone(tz))


def shown_time(value, tz: str, year: bool = False, day: bool = True) -> str:
    """'Tue 1 Dec 17:00 UTC-5' (with the year when asked; the clock alone without `day`)."""
    at = local(value, tz)
    if at is None:
        return "—"
    clock = f"{at.hour:02d}:{at.minute:02d} {offset_label(at.utcoffset())}"
    if not day:
        return clock
    date = f"{DAYS[at.weekday()]} {at.day} {MONTHS[at.month - 1]}" + (f" {at.year}" if year else "")
    return f"{date} {clock}"


def shown_date(value, tz: str) -> str:
    """'Tue 1 Dec 2026' in zone `tz` (for whole days, where a clock would mislead)."""
    at = local(value, tz)
    return "—" if at is None else f"{DAYS[at.weekday()]} {at.day} {MONTHS[at.month - 1]} {at.year}"


def span_words(seconds: float) -> str:
    """'25 min', '3 h', '2.5 h', '4 days' for a length of time."""
    minutes = abs(seconds) / 60
    if minutes < 60:
        return f"{max(round(minutes), 1)} min"
    hours = minutes / 60
    if hours < 48:
        return f"{round(hours)} h" if hours >= 10 or hours == int(hours) else f"{hours:.1f} h"
    return f"{round(hours / 24)} days"


def relative(value, now: datetime, past: str = "ago") -> str:
    """'in 3 h' for a coming instant, '5 h ago' (or '5 h overdue' with past='overdue')."""
    at = _instant(value)
    if at is None:
        return ""
    seconds = (at - now.astimezone(timezone.utc)).total_seconds()
    if abs(seconds) < 60:
        return "now"
    words = span_words(seconds)
    return f"in {words}" if seconds > 0 else f"{words} {past}"


def formatted(value, tz: str, fmt: str = "ddd D MMM YYYY, HH:mm") -> str:
    """An instant in zone `tz` in a pendulum format, followed by its UTC offset ('UTC+8')."""
    at = local(value, tz)
    if at is None:
        return "—"
    return f"{pendulum.instance(at).format(fmt)} {offset_label(at.utcoffset())}"

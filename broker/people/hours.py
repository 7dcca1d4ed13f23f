"""Weekly working hours in local time: validation and 'is this instant inside them' (pure)."""
import re
from datetime import datetime, timedelta

import pendulum

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_CLOCK = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)$|^24:00$")


def _minutes(clock: str) -> int:
    hours, minutes = clock.split(":")
    return int(hours) * 60 + int(minutes)


def hours_errors(hours) -> dict:
    """Field errors for a working-hours mapping; empty when it is valid."""
    if not isinstance(hours, dict):
        return {"_schema": ["Working hours must map weekdays (mon..sun) to lists of [start, end]."]}
    errors: dict = {}
    for day, spans in hours.items():
        problem = _day_problem(day, spans)
        if problem:
            errors[str(day)] = [problem]
    return errors


def _day_problem(day, spans) -> str | None:
    if day not in WEEKDAYS:
        return f"Unknown weekday {day!r}; use one of {', '.join(WEEKDAYS)}."
    if not isinstance(spans, list):
        return "Give a list of [start, end] pairs."
    for span in spans:
        if not (isinstance(span, list | tuple) and len(span) == 2):
            return "Each span is a pair [start, end] like ['09:00', '17:00']."
        start, end = span
        if not all(isinstance(t, str) and _CLOCK.match(t) for t in (start, end)):
            return f"Times must be HH:MM between 00:00 and 24:00, got {span!r}."
        if start == "24:00" or start == end:
            return f"Span {span!r} is empty; an end before the start means it crosses midnight."
    return None


def weekly_minutes(hours: dict) -> int:
    """Total working minutes in a week (spans crossing midnight counted whole)."""
    total = 0
    for spans in hours.values():
        for start, end in spans:
            length = _minutes(end) - _minutes(start)
            total += length if length > 0 else length + 24 * 60
    return total


def is_working(hours: dict, tz: str, at: datetime) -> bool:
    """True when instant `at` falls in the weekly hours, read in zone `tz`.

    A span belongs to the weekday it starts on; one that ends before it starts runs past midnight
    into the next day.
    """
    local = pendulum.instance(at).in_timezone(tz)
    minute = local.hour * 60 + local.minute
    today = WEEKDAYS[local.weekday()]
    yesterday = WEEKDAYS[(local - timedelta(days=1)).weekday()]
    for start, end in hours.get(today, []):
        s, e = _minutes(start), _minutes(end)
        if (s < e and s <= minute < e) or (s > e and minute >= s):
            return True
    for start, end in hours.get(yesterday, []):
        s, e = _minutes(start), _minutes(end)
        if s > e and minute < e:
            return True
    return False

"""Weekly working hours in local time, as people and calendars write them (pure): weekdays,
`HH:MM` clock times, validation and weekly totals. broker.worktime.arithmetic reads them as time."""
import re

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
# fullmatch, not match: "$" would let a trailing newline through ("09:00\n").
_CLOCK = re.compile(r"([01]\d|2[0-3]):[0-5]\d|24:00")
DAY, WEEK = 24 * 60, 7 * 24 * 60


def clock_minutes(clock: str) -> int:
    """Minutes after midnight of an `HH:MM` clock time (24:00 is the day's end, 1440)."""
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
    return errors or _overlap_errors(hours)


def _day_problem(day, spans) -> str | None:
    if day not in WEEKDAYS:
        return f"Unknown weekday {day!r}; use one of {', '.join(WEEKDAYS)}."
    if not isinstance(spans, list):
        return "Give a list of [start, end] pairs."
    for span in spans:
        if not (isinstance(span, list | tuple) and len(span) == 2):
            return "Each span is a pair [start, end] like ['09:00', '17:00']."
        start, end = span
        if not all(isinstance(t, str) and _CLOCK.fullmatch(t) for t in (start, end)):
            return f"Times must be HH:MM between 00:00 and 24:00, got {span!r}."
        if start == "24:00" or start == end:
            return f"Span {span!r} is empty; an end before the start means it crosses midnight."
    return None


def _week_spans(hours: dict):
    """Each valid span as (start, end, day, span) in minutes from Monday 00:00; crossing spans run on."""
    for day, spans in hours.items():
        base = WEEKDAYS.index(day) * DAY
        for span in spans:
            start, end = clock_minutes(span[0]), clock_minutes(span[1])
            start, end = base + start, base + end + (DAY if end < start else 0)
            yield start, end, day, span
            if end > WEEK:  # Sunday night runs into Monday morning
                yield start - WEEK, end - WEEK, day, span


def _overlap_errors(hours: dict) -> dict:
    """Spans that overlap another (including across midnight and Sunday into Monday)."""
    errors: dict = {}
    reach = None  # (end, day, span) of the span reaching furthest so far
    for start, end, day, span in sorted(_week_spans(hours), key=lambda s: s[:2]):
        if reach is not None and start < reach[0]:
            errors.setdefault(day, []).append(
                f"Span {list(span)!r} overlaps {list(reach[2])!r} on {reach[1]}; spans must not overlap."
            )
        if reach is None or end > reach[0]:
            reach = (end, day, span)
    return errors


def weekly_minutes(hours: dict) -> int:
    """Total working minutes in a week (spans crossing midnight counted whole)."""
    total = 0
    for spans in hours.values():
        for start, end in spans:
            length = clock_minutes(end) - clock_minutes(start)
            total += length if length > 0 else length + DAY
    return total

"""How many specialists work in each UTC hour of the day over a stretch of days (pure): the
follow-the-sun picture, with the gaps nobody covers."""
from datetime import datetime, timedelta

from broker.worktime.arithmetic import WorkWeek, working_spans

HOUR = timedelta(hours=1)


def hourly_coverage(weeks: list[tuple[str, WorkWeek]], start: datetime,
                    days: int = 7) -> list[dict[str, float]]:
    """For each UTC hour 0-23, the average number of people working in it over `days` days from
    `start` (a UTC midnight), split by each person's key (their timezone, say).

    Time off and holidays in the weeks count as not working; a part hour counts as its share.
    """
    hours: list[dict[str, float]] = [{} for _ in range(24)]
    end = start + timedelta(days=days)
    for key, week in weeks:
        for span_start, span_end in working_spans(week, start, end):
            _spread(hours, key, span_start, span_end, days)
    return [{key: round(value, 3) for key, value in hour.items()} for hour in hours]


def _spread(hours: list[dict], key: str, start: datetime, end: datetime, days: int):
    """Add the span [start, end) to the hour-of-day buckets, each by the share of it covered."""
    at = start
    while at < end:
        slot_end = min(end, at.replace(minute=0, second=0, microsecond=0) + HOUR)
        bucket = hours[at.hour]
        bucket[key] = bucket.get(key, 0.0) + (slot_end - at) / HOUR / days
        at = slot_end

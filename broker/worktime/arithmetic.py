"""Working-time arithmetic over weekly local hours, a timezone, holidays and time off (pure).

Shared by routing (when can a specialist start and finish), the SLA clocks (when is a target
due) and the dashboard (who works in which hour). Weekly hours are local wall time per weekday
and may cross midnight; instants are aware and come back in UTC. Wall times that a DST change
skips are read with the offset before the change, which moves them forward (02:30 on a
spring-forward night is 03:30 new time).
"""
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from functools import lru_cache

from broker.timeutil import to_utc
from broker.timeutil import zone as tz_zone
from broker.worktime.weekly_hours import DAY, WEEKDAYS, clock_minutes

UTC = timezone.utc
HORIZON_DAYS = 800  # this many days in a row without working time means there is none


@dataclass(frozen=True)
class WorkWeek:
    """Working time: weekly `hours` in zone `tz`, minus local `holidays` and UTC `closed` spans."""

    hours: dict
    tz: str
    holidays: frozenset = frozenset()  # local dates with no working time at all
    closed: tuple = ()  # (start, end) aware instants off work: time off, blocked time
    _days: tuple = field(init=False, repr=False, compare=False)

    def __post_init__(self):
        days = []
        for day in WEEKDAYS:
            spans = []
            for start, end in self.hours.get(day, []):
                s, e = clock_minutes(start), clock_minutes(end)
                spans.append((s, e if e > s else e + DAY))
            days.append(tuple(sorted(spans)))
        object.__setattr__(self, "_days", tuple(days))
        object.__setattr__(self, "closed", tuple(sorted(
            (_utc(s), _utc(e)) for s, e in self.closed if e > s)))

    @property
    def key(self) -> tuple:
        """Equal for weeks with the same working time (to share work computed from them)."""
        return (self.tz, self._days, self.holidays, self.closed)

    @property
    def has_hours(self) -> bool:
        return any(self._days)


def _utc(at: datetime) -> datetime:
    """A stdlib UTC datetime (pendulum's subclass does arithmetic across zones differently)."""
    return to_utc(at)


def _local_instant(day: date, minute: int, zone) -> datetime:
    """UTC instant of local wall time `minute` minutes after midnight starting `day`."""
    day = day + timedelta(days=minute // DAY)
    minute %= DAY
    wall = datetime.combine(day, time(minute // 60, minute % 60), tzinfo=zone)
    return wall.astimezone(UTC)


@lru_cache(maxsize=16384)
def _day_spans(day: date, spans: tuple, zone) -> tuple:
    """A local day's spans (minutes after its midnight) as UTC instants: the same few days,
    calendars and zones come up for every task of a round and every clock of a sweep."""
    return tuple((_local_instant(day, s, zone), _local_instant(day, e, zone)) for s, e in spans)


def _weekly_spans(week: WorkWeek, start: datetime) -> Iterator[tuple[datetime, datetime]]:
    """Weekly spans in UTC, in order, from the one running at `start` onwards (holidays dropped)."""
    zone = tz_zone(week.tz)
    day = start.astimezone(zone).date() - timedelta(days=1)  # yesterday's span may cross midnight
    idle = 0  # the horizon counts days without working time, so long additions still finish
    while idle < HORIZON_DAYS:
        idle += 1
        if day not in week.holidays:
            for span_start, span_end in _day_spans(day, week._days[day.weekday()], zone):
                if span_end > start:
                    idle = 0
                    yield max(span_start, start), span_end
        day += timedelta(days=1)


def _minus_closed(spans, closed) -> Iterator[tuple[datetime, datetime]]:
    """Cut the closed intervals out of ordered spans."""
    for start, end in spans:
        for off_start, off_end in closed:
            if off_end <= start or off_start >= end:
                continue
            if off_start > start:
                yield start, off_start
            start = max(start, off_end)
            if start >= end:
                break
        if start < end:
            yield start, end


def working_spans(week: WorkWeek, start: datetime, end: datetime | None = None
                  ) -> Iterator[tuple[datetime, datetime]]:
    """The working intervals (UTC) from `start`, up to `end` when given, in order."""
    start = _utc(start)
    end = _utc(end) if end is not None else None
    if not week.has_hours:
        return
    for s, e in _minus_closed(_weekly_spans(week, start), week.closed):
        if end is not None and s >= end:
            return
        yield s, min(e, end) if end is not None else e


def next_working_instant(week: WorkWeek, at: datetime) -> datetime | None:
    """`at` itself when it is working time, else the start of the next working span (or None)."""
    for start, _ in working_spans(week, at):
        return start
    return None


def is_working(week: WorkWeek, at: datetime) -> bool:
    """True when instant `at` is working time (a span's start counts, its end does not)."""
    return next_working_instant(week, at) == _utc(at)


def working_hours_between(week: WorkWeek, start: datetime, end: datetime) -> float:
    """Working hours from `start` to `end` (0 when `end` is not after `start`)."""
    if _utc(end) <= _utc(start):
        return 0.0
    seconds = sum((e - s).total_seconds() for s, e in working_spans(week, start, end))
    return seconds / 3600


def add_working_hours(week: WorkWeek, start: datetime, hours: float) -> datetime | None:
    """The instant once `hours` of working time have passed after `start` (None if never).

    Work that ends exactly as a span ends finishes then, not at the next span's start.
    """
    if hours < 0:
        raise ValueError("hours must not be negative")
    left = timedelta(hours=hours)
    if not left:
        return _utc(start)
    for s, e in working_spans(week, start):
        if e - s >= left:
            return s + left
        left -= e - s
    return None


def always(tz: str = "UTC") -> WorkWeek:
    """Working time around the clock (the `24x7` calendar)."""
    return WorkWeek({day: [["00:00", "24:00"]] for day in WEEKDAYS}, tz)

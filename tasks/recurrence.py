"""When a scheduled template is due, and relative due dates (pure): schedules run at a local time
in the owner's timezone, weekly on a weekday or monthly on a day (1-28)."""
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def _at(schedule: dict) -> time:
    hours, minutes = schedule["at"].split(":")
    return time(int(hours), int(minutes))


def _slot(day: date, schedule: dict, zone: ZoneInfo) -> datetime:
    """The schedule's instant on a local day (a time skipped by a DST change falls after it)."""
    local = datetime.combine(day, _at(schedule), zone)
    return local.astimezone(ZoneInfo("UTC")).astimezone(zone)


def period_key(slot: datetime, schedule: dict) -> str:
    """The period a slot belongs to: `2026-W49` (ISO week) or `2026-12`."""
    if schedule["every"] == "week":
        year, week, _ = slot.date().isocalendar()
        return f"{year}-W{week:02d}"
    return f"{slot.year}-{slot.month:02d}"


def latest_slot(schedule: dict, timezone: str, now: datetime) -> datetime:
    """The schedule's most recent instant at or before `now`, in local time. Only this one is
    posted when several were missed (downtime catches up once, not once per missed period)."""
    zone = ZoneInfo(timezone)
    today = now.astimezone(zone).date()
    if schedule["every"] == "week":
        back = (today.weekday() - WEEKDAYS.index(schedule["weekday"])) % 7
        slot = _slot(today - timedelta(days=back), schedule, zone)
        return slot if slot <= now else _slot(today - timedelta(days=back + 7), schedule, zone)
    slot = _slot(today.replace(day=schedule["day"]), schedule, zone)
    if slot <= now:
        return slot
    previous = (today.replace(day=1) - timedelta(days=1)).replace(day=schedule["day"])
    return _slot(previous, schedule, zone)


def due_slot(schedule: dict, timezone: str, now: datetime, since: datetime) -> tuple[str, datetime] | None:
    """(period, slot) to post now: the latest slot, unless it came before the schedule was set."""
    slot = latest_slot(schedule, timezone, now)
    return (period_key(slot, schedule), slot) if slot >= since else None


def add_working_days(start: datetime, days: int, timezone: str) -> datetime:
    """`days` working days (Monday to Friday) after `start`, at the same local time."""
    zone = ZoneInfo(timezone)
    local = start.astimezone(zone)
    day = local.date()
    while days > 0:
        day += timedelta(days=1)
        if day.weekday() < 5:
            days -= 1
    return _slot(day, {"at": local.strftime("%H:%M")}, zone)


def working_days_between(start: datetime, end: datetime | None, timezone: str) -> int | None:
    """Working days (Monday to Friday) from `start` to `end`, at least 1; None without an end."""
    if end is None:
        return None
    zone = ZoneInfo(timezone)
    day, last = start.astimezone(zone).date(), end.astimezone(zone).date()
    days = 0
    while day < last:
        day += timedelta(days=1)
        days += day.weekday() < 5
    return min(max(days, 1), 60)

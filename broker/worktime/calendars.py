"""Business calendars (stored by sla) read as working time, WorkWeek values, and their validation
(pure)."""
from datetime import date

from broker.timeutil import is_timezone
from broker.worktime.arithmetic import WorkWeek
from broker.worktime.public_holidays import holiday_dates, place_errors
from broker.worktime.weekly_hours import hours_errors


def week_of(calendar) -> WorkWeek:
    """The working time a stored calendar describes (holidays are local dates), less the public
    holidays of its country when it names one."""
    listed = frozenset(date.fromisoformat(d) for d in calendar.holidays)
    country = getattr(calendar, "country", None)
    public = holiday_dates(country, getattr(calendar, "subdivision", None))
    return WorkWeek(calendar.hours, calendar.timezone, holidays=listed | public if public else listed)


def calendar_errors(data: dict) -> dict:
    """Field errors of a calendar's timezone, hours and holidays; empty when valid."""
    errors: dict[str, list | dict] = {}
    if not is_timezone(data.get("timezone")):
        errors["timezone"] = ["Use an IANA timezone such as Europe/Berlin."]
    hours = hours_errors(data.get("hours"))
    if hours:
        errors["hours"] = hours
    errors.update(place_errors(data.get("country"), data.get("subdivision")))
    bad = [d for d in data.get("holidays") or [] if not _is_date(d)]
    if bad:
        errors["holidays"] = [f"Not dates (YYYY-MM-DD): {', '.join(map(str, bad))}."]
    return errors


def _is_date(value) -> bool:
    try:
        date.fromisoformat(value)
    except (TypeError, ValueError):
        return False
    return len(value) == 10

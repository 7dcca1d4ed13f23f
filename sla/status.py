"""Status of one clock at an instant, and the forecast that flags work likely to finish late (pure)."""
from datetime import datetime

from broker.worktime.arithmetic import WorkWeek, add_working_hours, working_hours_between
from sla.clocks import Clock, deadline

STATUSES = ("on_track", "at_risk", "breached", "met", "paused", "stopped")


def forecast_finish(assignee: WorkWeek, started_work: datetime, now: datetime,
                    estimate_hours: float) -> datetime | None:
    """When the assignee will finish: the estimate less the working hours they have had since
    starting, laid over their own working hours from `now`."""
    spent = working_hours_between(assignee, started_work, now)
    return add_working_hours(assignee, now, max(estimate_hours - spent, 0.0))


def _hours(week: WorkWeek, start: datetime, end: datetime) -> float:
    """Signed working hours from start to end."""
    if end >= start:
        return working_hours_between(week, start, end)
    return -working_hours_between(week, end, start)


def clock_view(clock: Clock, week: WorkWeek, now: datetime,
               forecast: datetime | None = None) -> dict:
    """due_at, status, elapsed and remaining working hours (negative when overdue), and why at risk."""
    due = clock.due_at
    ended = clock.met_at or clock.stopped_at
    if ended:
        remaining = _hours(week, ended, due)
    elif clock.paused_since:
        remaining = _hours(week, clock.paused_since, due)
        if remaining > 0:
            due = deadline(week, now, remaining)  # if work resumed now
    else:
        remaining = _hours(week, now, due)
    elapsed = clock.budget_hours - remaining
    share = elapsed / clock.budget_hours if clock.budget_hours > 0 else 1.0
    status, why = clock_status(clock, now, share, forecast)
    view = {"due_at": due, "status": status, "started_at": clock.started_at,
            "elapsed_hours": round(elapsed, 2), "remaining_hours": round(remaining, 2),
            "calendar": clock.calendar}
    if why:
        view["why"] = why
    if ended:
        view["ended_at"] = ended
    return view


def clock_summary(clock: Clock, week: WorkWeek | None, now: datetime) -> dict:
    """due_at and status alone, as lists show them: no working-hours sums and no forecast, so
    at_risk means the warning share has passed (as in the status filter). `week` is needed only
    for a paused clock, whose due instant is the one it would have if work resumed now."""
    due = clock.due_at
    if week is not None and clock.paused_since and not (clock.met_at or clock.stopped_at):
        remaining = _hours(week, clock.paused_since, due)
        if remaining > 0:
            due = deadline(week, now, remaining)
    return {"due_at": due, "status": clock_status(clock, now)[0]}


def clock_status(clock: Clock, now: datetime, share: float = 0.0,
                 forecast: datetime | None = None) -> tuple[str, dict | None]:
    """The status at `now` and, when at risk, why."""
    due = clock.due_at
    if clock.met_at is not None:
        return ("met" if clock.met_at <= due else "breached"), None
    if clock.stopped_at is not None:
        return ("breached" if due <= clock.stopped_at else "stopped"), None
    if clock.paused_since is not None:
        return ("breached" if due <= clock.paused_since else "paused"), None
    if due <= now:
        return "breached", None
    if clock.warn_at <= now:
        return "at_risk", {"reason": "share_elapsed", "share_elapsed": round(min(share, 1.0), 2)}
    if forecast is not None and forecast > due:
        return "at_risk", {"reason": "forecast_late", "forecast_finish": forecast.isoformat()}
    return "on_track", None

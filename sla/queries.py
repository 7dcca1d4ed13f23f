"""Read side of SLA clocks: the `sla` view of tasks (batched per page) and the status filter."""
from datetime import datetime

from flask import current_app
from sqlalchemy import and_, exists, or_, select
from sqlalchemy.orm import selectinload

from broker.extensions import db
from broker.people.models import SpecialistProfile, User
from broker.worktime.arithmetic import WorkWeek
from broker.worktime.calendars import week_of
from sla.clocks import CLOCK_FIELDS, Clock
from sla.models import BusinessCalendar, SlaClock
from sla.status import STATUSES, clock_view, forecast_finish
from tasks import lifecycle


def _clock(row: SlaClock) -> Clock:
    return Clock(**{name: getattr(row, name) for name in CLOCK_FIELDS})


def _assignee_weeks(tasks) -> dict[int, WorkWeek]:
    """Working weeks (with time off) of the assignees of tasks in progress (forecast), in one query."""
    ids = {t.assignee_id for t in tasks if t.assignee_id and t.state == lifecycle.IN_PROGRESS}
    if not ids:
        return {}
    users = db.session.scalars(select(User).where(User.id.in_(ids)).options(
        selectinload(User.profile).selectinload(SpecialistProfile.time_off)))
    return {u.id: u.profile.work_week() for u in users if u.profile is not None}


def sla_views(tasks, now: datetime) -> dict[int, dict]:
    """The `sla` field of each task: {ack, turnaround, revision?}, in a fixed number of queries."""
    tasks = [t for t in tasks if t.id is not None]
    if not tasks:
        return {}
    rows = db.session.scalars(select(SlaClock).where(SlaClock.task_id.in_([t.id for t in tasks]))
                              .order_by(SlaClock.task_id, SlaClock.target, SlaClock.cycle)).all()
    weeks = {c.name: week_of(c) for c in db.session.scalars(select(BusinessCalendar))}
    people = _assignee_weeks(tasks)
    by_task: dict[int, dict] = {t.id: {"ack": None, "turnaround": None} for t in tasks}
    tasks_by_id = {t.id: t for t in tasks}
    for row in rows:
        clock, task = _clock(row), tasks_by_id[row.task_id]
        week = weeks.get(clock.calendar) or WorkWeek({}, "UTC")
        view = _iso(clock_view(clock, week, now, _forecast(task, clock, people, now)))
        by_task[row.task_id][row.target] = dict(view, cycle=row.cycle) if row.cycle else view
    return by_task


def _iso(view: dict) -> dict:
    return {k: v.isoformat() if isinstance(v, datetime) else v for k, v in view.items()}


def _forecast(task, clock: Clock, people: dict, now: datetime):
    """When the assignee would finish, for a running turnaround or revision they work on."""
    week = people.get(task.assignee_id)
    if week is None or task.state != lifecycle.IN_PROGRESS or clock.target == "ack" or clock.met_at:
        return None
    started = max(task.accepted_at or clock.started_at, clock.started_at)
    share = current_app.config["SLA_REVISION_SHARE"] if clock.cycle else 1.0
    return forecast_finish(week, started, now, task.estimate_hours * share)


def with_status(status: str, now: datetime):
    """A condition on Task: some target of the task has `status` at `now`. The forecast half of
    at_risk is not in SQL: here at_risk means the warn share has passed."""
    if status not in STATUSES:
        raise ValueError(status)
    from tasks.models import Task
    c = SlaClock
    running = and_(c.met_at.is_(None), c.stopped_at.is_(None))
    conditions = {
        "met": and_(c.met_at.is_not(None), c.met_at <= c.due_at),
        "breached": or_(c.met_at > c.due_at, and_(c.stopped_at.is_not(None), c.due_at <= c.stopped_at),
                        and_(running, c.paused_since.is_not(None), c.due_at <= c.paused_since),
                        and_(running, c.paused_since.is_(None), c.due_at <= now)),
        "paused": and_(running, c.paused_since.is_not(None), c.due_at > c.paused_since),
        "stopped": and_(c.met_at.is_(None), c.stopped_at.is_not(None), c.due_at > c.stopped_at),
        "at_risk": and_(running, c.paused_since.is_(None), c.warn_at <= now, c.due_at > now),
        "on_track": and_(running, c.paused_since.is_(None), c.warn_at > now),
    }
    return exists().where(c.task_id == Task.id, conditions[status])

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
from sla.status import STATUSES, clock_status, clock_summary, clock_view, forecast_finish
from tasks import lifecycle
from tasks.models import Task, TaskEvent
from tasks.rounds import DECIDED, waiting_on_owner_hours


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
    weeks = _calendar_weeks()
    people = _assignee_weeks(tasks)
    waits = _waiting_on_owner([t.id for t in tasks], now)
    by_task: dict[int, dict] = {t.id: {"ack": None, "turnaround": None,
                                       "waiting_on_owner_hours": waits[t.id]} for t in tasks}
    tasks_by_id = {t.id: t for t in tasks}
    for row in rows:
        clock, task = _clock(row), tasks_by_id[row.task_id]
        week = weeks.get(clock.calendar) or WorkWeek({}, "UTC")
        view = _iso(clock_view(clock, week, now, _forecast(task, clock, people, now)))
        by_task[row.task_id][row.target] = dict(view, cycle=row.cycle) if row.cycle else view
    return by_task


def _waiting_on_owner(task_ids: list[int], now: datetime) -> dict[int, float]:
    """Hours each task's submissions waited for the owner's decision, in one query."""
    events: dict[int, list] = {i: [] for i in task_ids}
    for row in db.session.execute(select(TaskEvent.task_id, TaskEvent.type, TaskEvent.at)
                                  .where(TaskEvent.task_id.in_(task_ids),
                                         TaskEvent.type.in_(("submitted",) + DECIDED))
                                  .order_by(TaskEvent.id)):
        events[row.task_id].append({"type": row.type, "at": row.at})
    return {i: waiting_on_owner_hours(found, now) for i, found in events.items()}


def sla_summaries(task_ids, now: datetime) -> dict[int, dict]:
    """Each task's targets as {due_at, status} (the latest cycle of each), in one or two queries:
    what lists show, without the working-hours sums and the forecast of the task's own view."""
    ids = list(task_ids)
    rows = db.session.scalars(select(SlaClock).where(SlaClock.task_id.in_(ids))
                              .order_by(SlaClock.task_id, SlaClock.target, SlaClock.cycle)).all()
    paused = any(r.paused_since and not (r.met_at or r.stopped_at) for r in rows)
    weeks = _calendar_weeks() if paused else {}
    by_task: dict[int, dict] = {i: {"ack": None, "turnaround": None} for i in ids}
    for row in rows:
        clock = _clock(row)
        by_task[row.task_id][row.target] = _iso(clock_summary(clock, weeks.get(clock.calendar), now))
    return by_task


def brief_sla_counts(brief_ids, now: datetime) -> dict[int, dict]:
    """Per brief, how many of its tasks' targets stand in each status now (latest cycle of each
    target; at_risk as in sla_summaries), in one query: {brief_id: {target: {status: n}}}."""
    c = SlaClock
    rows = db.session.execute(
        select(Task.brief_id, c.task_id, c.target, c.due_at, c.warn_at, c.met_at, c.stopped_at,
               c.paused_since).join(Task, Task.id == c.task_id)
        .where(Task.brief_id.in_(list(brief_ids))).order_by(c.task_id, c.target, c.cycle)).all()
    latest = {(row.task_id, row.target): row for row in rows}  # the row has what a status needs
    counts: dict[int, dict] = {i: {} for i in brief_ids}
    for row in latest.values():
        status = clock_status(row, now)[0]
        per_target = counts[row.brief_id].setdefault(row.target, {})
        per_target[status] = per_target.get(status, 0) + 1
    return counts


def _calendar_weeks() -> dict[str, WorkWeek]:
    return {c.name: week_of(c) for c in db.session.scalars(select(BusinessCalendar))}


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

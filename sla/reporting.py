"""The SLA report read from the database for one actor and period (managers: their own briefs)."""
from dataclasses import replace
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import aliased

from broker.errors import InvalidInput
from broker.extensions import db
from broker.people import permissions
from broker.people.models import User
from broker.people.partners import member_ids
from broker.worktime.arithmetic import working_hours_between
from broker.worktime.calendars import week_of
from sla.models import BusinessCalendar, SlaClock
from sla.report_figures import GROUPS, TaskRecord, build_report, overdue
from tasks import lifecycle
from tasks.models import Brief, Task, TaskEvent
from tasks.rounds import DECIDED, waiting_on_owner_hours


def _group_key(group_by: str, task: Task, objective: str, specialist: str | None) -> str:
    if group_by == "work_type":
        return task.work_type
    if group_by == "objective":
        return objective
    if group_by == "specialist":
        return specialist or "unassigned"
    year, week, _ = task.created_at.isocalendar()
    return f"{year}-W{week:02d}"


DEFAULT_DAYS = 28


def default_period(since: datetime | None, until: datetime | None,
                   now: datetime) -> tuple[datetime, datetime]:
    """The period a report covers when not given: up to now, DEFAULT_DAYS days long."""
    until = until or now
    return since or until - timedelta(days=DEFAULT_DAYS), until


def report_filters(actor: User) -> dict:
    """Whose tasks `actor`'s numbers cover (permissions.report_scope), as the keyword arguments
    of sla_report."""
    scope = permissions.report_scope(actor)
    if scope.everything:
        return {}
    if scope.owner_id is not None:
        return {"owner_id": scope.owner_id}
    if scope.partner is not None:
        return {"partner": scope.partner}
    return {"assignee_id": scope.assignee_id}


def report_for(actor: User, since: datetime, until: datetime, group_by: str,
               now: datetime) -> dict:
    """The SLA report (for managers and admins) an actor may see."""
    permissions.require(actor, permissions.READ_REPORTS, "SLA reports are for managers and admins.")
    return sla_report(since, until, group_by, now, **report_filters(actor))


def sla_report(since: datetime, until: datetime, group_by: str, now: datetime,
               owner_id: int | None = None, assignee_id: int | None = None,
               partner: str | None = None) -> dict:
    """Tasks posted in [since, until) (of one owner's briefs, assigned to one specialist, or to one
    partner's specialists, when given), grouped; breaches and hours lost counted up to
    min(now, until)."""
    return sla_reports(since, until, (group_by,), now, owner_id, assignee_id, partner)[group_by]


def sla_reports(since: datetime, until: datetime, groupings: tuple, now: datetime,
                owner_id: int | None = None, assignee_id: int | None = None,
                partner: str | None = None) -> dict[str, dict]:
    """sla_report grouped each of several ways, from one read and one reckoning of the tasks."""
    if any(group_by not in GROUPS for group_by in groupings):
        raise InvalidInput("Unknown grouping.", {"group_by": [f"Use one of {', '.join(GROUPS)}."]})
    if until <= since:
        raise InvalidInput("The period is empty.", {"until": ["Must be later than since."]})
    assignee = aliased(User)
    # Columns, not entities: a report over thousands of tasks needs five fields of each.
    query = (select(Task.id, Task.work_type, Task.created_at, Task.state, Task.closed_at,
                    Brief.objective, assignee.name.label("specialist"))
             .join(Brief, Task.brief_id == Brief.id)
             .outerjoin(assignee, Task.assignee_id == assignee.id)
             .where(Task.created_at >= since, Task.created_at < until))
    if owner_id is not None:
        query = query.where(Brief.owner_id == owner_id)
    if assignee_id is not None:
        query = query.where(Task.assignee_id == assignee_id)
    if partner is not None:  # a partner lead's numbers: the work of the partner's specialists
        query = query.where(Task.assignee_id.in_(member_ids(partner)))
    rows = db.session.execute(query).all()
    clocks: dict[int, list] = {}
    c = SlaClock
    for clock in db.session.execute(
            select(c.task_id, c.target, c.calendar, c.due_at, c.met_at, c.stopped_at, c.paused_since)
            .where(c.task_id.in_(query.with_only_columns(Task.id)))):
        clocks.setdefault(clock.task_id, []).append(clock)
    weeks = {c.name: week_of(c) for c in db.session.scalars(select(BusinessCalendar))}
    as_of = min(now, until)
    waits = _owner_waits(query, as_of)
    records = [replace(_record("", task, clocks.get(task.id, []), weeks, as_of),
                       waiting_on_owner_hours=waits.get(task.id, 0.0)) for task in rows]
    reports = {}
    for group_by in groupings:
        grouped = [replace(record, group=_group_key(group_by, task, task.objective, task.specialist))
                   for record, task in zip(records, rows)]
        reports[group_by] = {"since": since, "until": until, "group_by": group_by,
                             "as_of": as_of, **build_report(grouped)}
    return reports


def _owner_waits(query, as_of: datetime) -> dict[int, float]:
    """Hours each task's submissions waited for the owner up to `as_of`, in one query: reported
    apart, so a slow review does not count against the specialist."""
    events: dict[int, list] = {}
    for row in db.session.execute(
            select(TaskEvent.task_id, TaskEvent.type, TaskEvent.at)
            .where(TaskEvent.task_id.in_(query.with_only_columns(Task.id)),
                   TaskEvent.type.in_(("submitted",) + DECIDED), TaskEvent.at <= as_of)
            .order_by(TaskEvent.id)):
        events.setdefault(row.task_id, []).append({"type": row.type, "at": row.at})
    return {i: waiting_on_owner_hours(found, as_of) for i, found in events.items()}


def _record(group: str, task: Task, clocks: list, weeks: dict, as_of: datetime) -> TaskRecord:
    breaches, lost, turnaround = 0, 0.0, None
    for clock in clocks:
        ended = clock.met_at or clock.stopped_at or clock.paused_since
        late, end = overdue(clock.due_at, ended, as_of)
        if late:
            breaches += 1
            week = weeks.get(clock.calendar)
            lost += working_hours_between(week, clock.due_at, end) if week else 0.0
        if clock.target == "turnaround":
            if late:
                turnaround = "breached"
            elif clock.met_at is not None and clock.met_at <= as_of:
                turnaround = "met"
    cycle = None
    if task.state == lifecycle.APPROVED and task.closed_at and task.closed_at <= as_of:
        cycle = (task.closed_at - task.created_at).total_seconds() / 3600
    return TaskRecord(group, turnaround, cycle, breaches, lost)

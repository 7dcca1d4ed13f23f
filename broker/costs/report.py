"""The cost report read for one actor and period: tasks posted in [since, until) with all the time
logged on them, grouped by brief, objective, work type, specialist or partner."""
from datetime import datetime
from decimal import Decimal

from sqlalchemy import func, or_, select

from broker.costs.figures import GROUPS, Line, build_report
from broker.costs.models import TimeEntry
from broker.errors import InvalidInput
from broker.extensions import db
from broker.people import permissions
from broker.people.models import SpecialistProfile, User
from broker.people.partners import member_ids
from sla.models import SlaClock
from sla.report_figures import overdue
from tasks import lifecycle
from tasks.models import Brief, Task
from tasks.vocabulary import OBJECTIVES

NO_PARTNER = "in-house"  # the partner group of specialists who came through none


def cost_report(actor: User, since: datetime, until: datetime, group_by: str, now: datetime,
                currency: str) -> dict:
    """The report `actor` may see (permissions.cost_scope)."""
    return scoped_report(permissions.cost_scope(actor), since, until, group_by, now, currency)


def scoped_report(scope: permissions.CostScope, since: datetime, until: datetime, group_by: str,
                  now: datetime, currency: str) -> dict:
    """The report over `scope`: everything, one owner's briefs or one partner's people."""
    if group_by not in GROUPS:
        raise InvalidInput("Unknown grouping.", {"group_by": [f"Use one of {', '.join(GROUPS)}."]})
    if until <= since:
        raise InvalidInput("The period is empty.", {"until": ["Must be later than since."]})
    tasks = _tasks(scope, since, until)
    entries = _entries(scope, [t.id for t in tasks])
    people = _people({t.assignee_id for t in tasks} | {uid for _, uid in entries})
    turnaround = turnarounds([t.id for t in tasks], min(now, until))
    lines = []
    for task in tasks:
        # A partner lead's report counts a task itself only when the partner's people hold it.
        held = scope.partner is None or people.get(task.assignee_id, ("", None))[1] == scope.partner
        lines += _lines(group_by, task, entries, people, turnaround.get(task.id), held)
    always = OBJECTIVES if group_by == "objective" else ()
    return {"since": since, "until": until, "group_by": group_by, "currency": currency,
            "scope": _scope_words(scope), **build_report(lines, always)}


def _scope_words(scope) -> str:
    if scope.everything:
        return "every brief"
    return f"the specialists of {scope.partner}" if scope.partner else "your briefs"


def _tasks(scope, since: datetime, until: datetime) -> list:
    query = (select(Task.id, Task.brief_id, Task.work_type, Task.estimate_hours, Task.state,
                    Task.assignee_id, Task.revision, Task.rating, Brief.objective, Brief.title)
             .join(Brief, Task.brief_id == Brief.id)
             .where(Task.created_at >= since, Task.created_at < until).order_by(Task.id))
    if scope.owner_id is not None:
        query = query.where(Brief.owner_id == scope.owner_id)
    if scope.partner is not None:
        theirs = member_ids(scope.partner)
        logged = select(TimeEntry.task_id).where(TimeEntry.user_id.in_(theirs))
        query = query.where(or_(Task.assignee_id.in_(theirs), Task.id.in_(logged)))
    return db.session.execute(query).all()


def _entries(scope, task_ids: list[int]) -> dict:
    """{(task id, user id): (minutes, cost)} of the time logged on these tasks (a partner lead's
    report: by the partner's people only)."""
    query = (select(TimeEntry.task_id, TimeEntry.user_id, func.sum(TimeEntry.minutes),
                    func.sum(TimeEntry.cost))
             .where(TimeEntry.task_id.in_(task_ids)).group_by(TimeEntry.task_id, TimeEntry.user_id))
    if scope.partner is not None:
        query = query.where(TimeEntry.user_id.in_(member_ids(scope.partner)))
    return {(task, user): (int(minutes), Decimal(cost)) for task, user, minutes, cost
            in db.session.execute(query)} if task_ids else {}


def _people(ids: set) -> dict:
    """{id: (name, partner)} for the specialists in the report."""
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return {}
    rows = db.session.execute(select(User.id, User.name, SpecialistProfile.partner)
                              .outerjoin(SpecialistProfile, SpecialistProfile.user_id == User.id)
                              .where(User.id.in_(wanted)))
    return {uid: (name, partner) for uid, name, partner in rows}


def turnarounds(task_ids: list[int], as_of: datetime) -> dict:
    """{task id: "met" or "breached"} for the tasks whose turnaround target is decided."""
    found: dict = {}
    if not task_ids:
        return found
    c = SlaClock
    for clock in db.session.execute(select(c.task_id, c.due_at, c.met_at, c.stopped_at, c.paused_since)
                                    .where(c.task_id.in_(task_ids), c.target == "turnaround")):
        late, _ = overdue(clock.due_at, clock.met_at or clock.stopped_at or clock.paused_since, as_of)
        if late:
            found[clock.task_id] = "breached"
        elif clock.met_at is not None and clock.met_at <= as_of:
            found.setdefault(clock.task_id, "met")
    return found


def _group_of(group_by: str, task, user_id: int | None, people: dict) -> tuple[str, str]:
    if group_by == "brief":
        return str(task.brief_id), f"#{task.brief_id} {task.title}"
    if group_by == "objective":
        return task.objective, task.objective
    if group_by == "work_type":
        return task.work_type, task.work_type
    name, partner = people.get(user_id, ("unassigned", None))
    if group_by == "specialist":
        return (str(user_id) if user_id else "unassigned"), name
    return (partner or NO_PARTNER), (partner or NO_PARTNER)


def _lines(group_by: str, task, entries: dict, people: dict, turnaround: str | None,
           held: bool = True) -> list[Line]:
    """A task's lines: one for the task, or (grouped by people) one per person who logged time on
    it, the task's own figures on its assignee's line (on none when it is not `held`)."""
    facts = {"task_id": task.id, "brief_id": task.brief_id, "estimate_hours": task.estimate_hours,
             "approved": task.state == lifecycle.APPROVED, "turnaround": turnaround,
             "revision": task.revision or 0, "rating": task.rating, "counts_task": held}
    logged = {uid: figures for (tid, uid), figures in entries.items() if tid == task.id}
    if group_by not in ("specialist", "partner"):
        minutes = sum(m for m, _ in logged.values())
        cost = sum((c for _, c in logged.values()), Decimal("0.00"))
        return [Line(*_group_of(group_by, task, None, people), minutes=minutes, cost=cost, **facts)]
    lines = [Line(*_group_of(group_by, task, uid, people), minutes=m, cost=c,
                  **{**facts, **({} if uid == task.assignee_id else _NOT_THE_TASK)})
             for uid, (m, c) in sorted(logged.items())]
    if held and task.assignee_id not in logged:
        lines.append(Line(*_group_of(group_by, task, task.assignee_id, people), **facts))
    return lines


_NOT_THE_TASK = {"counts_task": False}

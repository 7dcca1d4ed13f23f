"""What the work views render, read in one explicit batch per response and handed to the schemas
as plain data: the schemas only shape it and never query. Lists cost a fixed number of queries
whatever the page size; a single brief or task is read complete."""
from dataclasses import asdict
from datetime import datetime

from sqlalchemy import select

from broker.costs.reads import logged_hours
from broker.extensions import db
from broker.people.models import User
from sla.queries import brief_sla_counts, sla_summaries, sla_views
from tasks import lifecycle
from tasks.loop_services import prerequisites
from tasks.models import Brief, Task, TaskEvent, brief_status
from tasks.queries import state_counts
from tasks.rounds import review_rounds
from tasks.templates import template_of

TASK_FIELDS = ("id", "brief_id", "title", "work_type", "skills", "priority", "estimate_hours",
               "due_at", "needs_manager_overlap", "state", "assignee_id", "offer_expires_at",
               "deliverable_url", "created_at", "accepted_at", "first_submitted_at", "closed_at",
               "revision", "rating")
BRIEF_FIELDS = ("id", "title", "description", "objective", "success_metric", "campaign",
                "owner_id", "created_at", "budget")
EVENT_FIELDS = ("type", "from_state", "to_state", "actor_id", "at", "details")


def _plain(row, names) -> dict:
    return {name: getattr(row, name) for name in names}


def people(ids) -> dict[int, dict]:
    """{id, name, timezone} of each user, in one query."""
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return {}
    rows = db.session.execute(select(User.id, User.name, User.timezone).where(User.id.in_(wanted)))
    return {row.id: row._asdict() for row in rows}


def task_items(tasks: list[Task], now: datetime) -> list[dict]:
    """List rows: each task's fields, its assignee, and each SLA target's due instant and status."""
    sla = sla_summaries([t.id for t in tasks], now)
    who = people(t.assignee_id for t in tasks)
    hours = logged_hours([t.id for t in tasks])
    return [dict(_plain(t, TASK_FIELDS), assignee=who.get(t.assignee_id), sla=sla[t.id],
                 logged_hours=hours[t.id]) for t in tasks]


def _task_views(tasks: list[Task], now: datetime, who: dict | None = None) -> list[dict]:
    """Tasks complete but for their history: SLA with working hours and forecast, and routing."""
    sla = sla_views(tasks, now)
    who = people(t.assignee_id for t in tasks) if who is None else who
    needs = prerequisites(t.id for t in tasks)
    hours = logged_hours([t.id for t in tasks])
    return [dict(_plain(t, TASK_FIELDS), assignee=who.get(t.assignee_id),
                 sla=sla.get(t.id) or {"ack": None, "turnaround": None},
                 routing={"explanation": t.routing}, logged_hours=hours[t.id],
                 **dependency_view(needs[t.id]))
            for t in tasks]


def dependency_view(needs: list[Task]) -> dict:
    """`after` (prerequisite ids) and `waiting_for` (those not yet approved)."""
    return {"after": [p.id for p in needs],
            "waiting_for": [_plain(p, ("id", "title", "state")) for p in needs
                            if p.state != lifecycle.APPROVED]}


def task_detail(task: Task, now: datetime) -> dict:
    """One task complete, with its whole history. The assignee comes through the relationship:
    after an assignee's own action it is the caller, already loaded."""
    events = db.session.scalars(select(TaskEvent).where(TaskEvent.task_id == task.id)
                                .order_by(TaskEvent.id))
    assignee = task.assignee
    who = {assignee.id: _plain(assignee, ("id", "name", "timezone"))} if assignee else {}
    history = [_plain(e, EVENT_FIELDS) for e in events]
    return dict(_task_views([task], now, who)[0], events=history,
                rounds=[_iso(asdict(r)) for r in review_rounds(history)])


def _iso(row: dict) -> dict:
    return {k: v.isoformat() if isinstance(v, datetime) else v for k, v in row.items()}


def brief_items(briefs: list[Brief], now: datetime) -> list[dict]:
    """List rows: each brief's fields, its owner, its tasks counted by state and its SLA targets
    counted by status; no tasks."""
    ids = [b.id for b in briefs]
    states, sla = state_counts(ids), brief_sla_counts(ids, now)
    owners = people(b.owner_id for b in briefs)
    return [dict(_plain(b, BRIEF_FIELDS), owner=owners.get(b.owner_id),
                 status=brief_status(states[b.id]), task_count=sum(states[b.id].values()),
                 task_states=states[b.id], sla_statuses=sla[b.id]) for b in briefs]


def brief_detail(brief: Brief, now: datetime) -> dict:
    """One brief with every task complete but for its history. Its tasks and owner come through
    the relationships: one query at most each, none for a brief just posted (still loaded)."""
    tasks, owner = list(brief.tasks), brief.owner
    return dict(_plain(brief, BRIEF_FIELDS), owner=_plain(owner, ("id", "name", "timezone")),
                status=brief_status({t.state for t in tasks}), tasks=_task_views(tasks, now),
                template_id=template_of(brief.id))

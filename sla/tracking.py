"""Keeps each task's SLA clocks current as its events are recorded (a subscriber of tasks' signal).

The signal marks the task (mark_clocks_on_commit); just before the transaction commits, the
clocks of every marked task are derived again from its history and written in the same
transaction (recompute_clocks_in, a commit step declared in broker.app). Waiting for the commit
means tasks made by create_brief (whose 'created' event comes before they have an id) are
covered too, and several events of one request cost one recomputation.
"""
from collections import defaultdict

from flask import current_app
from sqlalchemy import and_, inspect, or_, select

from broker.bulk import insert_rows
from broker.db_events import gathered
from broker.extensions import db
from broker.worktime.calendars import week_of
from sla.clocks import CLOCK_FIELDS, Policy, TaskFacts, clock_start, compute_clocks
from sla.models import BusinessCalendar, SlaClock, SlaPolicy
from tasks.lifecycle import OPEN, PENDING
from tasks.models import Task, TaskEvent
from tasks.queries import tasks_by_id

CLOCKS = "sla_pending_tasks"  # the key of the work gathered for the commit step
# Events that can move a clock (the others, such as offers and their expiry, cannot): a routing
# round's thousands of offers then cost the SLA nothing.
CLOCK_EVENTS = frozenset({"created", "claimed", "accepted", "blocked", "unblocked", "submitted",
                          "changes_requested", "revision_started", "approved", "cancelled",
                          "updated", "dependency_ready", "handed_off"})
FIELDS = tuple(name for name in CLOCK_FIELDS if name not in ("target", "cycle"))  # the key


def mark_clocks_on_commit(task, event=None, **_):
    """Receiver of task_event_recorded: mark the task so its clocks are recomputed at commit."""
    if event is None or event.type not in CLOCK_EVENTS:
        return
    pending = gathered(db.session, CLOCKS, dict)
    entry = pending.setdefault(id(task), {"task": task, "updated": None,
                                          "new": inspect(task).transient or inspect(task).pending})
    if event.type == "updated":
        entry["updated"] = event


def mark_bulk_clocks_on_commit(session, recorded: list, **_):
    """Receiver of task_events_recorded: mark the tasks of events written in bulk whose clocks
    may move (a routing round's auto-accepted offers), loaded in one query."""
    moving = [(task.id, event) for task, event in recorded if event.type in CLOCK_EVENTS]
    if not moving:
        return
    tasks = tasks_by_id({task_id for task_id, _ in moving})
    for task_id, event in moving:
        mark_clocks_on_commit(tasks[task_id], event)


def recompute_clocks_in(session, pending: dict):
    """Commit step: derive and store the clocks of every marked task, in the session's
    transaction (it may record events for the outbox's step, which runs after)."""
    session.flush()
    entries = [e for e in pending.values() if e["task"].id is not None]
    if not entries:
        return
    known = _Known(session, [e["task"].id for e in entries if not e["new"]],
                   [e["task"] for e in entries if e["new"]])
    for entry in entries:
        updated = entry["updated"]
        recompute_clocks(session, entry["task"], announce_at=updated.at if updated else None,
                         known=known)
    known.write_new_clocks(session)


class _Known:
    """Policies, calendars, clocks and event histories of many tasks, read in at most four
    queries. Tasks made in this transaction (`new`) have no clocks yet and their whole history
    in memory, so posting a brief reads neither."""

    def __init__(self, session, task_ids: list[int], new: tuple = ()):
        self.policies = {(p.work_type, p.priority): p for p in session.scalars(select(SlaPolicy))}
        self.weeks = {c.name: week_of(c) for c in session.scalars(select(BusinessCalendar))}
        self.clocks = defaultdict(list)
        self.events = defaultdict(list)
        self.new_clocks: list[dict] = []  # rows to insert in one executemany, not ORM objects
        for task in new:
            self.events[task.id] = [(e.type, e.at) for e in task.events]
        if not task_ids:
            return
        for clock in session.scalars(select(SlaClock).where(SlaClock.task_id.in_(task_ids))):
            self.clocks[clock.task_id].append(clock)
        for task_id, type_, at in session.execute(
                select(TaskEvent.task_id, TaskEvent.type, TaskEvent.at)
                .where(TaskEvent.task_id.in_(task_ids)).order_by(TaskEvent.id)):
            self.events[task_id].append((type_, at))

    def write_new_clocks(self, session):
        if self.new_clocks:
            insert_rows(session, SlaClock.__table__, self.new_clocks)
            self.new_clocks = []


def policy_of(row: SlaPolicy) -> Policy:
    return Policy(row.ack_hours, row.turnaround_hours, row.warn_at, row.calendar)


def recompute_clocks(session, task, announce_at=None, known: _Known | None = None):
    """Derive the task's clocks from its history and store them; when `announce_at` is given and a
    due instant moved, record an `sla_recomputed` event saying from what to what."""
    if known is None:
        known = _Known(session, [task.id])
        recompute_clocks(session, task, announce_at, known)
        known.write_new_clocks(session)
        return
    row = known.policies.get((task.work_type, task.priority))
    if row is None or task.id is None:
        return
    week = known.weeks[row.calendar]
    start = clock_start(task.created_at, known.events[task.id], task.state == PENDING)
    if start is None:  # pending: no clock until its prerequisites are approved
        return
    facts = TaskFacts(start, task.estimate_hours, task.due_at, tuple(known.events[task.id]))
    config = current_app.config
    specs = compute_clocks(facts, policy_of(row), week, config["SLA_REVISION_SHARE"],
                           config["SLA_ESCALATION_GRACE_HOURS"])
    existing = {(c.target, c.cycle): c for c in known.clocks[task.id]}
    moved = {}
    for spec in specs:
        clock = existing.pop((spec.target, spec.cycle), None)
        if clock is None:
            known.new_clocks.append({"task_id": task.id, **{n: getattr(spec, n) for n in CLOCK_FIELDS}})
            continue
        if clock.due_at != spec.due_at:
            key = spec.target if spec.cycle == 0 else f"{spec.target}:{spec.cycle}"
            moved[key] = [clock.due_at.isoformat(), spec.due_at.isoformat()]
        for name in FIELDS:
            setattr(clock, name, getattr(spec, name))
    for stale in existing.values():
        session.delete(stale)
    if announce_at is not None and moved:
        from tasks.services import record_event
        record_event(task, "sla_recomputed", None, announce_at, task.state, task.state,
                     {"targets": moved, "priority": task.priority,
                      "calendar": row.calendar})


def reapply_policies(session, keys: set, at) -> int:
    """Recompute now the clocks of the open tasks of these (work type, priority) pairs, after
    their policies changed, recording each moved target; how many tasks had a target move."""
    if not keys:
        return 0
    session.flush()
    tasks = session.scalars(select(Task).where(Task.state.in_(OPEN), or_(*(
        and_(Task.work_type == w, Task.priority == p) for w, p in keys)))).all()
    known = _Known(session, [t.id for t in tasks])
    before = {c.id: c.due_at for cs in known.clocks.values() for c in cs}
    for task in tasks:
        recompute_clocks(session, task, announce_at=at, known=known)
    known.write_new_clocks(session)
    return len({c.task_id for cs in known.clocks.values() for c in cs if before[c.id] != c.due_at})

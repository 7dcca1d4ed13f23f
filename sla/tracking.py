"""Keeps each task's SLA clocks current as its events are recorded (a subscriber of tasks' signal).

The signal marks the task; just before the transaction commits, the clocks of every marked task
are derived again from its history and written in the same transaction. Waiting for the commit
means tasks made by create_brief (whose 'created' event comes before they have an id) are
covered too, and several events of one request cost one recomputation.
"""
from flask import current_app
from sqlalchemy import event, select
from sqlalchemy.orm import Session

from broker.extensions import db
from sla.calendars import week_of
from sla.clocks import Policy, TaskFacts, compute_clocks
from sla.models import BusinessCalendar, SlaClock, SlaPolicy
from tasks.signals import task_event_recorded

PENDING = "sla_pending_tasks"
FIELDS = ("calendar", "budget_hours", "started_at", "warn_at", "due_at", "escalate_at",
          "paused_since", "met_at", "stopped_at")


def follow_task_events():
    """Subscribe once per process (create_app may run many times in tests)."""
    task_event_recorded.connect(_mark, weak=False)
    if not event.contains(Session, "before_commit", _recompute_pending):
        event.listen(Session, "before_commit", _recompute_pending)
        event.listen(Session, "after_soft_rollback", _forget_pending)


def _mark(task, event=None, **_):
    if event is None or event.type.startswith("sla_"):
        return
    pending = db.session.info.setdefault(PENDING, {})
    entry = pending.setdefault(id(task), {"task": task, "updated": None})
    if event.type == "updated":
        entry["updated"] = event


def _forget_pending(session, previous_transaction):
    session.info.pop(PENDING, None)


def _recompute_pending(session):
    pending = session.info.pop(PENDING, None)
    if not pending:
        return
    session.flush()
    for entry in pending.values():
        updated = entry["updated"]
        recompute_clocks(session, entry["task"], announce_at=updated.at if updated else None)


def policy_of(row: SlaPolicy) -> Policy:
    return Policy(row.ack_hours, row.turnaround_hours, row.warn_at, row.calendar)


def recompute_clocks(session, task, announce_at=None):
    """Derive the task's clocks from its history and store them; when `announce_at` is given and a
    due instant moved, record an `sla_recomputed` event saying from what to what."""
    row = session.get(SlaPolicy, (task.work_type, task.priority))
    if row is None or task.id is None:
        return
    week = week_of(session.get(BusinessCalendar, row.calendar))
    facts = TaskFacts(task.created_at, task.estimate_hours, task.due_at,
                      tuple((e.type, e.at) for e in task.events))
    config = current_app.config
    specs = compute_clocks(facts, policy_of(row), week, config["SLA_REVISION_SHARE"],
                           config["SLA_ESCALATION_GRACE_HOURS"])
    existing = {(c.target, c.cycle): c for c in
                session.scalars(select(SlaClock).where(SlaClock.task_id == task.id))}
    moved = {}
    for spec in specs:
        clock = existing.pop((spec.target, spec.cycle), None)
        if clock is None:
            clock = SlaClock(task_id=task.id, target=spec.target, cycle=spec.cycle)
            session.add(clock)
        elif clock.due_at != spec.due_at:
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

"""The SLA sweep: fire every escalation step whose instant has come, each exactly once.

Which clocks crossed a threshold is one INSERT ... SELECT per step over all open clocks; the
unique key of sla_escalations with ON CONFLICT DO NOTHING makes a rerun, a catch-up after a gap
or a concurrent sweep insert nothing twice, and RETURNING names the few rows actually inserted,
the only ones that get per-row work (an event each; an offer withdrawn on an acknowledgement
breach). All of it commits together, so a crash fires nothing half-way.
"""
import logging
from datetime import datetime

from sqlalchemy import String, exists, literal, or_, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import selectinload

from broker.extensions import db
from broker.pause import pause_point
from broker.timeutil import UTCDateTime
from broker.unit_of_work import commit, transaction
from sla.models import SlaClock, SlaEscalation
from tasks import lifecycle, services
from tasks.models import Task

log = logging.getLogger(__name__)

# step: (the clock's instant that triggers it, the event it records)
ESCALATION_STEPS = {
    "warning": ("warn_at", "sla_warning"),
    "breach": ("due_at", "sla_breached"),
    "escalation": ("escalate_at", "sla_escalated"),
}
WITHDRAW_REASON = "acknowledgement breached"


def _insert(dialect: str):
    return (postgresql.insert if dialect == "postgresql" else sqlite.insert)(SlaEscalation)


def due_steps(step: str, now: datetime):
    """SELECT of the clocks whose `step` is due at `now` and has not fired yet."""
    c, e = SlaClock, SlaEscalation
    instant = getattr(c, ESCALATION_STEPS[step][0])
    query = select(c.task_id, c.target, c.cycle, literal(step, String), c.due_at,
                   literal(now, UTCDateTime)).where(
        c.met_at.is_(None), c.stopped_at.is_(None), instant <= now,
        or_(c.paused_since.is_(None), instant <= c.paused_since),
        ~exists().where(e.task_id == c.task_id, e.target == c.target, e.cycle == c.cycle,
                        e.step == step),
    )
    if step == "warning":  # a warning goes to the assignee: none while nobody holds the task
        query = query.join(Task, Task.id == c.task_id).where(Task.assignee_id.is_not(None))
    return query


def fire_step(step: str, now: datetime) -> list:
    """Insert the due escalations of one step; returns the rows this call inserted."""
    columns = ["task_id", "target", "cycle", "step", "due_at", "fired_at"]
    stmt = (_insert(db.engine.dialect.name).from_select(columns, due_steps(step, now))
            .on_conflict_do_nothing()
            .returning(SlaEscalation.task_id, SlaEscalation.target, SlaEscalation.cycle,
                       SlaEscalation.step, SlaEscalation.due_at))
    return db.session.execute(stmt).all()


@transaction
def escalate_breaches(now: datetime) -> dict:
    """Run the ladder at `now`: record each newly due step as a task event, withdraw offers whose
    acknowledgement breached, commit; returns counts per step."""
    fired = [row for step in ESCALATION_STEPS for row in fire_step(step, now)]
    tasks = _locked_tasks({row.task_id for row in fired})
    withdrawn = 0
    for row in sorted(fired, key=lambda r: (r.task_id, list(ESCALATION_STEPS).index(r.step))):
        task = tasks[row.task_id]
        _record(task, row, now)
        if (row.step == "breach" and row.target == "ack"
                and task.state == lifecycle.OFFERED):
            services.withdraw_offer(task, now, WITHDRAW_REASON)
            withdrawn += 1
    pause_point("sla_sweep.before_commit")  # the crash tests kill the scheduler here
    commit()
    counts = {step: sum(1 for r in fired if r.step == step) for step in ESCALATION_STEPS}
    return {**counts, "offers_withdrawn": withdrawn}


def _locked_tasks(ids: set) -> dict:
    if not ids:
        return {}
    rows = db.session.scalars(select(Task).where(Task.id.in_(ids)).order_by(Task.id)
                              .options(selectinload(Task.events), selectinload(Task.brief))
                              .with_for_update(of=Task)
                              .execution_options(populate_existing=True))
    return {task.id: task for task in rows}


def _record(task: Task, row, now: datetime):
    details = {"target": row.target, "cycle": row.cycle, "step": row.step,
               "due_at": row.due_at.isoformat()}
    if row.step == "warning":
        details["assignee_id"] = task.assignee_id
    elif row.step == "breach":
        details["owner_id"] = task.brief.owner_id
    event = ESCALATION_STEPS[row.step][1]
    services.record_event(task, event, None, now, task.state, task.state, details)


def summary(result: dict) -> str:
    """One line for logs and the CLI."""
    return (f"{result['warning']} warnings, {result['breach']} breaches "
            f"({result['offers_withdrawn']} offers withdrawn), {result['escalation']} escalations")

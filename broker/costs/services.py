"""Time, budgets and results: each command checks the rules, does the work and owns the transaction."""
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from sqlalchemy import func, insert, select

from broker.costs.models import BriefResult, BudgetAlert, TimeEntry
from broker.costs.money import MAX_MINUTES, cost_of, money, share_pct
from broker.errors import Conflict, InvalidInput, NotAllowed, NotFound
from broker.extensions import db
from broker.people import permissions
from broker.people.models import SpecialistProfile, User
from broker.unit_of_work import commit, transaction
from notifications.kinds import BUDGET_80, BUDGET_100
from notifications.models import QUEUED, Notification
from tasks import lifecycle
from tasks.models import Brief, Task

ALERT_LEVELS = ((80, BUDGET_80), (100, BUDGET_100))
NOT_STARTED = (lifecycle.QUEUED, lifecycle.OFFERED)
MAX_BUDGET = Decimal("9999999999.99")


def _task(task_id: int) -> Task:
    task = db.session.get(Task, task_id)
    if task is None:
        raise NotFound(f"Task {task_id} does not exist.")
    return task


def local_today(user: User, now: datetime) -> date:
    """The date it is for `user` at `now`, in their timezone."""
    return now.astimezone(ZoneInfo(user.timezone)).date()


def _check_entry(minutes: int, on: date, today: date):
    errors = {}
    if not 1 <= minutes <= MAX_MINUTES:
        errors["minutes"] = [f"Log between 1 and {MAX_MINUTES} minutes (one day) at a time."]
    if on > today:
        errors["on"] = [f"That day has not come yet (today is {today.isoformat()} for you)."]
    if errors:
        raise InvalidInput("The time entry is not valid.", errors)


@transaction
def log_time(actor: User, task_id: int, minutes: int, now: datetime, on: date | None = None,
             note: str | None = None) -> TimeEntry:
    """Log the assignee's minutes on a task, priced at their hourly cost now; the brief's owner
    hears once when its cost passes 80 % and once at 100 % of the budget."""
    task = _task(task_id)
    if not permissions.may_log_time(actor, task.assignee_id):
        raise NotAllowed("Only the task's assignee logs time on it.")
    if task.state in NOT_STARTED:
        raise Conflict("Accept the task before logging time on it.")
    on = on or local_today(actor, now)
    _check_entry(minutes, on, local_today(actor, now))
    lock_brief(task.brief_id)
    rate = db.session.scalar(select(SpecialistProfile.hourly_cost)
                             .where(SpecialistProfile.user_id == actor.id))
    entry = TimeEntry(task_id=task.id, user_id=actor.id, minutes=minutes, on=on,
                      note=(note or None), hourly_cost=rate, cost=cost_of(minutes, rate),
                      created_at=now)
    db.session.add(entry)
    db.session.flush()
    alert_budget_in(task.brief, now, task.id)
    commit(expire=False)
    return entry


def lock_brief(brief_id: int):
    """Hold the brief's row (PostgreSQL) so concurrent entries are summed one after the other and
    each alert goes exactly once; SQLite writers already take turns."""
    db.session.execute(select(Brief.id).where(Brief.id == brief_id).with_for_update())


def spent_on(brief_id: int) -> Decimal:
    """The cost logged on a brief's tasks so far."""
    total = db.session.scalar(select(func.coalesce(func.sum(TimeEntry.cost), 0))
                              .join(Task, Task.id == TimeEntry.task_id).where(Task.brief_id == brief_id))
    return Decimal(total).quantize(Decimal("0.01"))


def alert_budget_in(brief: Brief, now: datetime, task_id: int | None = None):
    """In the caller's transaction (the brief's row held): tell the owner of each budget level the
    brief's cost has reached and nobody was told of yet."""
    if brief.budget is None:
        return
    spent = spent_on(brief.id)
    told = set(db.session.scalars(select(BudgetAlert.level).where(BudgetAlert.brief_id == brief.id)))
    currency = _currency()
    for level, kind in ALERT_LEVELS:
        if level in told or spent * 100 < brief.budget * level:
            continue
        db.session.add(BudgetAlert(brief_id=brief.id, level=level, at=now, spent=spent))
        note = (f"{money(spent, currency)} of {money(brief.budget, currency)} spent "
                f"({share_pct(spent, brief.budget)} %)")
        db.session.execute(insert(Notification.__table__), [{
            "user_id": brief.owner_id, "task_id": task_id, "event_id": None, "kind": kind,
            "urgent": True, "state": QUEUED, "created_at": now, "next_attempt_at": now,
            "attempts": 0, "payload": {"title": brief.title, "brief_id": brief.id,
                                       "details": {"note": note}}}])


def _currency() -> str:
    from flask import current_app
    return current_app.config["BROKER_CURRENCY"]


def time_entries(actor: User, task_id: int) -> list[TimeEntry]:
    """The time logged on a task, for whoever may see the task."""
    from tasks.queries import task_for
    task = task_for(actor, task_id)
    return list(db.session.scalars(select(TimeEntry).where(TimeEntry.task_id == task.id)
                                   .order_by(TimeEntry.on, TimeEntry.id)))


def _brief_to_decide(actor: User, brief_id: int) -> Brief:
    brief = db.session.get(Brief, brief_id)
    if brief is None:
        raise NotFound(f"Brief {brief_id} does not exist.")
    if not permissions.may_set_budget(actor, brief.owner_id):
        raise NotAllowed("Only the manager who owns the brief sets its budget and result.")
    return brief


@transaction
def set_budget(actor: User, brief_id: int, budget: Decimal | None, now: datetime) -> Brief:
    """Set or clear a brief's budget; a budget already passed alerts at once (each level once)."""
    brief = _brief_to_decide(actor, brief_id)
    if budget is not None and not Decimal("0.01") <= budget <= MAX_BUDGET:
        raise InvalidInput("The budget is not valid.", {"budget": ["Give an amount above zero."]})
    lock_brief(brief.id)
    brief.budget = budget
    db.session.flush()
    alert_budget_in(brief, now)
    commit()
    return brief


@transaction
def record_result(actor: User, brief_id: int, value: Decimal, note: str | None,
                  now: datetime) -> BriefResult:
    """Record what a closed brief achieved against its success metric (again to correct it)."""
    brief = _brief_to_decide(actor, brief_id)
    if brief.status == "open":
        raise Conflict("Record the result once the brief is closed (no task open).")
    result = db.session.get(BriefResult, brief.id) or BriefResult(brief_id=brief.id)
    result.value, result.note, result.recorded_by, result.recorded_at = value, note or None, actor.id, now
    db.session.add(result)
    commit(expire=False)
    return result

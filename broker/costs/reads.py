"""What the task and brief views show of time and cost, read in one batch each."""
from decimal import Decimal

from sqlalchemy import func, select

from broker.costs.models import BriefResult, BudgetAlert, TimeEntry
from broker.costs.money import share_pct
from broker.extensions import db
from tasks.models import Brief, Task


def logged_minutes(task_ids) -> dict[int, int]:
    """{task id: minutes logged} for these tasks, in one query."""
    ids = list(task_ids)
    if not ids:
        return {}
    rows = db.session.execute(select(TimeEntry.task_id, func.sum(TimeEntry.minutes))
                              .where(TimeEntry.task_id.in_(ids)).group_by(TimeEntry.task_id))
    return {task_id: int(minutes) for task_id, minutes in rows}


def logged_hours(task_ids) -> dict[int, float]:
    """{task id: hours logged, to the hundredth} (0 for a task without time)."""
    minutes = logged_minutes(task_ids)
    return {task_id: round(minutes.get(task_id, 0) / 60, 2) for task_id in task_ids}


def brief_costs(brief: Brief, currency: str, with_money: bool = True) -> dict:
    """A brief's time against its estimate, its cost against its budget, the alerts sent and
    the result recorded; money left out (`with_money` false) for readers who may not see it."""
    rows = db.session.execute(
        select(Task.id, Task.estimate_hours, func.coalesce(func.sum(TimeEntry.minutes), 0),
               func.coalesce(func.sum(TimeEntry.cost), 0))
        .outerjoin(TimeEntry, TimeEntry.task_id == Task.id)
        .where(Task.brief_id == brief.id).group_by(Task.id, Task.estimate_hours)).all()
    minutes = sum(int(m) for _, _, m, _ in rows)
    spent = sum((Decimal(c) for _, _, _, c in rows), Decimal("0")).quantize(Decimal("0.01"))
    result = db.session.get(BriefResult, brief.id)
    view = {"currency": currency, "logged_hours": round(minutes / 60, 2),
            "estimate_hours": round(sum(e for _, e, _, _ in rows), 2),
            "tasks": {tid: {"logged_hours": round(int(m) / 60, 2), "estimate_hours": e}
                      for tid, e, m, _ in rows},
            "result": None if result is None else {
                "value": result.value, "note": result.note, "recorded_at": result.recorded_at}}
    if with_money:
        alerts = db.session.execute(select(BudgetAlert.level, BudgetAlert.at)
                                    .where(BudgetAlert.brief_id == brief.id).order_by(BudgetAlert.level))
        view |= {"budget": brief.budget, "spent": spent, "spent_pct": share_pct(spent, brief.budget),
                 "alerts": [{"level": level, "at": at} for level, at in alerts]}
    return view

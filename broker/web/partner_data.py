"""What /partner shows a partner lead: their partner's specialists with load, queue, SLA numbers
and time logged, read in a fixed handful of queries."""
from datetime import datetime, timedelta

from sqlalchemy import func, select

from broker.costs.models import TimeEntry
from broker.costs.report import turnarounds
from broker.extensions import db
from broker.people.models import SpecialistProfile, User
from broker.people.partners import capacity_cap
from sla.queries import sla_summaries
from tasks import lifecycle
from tasks.models import Task

RECENT_DAYS = 28


def partner_people(partner: str) -> list[User]:
    return list(db.session.scalars(select(User).join(SpecialistProfile)
                                   .where(SpecialistProfile.partner == partner).order_by(User.name)))


def overview(partner: str, now: datetime) -> dict:
    """Each of the partner's specialists with their open work, SLA numbers and hours logged."""
    people = partner_people(partner)
    ids = [p.id for p in people]
    open_tasks = list(db.session.scalars(select(Task).where(
        Task.assignee_id.in_(ids), Task.state.in_(lifecycle.OPEN)).order_by(Task.due_at, Task.id)))
    sla = sla_summaries([t.id for t in open_tasks], now)
    recent = db.session.execute(select(Task.id, Task.assignee_id).where(
        Task.assignee_id.in_(ids), Task.created_at >= now - timedelta(days=RECENT_DAYS))).all()
    decided = turnarounds([r.id for r in recent], now)
    week = db.session.execute(select(TimeEntry.user_id, func.sum(TimeEntry.minutes)).where(
        TimeEntry.user_id.in_(ids), TimeEntry.on >= (now - timedelta(days=7)).date())
        .group_by(TimeEntry.user_id))
    minutes = {uid: int(m) for uid, m in week}
    rows = [_row(p, open_tasks, sla, recent, decided, minutes.get(p.id, 0)) for p in people]
    return {"partner": partner, "cap": capacity_cap(partner), "people": rows, "days": RECENT_DAYS}


def _row(person: User, open_tasks, sla, recent, decided, minutes: int) -> dict:
    mine = [t for t in open_tasks if t.assignee_id == person.id]
    statuses = [s["status"] for t in mine for s in sla[t.id].values() if s]
    outcomes = [decided[r.id] for r in recent if r.assignee_id == person.id and r.id in decided]
    load = sum(1 for t in mine if t.state in lifecycle.HOLDS_A_PLACE)
    return {"user": person, "profile": person.profile, "load": load, "tasks": mine, "sla": sla,
            "at_risk": statuses.count("at_risk"), "breached": statuses.count("breached"),
            "attainment_pct": round(100 * outcomes.count("met") / len(outcomes), 1) if outcomes else None,
            "decided": len(outcomes), "week_minutes": minutes}

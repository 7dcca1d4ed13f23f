"""`--from-live`: a scenario of the current team and the load of the last four weeks, read from the
database (the simulation itself then runs on plain data, without it)."""
from collections import Counter, defaultdict
from datetime import datetime, timedelta
from math import ceil
from zoneinfo import ZoneInfo

import pendulum
from flask import current_app
from sqlalchemy import func, select

from broker.errors import InvalidInput
from broker.extensions import db
from broker.people.models import User
from broker.planning.engine_bridge import to_utc
from broker.planning.scenario import Behaviour, Manager, Person, Routing, Scenario, Sla, Workload
from broker.planning.workload import DEFAULT_SKILLS
from broker.routing.store import active_team, time_off_ahead, verified_skills
from broker.worktime.public_holidays import holiday_dates
from sla.models import BusinessCalendar, SlaPolicy
from tasks.models import Brief, Task, TaskEvent

LOOKBACK_WEEKS = 4
SMOOTHING = 0.05  # weight of an hour or weekday in which nothing was posted


def live_scenario(now: datetime, config: dict | None = None) -> Scenario:
    """The active team with its hours, skills and time off, the managers who posted in the last
    four weeks, and a load shaped like theirs; simulated from next Monday (UTC)."""
    config = config or current_app.config
    since = now - timedelta(weeks=LOOKBACK_WEEKS)
    people = team(now)
    if not people:
        raise InvalidInput("There is no active specialist to simulate.",
                           {"from_live": ["Add specialists, or use a scenario file."]})
    rows = posted_tasks(since, now)
    if not rows:
        raise InvalidInput("No task was posted in the last four weeks to learn the load from.",
                           {"from_live": ["Post work first, or use a scenario file."]})
    managers, index = _managers(rows)
    start = to_utc(pendulum.instance(now).in_timezone("UTC").next(pendulum.MONDAY))
    routing = Routing(weights=dict(config.get("ROUTING_WEIGHTS") or {}),
                      offer_minutes=dict(config["ROUTING_OFFER_MINUTES"]),
                      default_target_hours=dict(config["ROUTING_DEFAULT_TARGET_HOURS"]),
                      manager_hours=dict(config["ROUTING_MANAGER_HOURS"]))
    sla = Sla(*_sla_rows(), revision_share=config["SLA_REVISION_SHARE"],
              grace_hours=config["SLA_ESCALATION_GRACE_HOURS"])
    return Scenario("live", start, LOOKBACK_WEEKS, 1, people, managers,
                    workload(rows, index, managers), behaviour(since, now), routing, sla)


def team(now: datetime) -> tuple:
    """Active specialists as scenario people (time off still to come included)."""
    skills = verified_skills()  # what routing counts: verified levels only
    off = time_off_ahead(now)
    rows = active_team()
    return tuple(Person(r.name, r.timezone, r.working_hours or {}, r.capacity, skills[r.id],
                        r.auto_accept, tuple(sorted(off[r.id])),
                        holiday_dates(r.country, r.subdivision, now.date())) for r in rows)


def posted_tasks(since: datetime, now: datetime) -> list:
    return db.session.execute(
        select(Task.work_type, Task.priority, Task.estimate_hours, Task.due_at, Task.created_at,
               Task.needs_manager_overlap, Task.skills, Task.brief_id, Brief.owner_id,
               User.name, User.timezone)
        .join(Brief, Brief.id == Task.brief_id).join(User, User.id == Brief.owner_id)
        .where(Task.created_at >= since, Task.created_at < now).order_by(Task.id)).all()


def _managers(rows: list) -> tuple[tuple, dict]:
    """Managers who posted, weighted by how many tasks they posted; their index by user id."""
    counts = Counter(r.owner_id for r in rows)
    names = {r.owner_id: (r.name, r.timezone) for r in rows}
    order = sorted(counts)
    managers = tuple(Manager(names[uid][0], names[uid][1], float(counts[uid])) for uid in order)
    return managers, {uid: i for i, uid in enumerate(order)}


def workload(rows: list, index: dict, managers: tuple) -> Workload:
    """Arrivals shaped like the rows: how many, which work, how urgent, how big, posted when."""
    estimates: dict = defaultdict(list)
    for r in rows:
        estimates[r.work_type].append(r.estimate_hours)
    per_brief = Counter(r.brief_id for r in rows).values()
    dated = [r for r in rows if r.due_at is not None]
    days = [max(1, ceil((r.due_at - r.created_at).total_seconds() / 86400)) for r in dated]
    weekday, hour = _posting_profile(rows, index, managers)
    return Workload(
        tasks_per_week=len(rows) / LOOKBACK_WEEKS,
        work_types=dict(Counter(r.work_type for r in rows)),
        priorities=dict(Counter(r.priority for r in rows)),
        estimate_hours={k: (min(v), max(v)) for k, v in estimates.items()},
        tasks_per_brief=(min(per_brief), max(per_brief)),
        level_raise_share=sum(_raised(r) for r in rows) / len(rows),
        due_share=len(dated) / len(rows), due_days=(min(days), max(days)) if days else (1, 5),
        overlap_share=sum(bool(r.needs_manager_overlap) for r in rows) / len(rows),
        dependency_share=0.0, weekday_weights=weekday, hour_weights=hour)


def _raised(row) -> bool:
    """The task asked for more than its work type's default levels."""
    asked = {s["skill"]: s["min_level"] for s in row.skills or []}
    return any(asked.get(skill, 0) > level for skill, level in DEFAULT_SKILLS.get(row.work_type, ()))


def _posting_profile(rows: list, index: dict, managers: tuple) -> tuple[tuple, tuple]:
    """Weekday and hour-of-day weights of the postings, in each poster's own timezone."""
    weekday, hour = Counter(), Counter()
    for r in rows:
        local = r.created_at.astimezone(ZoneInfo(managers[index[r.owner_id]].timezone))
        weekday[local.weekday()] += 1
        hour[local.hour] += 1
    return (tuple(weekday[d] + SMOOTHING for d in range(7)),
            tuple(hour[h] + SMOOTHING for h in range(24)))


def behaviour(since: datetime, now: datetime) -> Behaviour:
    """How people answered offers and how often managers sent work back, over the period."""
    counts = dict(db.session.execute(
        select(TaskEvent.type, func.count()).where(TaskEvent.at >= since, TaskEvent.at < now)
        .group_by(TaskEvent.type)).all())
    base = Behaviour()
    offered, submitted = counts.get("offered", 0), counts.get("submitted", 0)
    taken = counts.get("accepted", 0) + counts.get("claimed", 0)
    return Behaviour(
        decline_rate=counts.get("declined", 0) / offered if offered else base.decline_rate,
        lapse_rate=counts.get("offer_expired", 0) / offered if offered else base.lapse_rate,
        changes_share=min(1.0, counts.get("changes_requested", 0) / submitted) if submitted
        else base.changes_share,
        block_share=min(1.0, counts.get("blocked", 0) / taken) if taken else base.block_share)


def _sla_rows() -> tuple[tuple, tuple]:
    policies = tuple({"work_type": p.work_type, "priority": p.priority, "ack_hours": p.ack_hours,
                      "turnaround_hours": p.turnaround_hours, "calendar": p.calendar,
                      "warn_at": p.warn_at} for p in db.session.scalars(select(SlaPolicy)))
    calendars = tuple({"name": c.name, "timezone": c.timezone, "hours": c.hours,
                       "holidays": list(c.holidays), "country": c.country,
                       "subdivision": c.subdivision} for c in db.session.scalars(select(BusinessCalendar)))
    return policies, calendars

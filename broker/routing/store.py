"""Read a routing round's inputs from the database in a few set-based queries."""
from collections import defaultdict, namedtuple
from datetime import datetime, timedelta

from sqlalchemy import case, func, select, text

from broker.extensions import db
from broker.json_columns import text_field
from broker.people.models import SpecialistProfile, SpecialistSkill, TimeOff, User
from broker.people.skills import routing_level
from broker.routing.round_data import SpecialistInput, TaskInput
from broker.worktime.arithmetic import WorkWeek
from broker.worktime.public_holidays import HolidaysOfRound
from sla.models import SlaClock
from tasks import lifecycle
from tasks.models import Brief, Task, TaskEvent

# Never offer the task to them again (a handoff included: the task went back for someone else).
PASSED_ON = ("declined", "offer_expired", "offer_withdrawn", "handed_off")
ROUND_LOCK = 0x52545247  # "RTRG": one routing round at a time on PostgreSQL
RECORD_PRIOR = (4, 0.8)  # on-time record starts as 4 submissions at 80%
RATING_PRIOR = (3, 0.75)  # owners' ratings start as 3 ratings of 4/5 (0.75 on a 0-1 scale)


def lock_round(is_postgres: bool):
    """Serialise rounds and hold off claims until this round's offers are written.

    PostgreSQL: a transaction advisory lock, then the active profiles' row locks (claim and
    offer take the same locks, so capacity cannot be overrun). SQLite: the first write takes the
    database's single write lock, so the round's reads cannot go stale.
    """
    if is_postgres:
        db.session.execute(text("select pg_advisory_xact_lock(:k)"), {"k": ROUND_LOCK})
        db.session.execute(select(SpecialistProfile.user_id)
                           .where(SpecialistProfile.active.is_(True)).with_for_update())


def queued_tasks(now: datetime, config: dict, is_postgres: bool,
                 only: set | None = None) -> tuple[list[TaskInput], dict]:
    """Queued tasks as routing inputs (skipping rows another transaction holds) and, by id, the
    row each came from (of the tasks in `only`, when given): the reason it was last said to
    wait, and the version, title and owner an offer is written and announced with (the round
    holds these rows, so they cannot change before it writes). A task's target is its hard due
    date, else its SLA turnaround due instant, else a default per priority
    (ROUTING_DEFAULT_TARGET_HOURS)."""
    turnaround = (SlaClock.task_id == Task.id) & (SlaClock.target == "turnaround") & (SlaClock.cycle == 0)
    query = (select(Task.id, Task.brief_id, Task.priority, Task.estimate_hours, Task.skills,
                    Task.due_at, Task.created_at, Task.needs_manager_overlap, Task.version, Task.title,
                    text_field(Task.routing, "reason").label("reason"),  # not the whole explanation
                    Brief.owner_id, SlaClock.due_at.label("sla_due_at"))
             .join(Brief, Brief.id == Task.brief_id).outerjoin(SlaClock, turnaround)
             .where(Task.state == lifecycle.QUEUED))
    if only is not None:
        query = query.where(Task.id.in_(only))
    if is_postgres:
        query = query.with_for_update(of=Task, skip_locked=True)
    result = db.session.execute(query)
    plain = namedtuple("QueuedRow", result.keys())  # SQLAlchemy rows read by name cost more
    rows = [plain._make(r) for r in result]
    passed = _passed_on([r.id for r in rows])
    managers = _manager_weeks({r.owner_id for r in rows if r.needs_manager_overlap}, config)
    targets = config["ROUTING_DEFAULT_TARGET_HOURS"]
    tasks = [TaskInput(
        id=r.id, brief_id=r.brief_id, priority=r.priority, estimate_hours=r.estimate_hours,
        skills=tuple((s["skill"], s["min_level"]) for s in r.skills),
        target_at=r.due_at or r.sla_due_at or r.created_at + timedelta(hours=targets[r.priority]),
        created_at=r.created_at, target_source=_target_source(r),
        needs_overlap=r.needs_manager_overlap, manager_week=managers.get(r.owner_id),
        excluded=frozenset(passed.get(r.id, ()))) for r in rows]
    return tasks, {r.id: r for r in rows}


def _target_source(row) -> str:
    if row.due_at is not None:
        return "due date"
    return "SLA turnaround" if row.sla_due_at is not None else "default for its priority"


def _passed_on(task_ids: list[int]) -> dict[int, set]:
    """Specialists who declined each task or let an offer of it lapse."""
    passed: dict = defaultdict(set)
    if not task_ids:
        return passed
    rows = db.session.execute(
        select(TaskEvent.task_id, TaskEvent.details)
        .where(TaskEvent.type.in_(PASSED_ON),
               TaskEvent.task_id.in_(select(Task.id).where(Task.state == lifecycle.QUEUED))))
    for task_id, details in rows:
        if details and details.get("specialist_id") is not None:
            passed[task_id].add(details["specialist_id"])
    return passed


def _manager_weeks(owner_ids: set, config: dict) -> dict:
    if not owner_ids:
        return {}
    zones = db.session.execute(select(User.id, User.timezone).where(User.id.in_(owner_ids)))
    return {uid: WorkWeek(config["ROUTING_MANAGER_HOURS"], tz) for uid, tz in zones}


def specialists(now: datetime) -> list[SpecialistInput]:
    """Active specialists with their skills, hours, time off, load, briefs and on-time record."""
    people = active_team()
    skills, proposed = skill_levels()
    off = time_off_ahead(now)
    load, briefs, record = _loads(), _briefs_held(), _records()
    places = HolidaysOfRound(now)
    return [SpecialistInput(
        id=p.id, name=p.name, tz=p.timezone, skills=skills[p.id], capacity=p.capacity,
        load=load.get(p.id, (0, 0.0))[0], queued_hours=load.get(p.id, (0, 0.0))[1],
        week=WorkWeek(p.working_hours, p.timezone, closed=tuple(off[p.id]),
                      holidays=places.dates(p.country, p.subdivision)),
        on_time_record=record.get(p.id, (RECORD_PRIOR[1] + RATING_PRIOR[1]) / 2),
        briefs=frozenset(briefs[p.id]),
        off_now=any(s <= now < e for s, e in off[p.id]), auto_accept=p.auto_accept,
        holiday=places.today(p.country, p.subdivision, p.timezone),
        hourly_cost=None if p.hourly_cost is None else float(p.hourly_cost),
        proposed=proposed.get(p.id, {}))
        for p in people]


def active_team() -> list:
    """The active specialists' rows (id, name, timezone, working_hours, capacity, auto_accept,
    hourly_cost, country, subdivision), by id: whom routing and planning count on."""
    return db.session.execute(
        select(User.id, User.name, User.timezone, SpecialistProfile.working_hours,
               SpecialistProfile.capacity, SpecialistProfile.auto_accept, SpecialistProfile.hourly_cost,
               SpecialistProfile.country, SpecialistProfile.subdivision)
        .join(SpecialistProfile, SpecialistProfile.user_id == User.id)
        .where(User.active.is_(True), SpecialistProfile.active.is_(True))
        .order_by(User.id)).all()


def time_off_ahead(now: datetime) -> dict:
    """{specialist id: [(starts_at, ends_at)]} of the time off not over at `now`."""
    off: dict = defaultdict(list)
    for uid, start, end in db.session.execute(
            select(TimeOff.specialist_id, TimeOff.starts_at, TimeOff.ends_at).where(TimeOff.ends_at > now)):
        off[uid].append((start, end))
    return off


def verified_skills() -> dict:
    """{specialist id: {skill: level}} with the levels routing counts: verified ones only
    (broker.people.skills); a skill only proposed is left out."""
    return skill_levels()[0]


def skill_levels() -> tuple[dict, dict]:
    """The levels routing counts by specialist, and the higher levels proposed and not verified
    yet (which only explanations mention)."""
    counted: dict = defaultdict(dict)
    proposed: dict = defaultdict(dict)
    for uid, skill, level, verified in db.session.execute(
            select(SpecialistSkill.specialist_id, SpecialistSkill.skill, SpecialistSkill.level,
                   SpecialistSkill.verified_level)):
        counts = routing_level(level, verified)
        if counts is not None:
            counted[uid][skill] = counts
        if counts is None or level > counts:
            proposed[uid][skill] = level
    return counted, proposed


def _loads() -> dict:
    rows = db.session.execute(
        select(Task.assignee_id, func.count(), func.coalesce(func.sum(Task.estimate_hours), 0.0))
        .where(Task.state.in_(lifecycle.HOLDS_A_PLACE), Task.assignee_id.is_not(None))
        .group_by(Task.assignee_id))
    return {uid: (count, float(hours)) for uid, count, hours in rows}


def _briefs_held() -> dict:
    held: dict = defaultdict(set)
    for uid, brief_id in db.session.execute(
            select(Task.assignee_id, Task.brief_id).distinct()
            .where(Task.state.in_(lifecycle.OPEN), Task.assignee_id.is_not(None))):
        held[uid].add(brief_id)
    return held


def _records() -> dict:
    """Each specialist's record: the smoothed share of first submissions that came before the
    due date, beside the smoothed mean of the owners' 1-5 ratings (as 0-1), averaged."""
    on_time = case((Task.first_submitted_at <= Task.due_at, 1), else_=0)
    rows = db.session.execute(
        select(Task.assignee_id, func.count(), func.sum(on_time))
        .where(Task.first_submitted_at.is_not(None), Task.due_at.is_not(None),
               Task.assignee_id.is_not(None))
        .group_by(Task.assignee_id))
    weight, prior = RECORD_PRIOR
    timely = {uid: (int(good) + weight * prior) / (n + weight) for uid, n, good in rows}
    rated = db.session.execute(
        select(Task.assignee_id, func.count(), func.sum(Task.rating - 1))
        .where(Task.rating.is_not(None), Task.assignee_id.is_not(None)).group_by(Task.assignee_id))
    r_weight, r_prior = RATING_PRIOR
    ratings = {uid: (float(total) / 4 + r_weight * r_prior) / (n + r_weight) for uid, n, total in rated}
    return {uid: (timely.get(uid, prior) + ratings.get(uid, r_prior)) / 2
            for uid in timely.keys() | ratings.keys()}

"""Read side of briefs and tasks: what each actor may see, and what a specialist may claim."""
import json
from datetime import datetime

from sqlalchemy import Text, case, cast, func, select
from sqlalchemy.orm import selectinload

from broker.errors import NotAllowed, NotFound
from broker.extensions import db
from broker.people.models import User
from tasks import lifecycle
from tasks.eligibility import Candidate, momentary_refusal, refusal
from tasks.models import PRIORITY_RANK, Brief, Task


def candidate(user: User) -> Candidate:
    """Eligibility facts for a specialist, read from the directory and the task table."""
    profile = user.profile
    if profile is None:
        raise NotAllowed("Only specialists with a profile take tasks.")
    load = db.session.scalar(
        select(func.count()).select_from(Task)
        .where(Task.assignee_id == user.id, Task.state.in_(lifecycle.LOADED))
    )
    return Candidate(user_id=user.id, active=profile.active and user.active,
                     skills={s.skill: s.level for s in profile.skills},
                     capacity=profile.capacity, load=load,
                     time_off=[(t.starts_at, t.ends_at) for t in profile.time_off])


def visible_tasks(actor: User):
    """A select() of the tasks `actor` may see: admins all, managers their briefs', specialists
    their own plus the queue."""
    query = select(Task)
    if actor.role == "manager":
        query = query.join(Brief).where(Brief.owner_id == actor.id)
    elif actor.role == "specialist":
        query = query.where((Task.assignee_id == actor.id) | (Task.state == lifecycle.QUEUED))
    return query


def task_for(actor: User, task_id: int) -> Task:
    """One task, if it exists and the actor may see it (history counts for past assignees)."""
    task = db.session.get(Task, task_id)
    if task is None:
        raise NotFound(f"Task {task_id} does not exist.")
    if actor.role == "admin" or task.brief.owner_id == actor.id or task.assignee_id == actor.id:
        return task
    if actor.role == "specialist" and (
        task.state == lifecycle.QUEUED or any(e.actor_id == actor.id for e in task.events)
    ):
        return task
    raise NotAllowed("You can only see your own tasks, your briefs' tasks, or the open queue.")


def visible_briefs(actor: User):
    if actor.role not in ("manager", "admin"):
        raise NotAllowed("Briefs are for managers and admins.")
    query = select(Brief).order_by(Brief.id.desc())
    return query if actor.role == "admin" else query.where(Brief.owner_id == actor.id)


def brief_for(actor: User, brief_id: int) -> Brief:
    if actor.role not in ("manager", "admin"):
        raise NotAllowed("Briefs are for managers and admins.")
    brief = db.session.get(Brief, brief_id)
    if brief is None:
        raise NotFound(f"Brief {brief_id} does not exist.")
    if actor.role != "admin" and brief.owner_id != actor.id:
        raise NotAllowed("This brief belongs to another manager.")
    return brief


def available_task_ids(actor: User, now: datetime) -> list[int]:
    """Ids of the queued tasks this specialist could claim now, most urgent first (urgency_key's
    order, sorted by the database). Only ids and skills are read, and each distinct skills list is
    judged once, so a page costs little more with thousands of tasks queued than with ten."""
    if actor.role != "specialist":
        raise NotAllowed("Only specialists pick tasks.")
    who = candidate(actor)
    if momentary_refusal(who, now):
        return []
    queued = db.session.execute(
        select(Task.id, cast(Task.skills, Text)).where(Task.state == lifecycle.QUEUED)
        .order_by(case(PRIORITY_RANK, value=Task.priority), Task.due_at.is_(None), Task.due_at,
                  Task.created_at, Task.id))
    verdicts: dict[str, bool] = {}
    eligible = []
    for task_id, skills in queued:
        if skills not in verdicts:
            verdicts[skills] = refusal(json.loads(skills), who, now) is None
        if verdicts[skills]:
            eligible.append(task_id)
    return eligible


def available_tasks(actor: User, now: datetime) -> list[Task]:
    """Queued tasks this specialist could claim now, most urgent first."""
    return tasks_in_order(available_task_ids(actor, now))


def tasks_in_order(ids: list[int], *options) -> list[Task]:
    """The tasks with these ids, in the order given, in one query."""
    found = {t.id: t for t in db.session.scalars(select(Task).where(Task.id.in_(ids)).options(*options))}
    return [found[i] for i in ids if i in found]


def state_counts(brief_ids) -> dict[int, dict[str, int]]:
    """How many tasks of each brief stand in each state, in one query."""
    ids = list(brief_ids)
    counts: dict[int, dict[str, int]] = {i: {} for i in ids}
    for brief_id, state, n in db.session.execute(
            select(Task.brief_id, Task.state, func.count()).where(Task.brief_id.in_(ids))
            .group_by(Task.brief_id, Task.state)):
        counts[brief_id][state] = n
    return counts


def urgency_key(task: Task):
    """Sort key: priority first, then the earliest due date, then the oldest."""
    far = datetime.max.replace(tzinfo=task.created_at.tzinfo)
    return (PRIORITY_RANK[task.priority], task.due_at or far, task.created_at, task.id)


WORKING = (lifecycle.IN_PROGRESS, lifecycle.BLOCKED, lifecycle.CHANGES_REQUESTED)
REVIEW_SHOWN = 20  # submitted tasks listed on a specialist's queue, newest first


def specialist_queue(actor: User) -> dict[str, list[Task]]:
    """A specialist's own work: offers (soonest expiry first), work in progress (most urgent
    first) and the latest submissions awaiting review."""
    if actor.role != "specialist":
        raise NotAllowed("Only specialists have a queue.")
    mine = select(Task).options(selectinload(Task.brief)).where(Task.assignee_id == actor.id)
    offers = db.session.scalars(mine.where(Task.state == lifecycle.OFFERED)
                                .order_by(Task.offer_expires_at, Task.id)).all()
    working = db.session.scalars(mine.options(selectinload(Task.events))
                                 .where(Task.state.in_(WORKING))).all()
    review = db.session.scalars(mine.where(Task.state == lifecycle.SUBMITTED)
                                .order_by(Task.first_submitted_at.desc(), Task.id.desc())
                                .limit(REVIEW_SHOWN)).all()
    return {"offers": list(offers), "working": sorted(working, key=urgency_key),
            "review": list(review)}

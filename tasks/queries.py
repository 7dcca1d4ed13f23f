"""Read side of briefs and tasks: what each actor may see, and what a specialist may claim."""
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from broker.errors import NotAllowed, NotFound
from broker.extensions import db
from broker.people.models import User
from tasks import lifecycle
from tasks.eligibility import Candidate, refusal
from tasks.models import Brief, Task
from tasks.vocabulary import PRIORITY_RANK


def candidate(user: User) -> Candidate:
    """Eligibility facts for a specialist, read from the directory and the task table."""
    profile = user.profile
    if profile is None:
        raise NotAllowed("Only specialists with a profile take tasks.")
    load = db.session.scalar(
        select(func.count()).select_from(Task)
        .where(Task.assignee_id == user.id, Task.state.in_(lifecycle.HOLDS_A_PLACE))
    )
    return Candidate(user_id=user.id, active=profile.active and user.active,
                     skills={s.skill: s.level for s in profile.skills},
                     capacity=profile.capacity, load=load,
                     time_off=[(t.starts_at, t.ends_at) for t in profile.time_off])


def visible_tasks(actor: User):
    """A select() of the tasks `actor` may see: admins all, managers their briefs', specialists
    their own plus the queue."""
    query = select(Task).options(selectinload(Task.brief), selectinload(Task.assignee),
                                 selectinload(Task.events))
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
    query = select(Brief).options(
        selectinload(Brief.owner),
        selectinload(Brief.tasks).options(selectinload(Task.assignee), selectinload(Task.events)),
    ).order_by(Brief.id.desc())
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


def available_tasks(actor: User, now: datetime) -> list[Task]:
    """Queued tasks this specialist could claim now, most urgent first."""
    if actor.role != "specialist":
        raise NotAllowed("Only specialists pick tasks.")
    who = candidate(actor)
    queued = db.session.scalars(
        select(Task).where(Task.state == lifecycle.QUEUED).order_by(Task.id)
    ).all()
    eligible = [t for t in queued if refusal(t.skills, who, now) is None]
    return sorted(eligible, key=urgency_key)


def urgency_key(task: Task):
    """Sort key: priority first, then the earliest due date, then the oldest."""
    far = datetime.max.replace(tzinfo=task.created_at.tzinfo)
    return (PRIORITY_RANK[task.priority], task.due_at or far, task.created_at, task.id)


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
                                 .where(Task.state.in_(lifecycle.IN_HAND))).all()
    review = db.session.scalars(mine.where(Task.state == lifecycle.SUBMITTED)
                                .order_by(Task.first_submitted_at.desc(), Task.id.desc())
                                .limit(REVIEW_SHOWN)).all()
    return {"offers": list(offers), "working": sorted(working, key=urgency_key),
            "review": list(review)}

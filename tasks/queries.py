"""Read side of briefs and tasks: what each actor may see, and what a specialist may claim."""
import json
from datetime import datetime

from sqlalchemy import Text, case, cast, false, func, or_, select
from sqlalchemy.orm import selectinload

from broker.errors import NotAllowed, NotFound
from broker.extensions import db
from broker.people import permissions
from broker.people.models import SpecialistProfile, User
from broker.people.partners import member_ids
from broker.people.permissions import Scope, TaskFacts
from broker.people.skills import routing_skills
from tasks import lifecycle
from tasks.eligibility import Candidate, momentary_refusal, refusal
from tasks.models import Brief, Task, TaskEvent
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
                     skills=routing_skills({s.skill: (s.level, s.verified_level)
                                            for s in profile.skills}),
                     capacity=profile.capacity, load=load,
                     time_off=[(t.starts_at, t.ends_at) for t in profile.time_off])


def visible_tasks(actor: User, mine: bool = False):
    """A select() of the tasks `actor` may see (their own briefs' with `mine`), scoped by
    permissions.task_scope."""
    query = select(Task)  # views read what they render in one batch (broker/api/work/reads.py)
    return scoped_tasks(query, permissions.task_scope(actor, mine))


def scoped_tasks(query, scope: Scope):
    """`query` over tasks narrowed to `scope`: one owner's briefs, and/or one assignee's work and
    the open queue; nothing for an empty scope."""
    if scope.everything:
        return query
    if scope.partner is not None:  # a partner lead: the work of the partner's specialists
        return query.where(Task.assignee_id.in_(member_ids(scope.partner)))
    if scope.owner_id is not None:
        query = query.join(Brief).where(Brief.owner_id == scope.owner_id)
    mine = [Task.assignee_id == scope.assignee_id] if scope.assignee_id is not None else []
    mine += [Task.state == lifecycle.QUEUED] if scope.open_queue else []
    if mine:
        query = query.where(or_(*mine))
    return query.where(false()) if scope == Scope() else query


def task_facts(task: Task, actor: User | None = None) -> TaskFacts:
    """What permissions need to know of a task."""
    return TaskFacts(owner_id=task.brief.owner_id, assignee_id=task.assignee_id,
                     queued=task.state == lifecycle.QUEUED,
                     actor_ids=frozenset(e.actor_id for e in task.events),
                     assignee_partner=_partner_of(task.assignee_id)
                     if actor is not None and permissions.leads(actor) else None)


def _partner_of(user_id: int | None) -> str | None:
    """The partner on a specialist's profile (a partner lead sees that partner's work)."""
    if user_id is None:
        return None
    return db.session.scalar(select(SpecialistProfile.partner).where(SpecialistProfile.user_id == user_id))


def task_for(actor: User, task_id: int) -> Task:
    """One task, if it exists and the actor may see it (history counts for past assignees)."""
    task = db.session.get(Task, task_id)
    if task is None:
        raise NotFound(f"Task {task_id} does not exist.")
    if permissions.may_see_task(actor, task_facts(task, actor)):
        return task
    raise NotAllowed("You can only see your own tasks, your briefs' tasks, or the open queue.")


def visible_briefs(actor: User, mine: bool = False):
    """A select() of the briefs `actor` may see (their own with `mine`), newest first
    (permissions.brief_scope)."""
    scope = permissions.brief_scope(actor, mine)
    query = select(Brief).order_by(Brief.id.desc())
    return query if scope.everything else query.where(Brief.owner_id == scope.owner_id)


def brief_for(actor: User, brief_id: int) -> Brief:
    permissions.require(actor, permissions.READ_BRIEFS, "Briefs are for managers and admins.")
    brief = db.session.get(Brief, brief_id)
    if brief is None:
        raise NotFound(f"Brief {brief_id} does not exist.")
    if not permissions.may_read_brief(actor, brief.owner_id):
        raise NotAllowed("You may read only your own briefs.")
    return brief


def available_task_ids(actor: User, now: datetime) -> list[int]:
    """Ids of the queued tasks this specialist could claim now, most urgent first (urgency_key's
    order, sorted by the database). Only ids and skills are read, and each distinct skills list is
    judged once, so a page costs little more with thousands of tasks queued than with ten."""
    permissions.require(actor, permissions.TAKE_WORK, "Only specialists pick tasks.")
    who = candidate(actor)
    if momentary_refusal(who, now):
        return []
    queued = db.session.execute(
        select(Task.id, cast(Task.skills, Text)).where(Task.state == lifecycle.QUEUED,
                                                       Task.id.not_in(handed_off_by(actor.id)))
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


def handed_off_by(user_id: int):
    """The ids of tasks this person handed off: they wait for someone else (routing never
    offers them back either), so neither the pick list nor a claim gives them back."""
    return select(TaskEvent.task_id).where(TaskEvent.actor_id == user_id,
                                           TaskEvent.type == lifecycle.ACTIONS["handoff"].event)


def handed_off_waiting(user_id: int) -> int:
    """How many tasks this person handed off still wait in the queue (their pick list leaves
    them out, so its page says why they are missing)."""
    return db.session.scalar(select(func.count()).select_from(Task).where(
        Task.state == lifecycle.QUEUED, Task.id.in_(handed_off_by(user_id))))


def available_tasks(actor: User, now: datetime) -> list[Task]:
    """Queued tasks this specialist could claim now, most urgent first."""
    return tasks_in_order(available_task_ids(actor, now))


def tasks_in_order(ids: list[int], *options) -> list[Task]:
    """The tasks with these ids, in the order given, in one query."""
    found = tasks_by_id(ids, *options)
    return [found[i] for i in ids if i in found]


def tasks_by_id(ids, *options) -> dict[int, Task]:
    """The tasks with these ids, by id, in one query (no autoflush: subscribers load them in the
    middle of a bulk write)."""
    with db.session.no_autoflush:
        return {t.id: t for t in db.session.scalars(select(Task).where(Task.id.in_(ids)).options(*options))}


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


REVIEW_SHOWN = 20  # submitted tasks listed on a specialist's queue, newest first


def specialist_queue(actor: User) -> dict[str, list[Task]]:
    """A specialist's own work: offers (soonest expiry first), work in progress (most urgent
    first) and the latest submissions awaiting review."""
    permissions.require(actor, permissions.TAKE_WORK, "Only specialists have a queue.")
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

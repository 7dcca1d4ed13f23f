"""The work loop's commands on tasks: comments with mentions, handoffs, and the dependencies
between sibling tasks (pending until their prerequisites are approved)."""
from datetime import datetime, timedelta

from sqlalchemy import select

from broker.errors import NotAllowed
from broker.extensions import db
from broker.people import permissions
from broker.people.models import User
from broker.unit_of_work import commit, transaction
from tasks import lifecycle
from tasks.loop_models import TaskComment, TaskDependency
from tasks.mentions import mentioned
from tasks.models import Task
from tasks.queries import task_facts, task_for
from tasks.services import _locked_task, _transition, record_event

COMMENT_MAX = 5000
EXCERPT = 280  # characters of a comment a mention notification carries


@transaction
def add_comment(task_id: int, actor: User, body: str, now: datetime) -> TaskComment:
    """Add to the task's thread; `@Name`/`@email` of someone who may see the task notifies them
    (a `mentioned` event, so the outbox writes it in this transaction)."""
    task = task_for(actor, task_id)
    facts = task_facts(task)
    if not permissions.may_discuss_task(actor, facts):
        raise NotAllowed("You cannot comment on this task.")
    people = [(u.id, u.name, u.email) for u in _mentionable(body, actor)
              if permissions.may_discuss_task(u, facts)]
    ids = mentioned(body, people)
    comment = TaskComment(task_id=task.id, author_id=actor.id, body=body, mentioned_ids=ids,
                          created_at=now)
    db.session.add(comment)
    if ids:
        db.session.flush()
        record_event(task, "mentioned", actor, now, task.state, task.state,
                     {"user_ids": ids, "comment_id": comment.id, "note": _excerpt(body)})
    commit(expire=False)
    return comment


def _mentionable(body: str, actor: User) -> list[User]:
    """Active users other than the author, when the text holds an `@` at all."""
    if "@" not in body:
        return []
    return list(db.session.scalars(select(User).where(User.active.is_(True), User.id != actor.id)
                                   .order_by(User.id)))


def _excerpt(body: str) -> str:
    flat = " ".join(body.split())
    return flat if len(flat) <= EXCERPT else flat[:EXCERPT - 1] + "…"


def comments_of(task_id: int, actor: User) -> list[TaskComment]:
    """The task's thread, oldest first, for whoever may see the task."""
    task = task_for(actor, task_id)
    return list(db.session.scalars(select(TaskComment).where(TaskComment.task_id == task.id)
                                   .order_by(TaskComment.id)))


@transaction
def handoff(task_id: int, actor: User, note: str, now: datetime) -> Task:
    """The assignee hands the task back with a note: it is queued for routing again, never to
    them, and its SLA clocks keep running."""
    task = _locked_task(task_id)
    lifecycle.next_state(task.state, "handoff")
    if not permissions.may_hand_off(actor, task.assignee_id):
        raise NotAllowed("Only the task's assignee can hand it off.")
    _transition(task, "handoff", actor, now, {"note": note, "specialist_id": actor.id})
    task.assignee_id = None
    commit()
    return task


# --- dependencies --------------------------------------------------------------------------------

def link_prerequisites(tasks: list[Task], specs: list[dict]):
    """Store each new task's `after` (indexes of its siblings) as rows; inside the caller's
    transaction (create_brief's), after its tasks have ids."""
    if not any(spec.get("after") for spec in specs):
        return
    db.session.flush()
    for task, spec in zip(tasks, specs, strict=True):
        for index in sorted(set(spec.get("after") or [])):
            db.session.add(TaskDependency(task_id=task.id, prerequisite_id=tasks[index].id))


def prerequisites(task_ids) -> dict[int, list[Task]]:
    """Each task's prerequisites (tasks), in one query."""
    ids = list(task_ids)
    found: dict[int, list[Task]] = {i: [] for i in ids}
    if not ids:
        return found
    rows = db.session.execute(select(TaskDependency.task_id, Task)
                              .join(Task, Task.id == TaskDependency.prerequisite_id)
                              .where(TaskDependency.task_id.in_(ids)).order_by(Task.id))
    for task_id, prerequisite in rows:
        found[task_id].append(prerequisite)
    return found


def _dependents(task: Task) -> list[Task]:
    ids = db.session.scalars(select(TaskDependency.task_id)
                             .where(TaskDependency.prerequisite_id == task.id)).all()
    return [_locked_task(i) for i in sorted(ids)]


def after_owner_decision(task: Task, now: datetime):
    """Inside the owner's transaction: an approval releases each pending dependent whose last
    prerequisite it was (queued, its clocks start); a cancellation leaves them pending and tells
    the owner why they still wait."""
    if task.state not in (lifecycle.APPROVED, lifecycle.CANCELLED):
        return
    for dependent in _dependents(task):
        if dependent.state != lifecycle.PENDING:
            continue
        if task.state == lifecycle.CANCELLED:
            record_event(dependent, "prerequisite_cancelled", None, now, dependent.state,
                         dependent.state, {"prerequisite_id": task.id, "note": (
                             f"“{task.title}” was cancelled; this task stays pending until you "
                             "cancel it or post the work again.")})
            continue
        waiting = [p for p in prerequisites([dependent.id])[dependent.id]
                   if p.state != lifecycle.APPROVED]
        if not waiting:
            _transition(dependent, "release", None, now, {"prerequisite_id": task.id})


# --- time off ------------------------------------------------------------------------------------

HANDOFF_HORIZON = timedelta(days=14)  # time off further ahead than this suggests nothing yet


@transaction
def offer_handoffs(specialist_id: int, starts_at: datetime, ends_at: datetime, now: datetime) -> int:
    """When a specialist books time off that starts within two weeks, offer a handoff for each
    task in hand not due before it starts (a `handoff_suggested` event: their notification and
    their queue say so). Returns how many."""
    if starts_at > now + HANDOFF_HORIZON or ends_at <= now:
        return 0
    tasks = db.session.scalars(select(Task).where(Task.assignee_id == specialist_id,
                                                  Task.state.in_(lifecycle.IN_HAND))
                               .order_by(Task.id)).all()
    held_up = [t for t in tasks if t.due_at is None or t.due_at > starts_at]
    for task in held_up:
        record_event(task, "handoff_suggested", None, now, task.state, task.state,
                     {"specialist_id": specialist_id, "starts_at": starts_at.isoformat(),
                      "ends_at": ends_at.isoformat(),
                      "note": "Time off coming: hand this task off if you cannot finish it first."})
    commit()
    return len(held_up)

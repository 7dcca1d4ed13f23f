"""The outbox writer: each task event that concerns someone becomes notification rows, written
in the transaction of the change itself, so they commit (or roll back) with it.

Rows are gathered as the events come and inserted in one statement (broker.bulk) just before the commit (a
routing round makes thousands of offers at once; one ORM object each would cost more than the
round itself).
"""
from sqlalchemy import select
from sqlalchemy.orm import object_session

from broker.bulk import insert_rows
from broker.db_events import gathered
from broker.extensions import db
from broker.people.models import User
from broker.people.roles import ADMIN
from broker.wakeups import DELIVER, request_on_commit
from notifications import kinds
from notifications.models import IN_DIGEST, QUEUED, Notification
from tasks.models import Task, TaskEvent

NOTIFICATIONS = "outbox_pending"  # the key of the rows gathered for the commit step


def queue_notifications_on_commit(task: Task, event: TaskEvent, **_):
    """Receiver of task_event_recorded: gather one outbox row per recipient of `event`, inserted
    at commit by insert_notifications_in."""
    if event.type in kinds.RECIPIENTS:
        session = object_session(task) or db.session
        _gather(session, [(task, event, _recipients(session, task, event))])


def queue_bulk_notifications_on_commit(session, recorded: list, **_):
    """Receiver of task_events_recorded: the same rows for events written in bulk (a routing
    round's offers), their recipients read in one query."""
    addressed = [(task, event, _recipients(session, task, event))
                 for task, event in recorded if event.type in kinds.RECIPIENTS]
    user_ids = {user_id for *_, ids in addressed for user_id in ids}
    people = session.execute(select(User.id, User.active, User.urgent_kinds)
                             .where(User.id.in_(user_ids))) if user_ids else []
    _gather(session, addressed, {id_: _wanted(active, chosen) for id_, active, chosen in people})


def _recipients(session, task, event) -> list[int]:
    """Who `event` concerns; `task` is a Task or a RecordedTask."""
    details = event.details or {}

    def resolve(role: str):
        if role == "specialist":
            return [details.get("specialist_id") or task.assignee_id]
        if role == "assignee":
            return [task.assignee_id]
        if role == "owner":
            return [task.owner_id]
        if role == "assignee_or_owner":
            return [task.assignee_id or task.owner_id]
        if role == "mentioned":
            return list(details.get("user_ids") or [])
        return _active_admin_ids(session)

    return kinds.recipient_ids(event.type, event.actor_id, resolve)


def _gather(session, addressed: list, urgent_of: dict | None = None):
    """One outbox row per active recipient, kept for the commit step. `urgent_of` holds each
    recipient's urgent kinds (None: inactive) as far as known; the others are looked up once."""
    urgent_of = {} if urgent_of is None else urgent_of
    pending = gathered(session, NOTIFICATIONS, list)
    for task, event, user_ids in addressed:
        details = kinds.kept_details(event.details)
        for user_id in user_ids:
            if user_id not in urgent_of:
                urgent_of[user_id] = _urgent_kinds(session.get(User, user_id))
            urgent_kinds = urgent_of[user_id]
            if urgent_kinds is None:
                continue
            urgent = event.type in urgent_kinds
            pending.append((task, event, {
                "user_id": user_id, "kind": event.type, "urgent": urgent,
                "state": QUEUED if urgent else IN_DIGEST, "created_at": event.at,
                "next_attempt_at": event.at,
                "payload": {"title": task.title, "brief_id": task.brief_id, "details": details}}))


def _urgent_kinds(user: User | None) -> frozenset | None:
    """The kinds a user wants at once, or None for nobody to notify (unknown or inactive)."""
    return None if user is None else _wanted(user.active, user.urgent_kinds)


def _wanted(active: bool, chosen: list | None) -> frozenset | None:
    return frozenset(kinds.urgent_kinds(chosen)) if active else None


def insert_notifications_in(session, pending: list):
    """Commit step: insert the gathered rows in the session's transaction, once the events (and
    new tasks) have their ids."""
    session.flush()
    insert_rows(session, Notification.__table__, [
        {**row, "task_id": task.id, "event_id": event.id} for task, event, row in pending])
    if any(row["urgent"] for _, _, row in pending):
        request_on_commit(session, DELIVER)  # urgent ones go out right after this commit


def _active_admin_ids(session) -> list[int]:
    return list(session.scalars(select(User.id).where(User.role == ADMIN, User.active.is_(True))
                                .order_by(User.id)))

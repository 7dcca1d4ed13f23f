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
    at commit by insert_notifications_in (routing's thousands of offers in one transaction batch
    their inserts)."""
    if event.type not in kinds.RECIPIENTS:
        return
    session = object_session(task) or db.session
    details = event.details or {}

    def resolve(role: str):
        if role == "specialist":
            return [details.get("specialist_id") or task.assignee_id]
        if role == "assignee":
            return [task.assignee_id]
        if role == "owner":
            return [task.brief.owner_id]
        if role == "assignee_or_owner":
            return [task.assignee_id or task.brief.owner_id]
        if role == "mentioned":
            return list(details.get("user_ids") or [])
        return _active_admin_ids(session)

    for user_id in kinds.recipient_ids(event.type, event.actor_id, resolve):
        user = session.get(User, user_id)  # usually in the identity map already: no query
        if user is None or not user.active:
            continue
        urgent = event.type in kinds.urgent_kinds(user.urgent_kinds)
        gathered(session, NOTIFICATIONS, list).append((task, event, {
            "user_id": user.id, "kind": event.type, "urgent": urgent,
            "state": QUEUED if urgent else IN_DIGEST, "created_at": event.at, "next_attempt_at": event.at,
            "payload": {"title": task.title, "brief_id": task.brief_id,
                     "details": kinds.kept_details(details)}}))


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

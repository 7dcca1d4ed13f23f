"""The outbox writer: each task event that concerns someone becomes notification rows, added to
the session of the change itself, so they commit (or roll back) with it."""
from sqlalchemy import select
from sqlalchemy.orm import object_session

from broker.extensions import db
from broker.people.models import User
from notifications import kinds
from notifications.models import IN_DIGEST, QUEUED, Notification
from tasks.models import Task, TaskEvent
from tasks.signals import task_event_recorded


def subscribe():
    """Listen to task events (idempotent: blinker keeps one connection per receiver)."""
    task_event_recorded.connect(write_notifications)  # sender: the Task instance


def write_notifications(task: Task, event: TaskEvent, **_):
    """Add one Notification per recipient of `event` (no flush: routing's thousands of offers in
    one transaction batch their inserts at commit)."""
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
        return _active_admin_ids(session)

    for user_id in kinds.recipient_ids(event.type, event.actor_id, resolve):
        user = session.get(User, user_id)  # usually in the identity map already: no query
        if user is None or not user.active:
            continue
        urgent = event.type in kinds.urgent_kinds(user.urgent_kinds)
        session.add(Notification(
            user=user, task=task, event=event, kind=event.type, urgent=urgent,
            state=QUEUED if urgent else IN_DIGEST, created_at=event.at, next_attempt_at=event.at,
            payload={"title": task.title, "brief_id": task.brief_id,
                     "details": kinds.kept_details(details)}))


def _active_admin_ids(session) -> list[int]:
    return list(session.scalars(select(User.id).where(User.role == "admin", User.active.is_(True))
                                .order_by(User.id)))

"""Helpers for the notification tests: settings through the real service, rows read back plainly.
The helpers that write begin as writers (`writing`), as a POST does: on SQLite a transaction that
began by reading gets "database is locked" at once if a scheduler thread wrote meanwhile."""
from datetime import datetime

from sqlalchemy import select

from broker.db_events import writing
from broker.extensions import db
from broker.people.models import User
from broker.people.services import update_me
from notifications.models import Notification
from tasks import services as tasks
from tasks.models import Task


def set_me(app, user, **changes):
    with app.app_context(), writing():
        update_me(db.session.get(User, user.id), changes, app.config["SECRET_KEY"])
        db.session.remove()


def rows(app, user=None, kind=None) -> list[dict]:
    """Notifications as plain dicts, oldest first."""
    with app.app_context():
        stmt = select(Notification).order_by(Notification.id)
        if user is not None:
            stmt = stmt.where(Notification.user_id == user.id)
        if kind is not None:
            stmt = stmt.where(Notification.kind == kind)
        found = [{c: getattr(n, c) for c in ("id", "user_id", "task_id", "kind", "urgent", "state",
                                              "attempts", "next_attempt_at", "sent_at", "last_error",
                                              "payload", "claimed_by")}
                 for n in db.session.scalars(stmt)]
        db.session.remove()
        return found


def offer(app, task_id: int, specialist, expires: datetime, now: datetime):
    with app.app_context(), writing():
        tasks.offer(task_id, db.session.get(User, specialist.id), expires, now)
        db.session.remove()


def sla_event(app, task_id: int, type_: str, at: datetime, **details):
    """What the SLA sweep will do: record an SLA event on a task and commit."""
    with app.app_context(), writing():
        task = db.session.get(Task, task_id)
        tasks.record_event(task, type_, None, at, task.state, task.state, details)
        db.session.commit()
        db.session.remove()


def run(app, function, *args, **kwargs):
    with app.app_context():
        try:
            return function(*args, **kwargs)
        finally:
            db.session.remove()

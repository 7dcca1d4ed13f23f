"""Read side of notifications: a user's own, newest first."""
from sqlalchemy import select

from broker.people.models import User
from notifications.models import Notification


def notifications_for(user: User, state: str | None = None, kind: str | None = None):
    """A select() of `user`'s notifications (never anyone else's), newest first."""
    stmt = select(Notification).where(Notification.user_id == user.id)
    if state:
        stmt = stmt.where(Notification.state == state)
    if kind:
        stmt = stmt.where(Notification.kind == kind)
    return stmt.order_by(Notification.created_at.desc(), Notification.id.desc())


def headline(notification: Notification) -> str:
    """One line saying what a notification is about."""
    payload = notification.payload or {}
    return payload.get("title") or payload.get("summary") or ""

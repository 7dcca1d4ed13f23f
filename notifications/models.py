"""The outbox (one row per notification and recipient) and the record of digests sent."""
from datetime import date, datetime

from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from broker.extensions import db
from broker.json_columns import JSONText
from broker.people.models import User
from broker.timeutil import UTCDateTime, utcnow
from tasks.models import Task, TaskEvent

# Delivery states: urgent rows go QUEUED -> SENDING (claimed) -> SENT, or back to QUEUED with a
# later next_attempt_at, or FAILED after the last attempt. Other rows wait IN_DIGEST until the
# user's digest covers them (DIGESTED).
QUEUED, SENDING, SENT, FAILED = "queued", "sending", "sent", "failed"
IN_DIGEST, DIGESTED = "in_digest", "digested"
STATES = (QUEUED, SENDING, SENT, FAILED, IN_DIGEST, DIGESTED)


class Notification(db.Model):
    __tablename__ = "notifications"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    task_id: Mapped[int | None] = mapped_column(ForeignKey("tasks.id", ondelete="CASCADE"), index=True)
    event_id: Mapped[int | None] = mapped_column(ForeignKey("task_events.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(40))
    urgent: Mapped[bool] = mapped_column(Boolean, default=False)
    state: Mapped[str] = mapped_column(String(20))
    payload: Mapped[dict] = mapped_column(JSONText, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    claimed_by: Mapped[str | None] = mapped_column(String(64))
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str | None] = mapped_column(String(500))

    user: Mapped[User] = relationship()
    task: Mapped[Task | None] = relationship()
    event: Mapped[TaskEvent | None] = relationship()

    __table_args__ = (
        UniqueConstraint("event_id", "user_id", name="uq_notifications_event_user"),
        Index("ix_notifications_state_next_attempt_at", "state", "next_attempt_at"),
    )


class DigestSent(db.Model):
    """One digest per user and local day: the unique key is what makes a rerun send nothing."""

    __tablename__ = "digests"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    local_date: Mapped[date] = mapped_column(Date)
    built_at: Mapped[datetime] = mapped_column(UTCDateTime)
    items: Mapped[int] = mapped_column(Integer, default=0)
    notification_id: Mapped[int | None] = mapped_column(
        ForeignKey("notifications.id", ondelete="SET NULL"))

    notification: Mapped[Notification | None] = relationship()

    __table_args__ = (UniqueConstraint("user_id", "local_date", name="uq_digests_user_day"),)

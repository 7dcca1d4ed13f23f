"""Work types, briefs, tasks and task events."""
from datetime import datetime
from decimal import Decimal

from sqlalchemy import JSON, Boolean, CheckConstraint, Float, ForeignKey, Integer, Numeric, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from broker.extensions import db
from broker.json_columns import JSONText
from broker.people.models import User
from broker.timeutil import UTCDateTime, utcnow
from tasks.lifecycle import APPROVED, CLOSED, OPEN, QUEUED
from tasks.vocabulary import DEFAULT_PRIORITY, OBJECTIVES, PRIORITIES


def _one_of(column: str, values: tuple) -> str:
    """The SQL of a check that `column` holds one of `values` (the migrations keep their copy)."""
    return f"{column} in ({', '.join(repr(v) for v in values)})"


class WorkType(db.Model):
    __tablename__ = "work_types"

    slug: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    description: Mapped[str] = mapped_column(Text, default="")
    default_skills: Mapped[list] = mapped_column(JSON, default=list)


class Brief(db.Model):
    __tablename__ = "briefs"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    objective: Mapped[str] = mapped_column(String(20))
    success_metric: Mapped[str] = mapped_column(String(500))
    campaign: Mapped[str | None] = mapped_column(String(200))
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # What the owner means to spend, in BROKER_CURRENCY; alerts at 80 % and 100 % (broker/costs).
    budget: Mapped[Decimal | None] = mapped_column(Numeric(12, 2))

    owner: Mapped[User] = relationship()
    tasks: Mapped[list["Task"]] = relationship(back_populates="brief", order_by="Task.id")

    __table_args__ = (
        CheckConstraint(_one_of("objective", OBJECTIVES), name="objective"),
        CheckConstraint("budget > 0", name="budget"),
    )

    @property
    def status(self) -> str:
        """open while any task is open; otherwise done, or cancelled when nothing was approved."""
        return brief_status({t.state for t in self.tasks})


def brief_status(states) -> str:
    """A brief's status from the states its tasks are in (see Brief.status)."""
    if set(states) & OPEN:
        return "open"
    return "done" if APPROVED in states else "cancelled"


class Task(db.Model):
    __tablename__ = "tasks"

    id: Mapped[int] = mapped_column(primary_key=True)
    brief_id: Mapped[int] = mapped_column(ForeignKey("briefs.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    work_type: Mapped[str] = mapped_column(ForeignKey("work_types.slug"), index=True)
    skills: Mapped[list] = mapped_column(JSON, default=list)
    priority: Mapped[str] = mapped_column(String(10), default=DEFAULT_PRIORITY)
    estimate_hours: Mapped[float] = mapped_column(Float)
    due_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    needs_manager_overlap: Mapped[bool] = mapped_column(Boolean, default=False)
    state: Mapped[str] = mapped_column(String(20), default=QUEUED, index=True)
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    offer_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    deliverable_url: Mapped[str | None] = mapped_column(String(2000))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    first_submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    version: Mapped[int] = mapped_column(Integer, default=1)
    # Review rounds: how many times the owner asked for changes, and the owner's 1-5 rating on approval.
    revision: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    rating: Mapped[int | None] = mapped_column(Integer)
    # The latest routing decision about this task, with its explanation (written by routing).
    routing: Mapped[dict | None] = mapped_column(JSONText)

    brief: Mapped[Brief] = relationship(back_populates="tasks")
    assignee: Mapped[User | None] = relationship()
    events: Mapped[list["TaskEvent"]] = relationship(
        back_populates="task", order_by="TaskEvent.id", cascade="all, delete-orphan"
    )

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (
        CheckConstraint("estimate_hours > 0", name="estimate"),
        CheckConstraint(_one_of("priority", PRIORITIES), name="priority"),
        CheckConstraint("rating between 1 and 5", name="rating"),
    )

    @property
    def is_open(self) -> bool:
        return self.state not in CLOSED

    @property
    def owner_id(self) -> int:
        """The brief's owner (subscribers read it as they read a RecordedTask's)."""
        return self.brief.owner_id


class TaskEvent(db.Model):
    """One line of a task's history; rows are only ever inserted."""

    __tablename__ = "task_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("tasks.id", ondelete="CASCADE"), index=True)
    type: Mapped[str] = mapped_column(String(40))
    from_state: Mapped[str | None] = mapped_column(String(20))
    to_state: Mapped[str | None] = mapped_column(String(20))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    details: Mapped[dict] = mapped_column(JSONText, default=dict)

    task: Mapped[Task] = relationship(back_populates="events")
    actor: Mapped[User | None] = relationship()

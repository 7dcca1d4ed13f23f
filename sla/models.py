"""SLA tables: calendars, policies, one clock row per task target, and fired escalation steps."""
from datetime import datetime

from sqlalchemy import JSON, CheckConstraint, Float, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from broker.extensions import db
from broker.timeutil import UTCDateTime, utcnow


class BusinessCalendar(db.Model):
    """Named working time: weekly local hours in a timezone, minus holidays (local dates)."""

    __tablename__ = "sla_calendars"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    timezone: Mapped[str] = mapped_column(String(64))
    hours: Mapped[dict] = mapped_column(JSON, default=dict)
    holidays: Mapped[list] = mapped_column(JSON, default=list)
    # A country's public holidays (ISO 3166 alpha-2, optional subdivision) on top of `holidays`.
    country: Mapped[str | None] = mapped_column(String(2))
    subdivision: Mapped[str | None] = mapped_column(String(10))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class SlaPolicy(db.Model):
    """Targets for one work type and priority, counted on a calendar."""

    __tablename__ = "sla_policies"

    work_type: Mapped[str] = mapped_column(ForeignKey("work_types.slug"), primary_key=True)
    priority: Mapped[str] = mapped_column(String(10), primary_key=True)
    ack_hours: Mapped[float] = mapped_column(Float)
    turnaround_hours: Mapped[float] = mapped_column(Float)
    calendar: Mapped[str] = mapped_column(ForeignKey("sla_calendars.name"))
    warn_at: Mapped[float] = mapped_column(Float)

    __table_args__ = (
        CheckConstraint("ack_hours > 0 and turnaround_hours > 0", name="hours"),
        CheckConstraint("warn_at > 0 and warn_at < 1", name="warn_at"),
    )


class SlaClock(db.Model):
    """One target of one task with its precomputed instants, kept current as task events happen.

    `warn_at`, `due_at` and `escalate_at` are the instants the sweep compares with; a paused clock
    (task blocked since `paused_since`) holds the instants it would have if it resumed at once.
    """

    __tablename__ = "sla_clocks"

    id: Mapped[int] = mapped_column(primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("tasks.id", ondelete="CASCADE"))
    target: Mapped[str] = mapped_column(String(12))
    cycle: Mapped[int] = mapped_column(Integer, default=0)
    calendar: Mapped[str] = mapped_column(String(64))
    budget_hours: Mapped[float] = mapped_column(Float)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime)
    warn_at: Mapped[datetime] = mapped_column(UTCDateTime)
    due_at: Mapped[datetime] = mapped_column(UTCDateTime)
    escalate_at: Mapped[datetime] = mapped_column(UTCDateTime)
    paused_since: Mapped[datetime | None] = mapped_column(UTCDateTime)
    met_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    stopped_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    __table_args__ = (
        UniqueConstraint("task_id", "target", "cycle", name="uq_sla_clocks_target"),
        Index("ix_sla_clocks_open_due", "met_at", "stopped_at", "due_at"),
        Index("ix_sla_clocks_open_warn", "met_at", "stopped_at", "warn_at"),
        CheckConstraint("target in ('ack', 'turnaround', 'revision')", name="target"),
    )


class SlaEscalation(db.Model):
    """A ladder step fired for one clock; the unique key is what makes each step fire once."""

    __tablename__ = "sla_escalations"

    id: Mapped[int] = mapped_column(primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("tasks.id", ondelete="CASCADE"))
    target: Mapped[str] = mapped_column(String(12))
    cycle: Mapped[int] = mapped_column(Integer)
    step: Mapped[str] = mapped_column(String(12))
    due_at: Mapped[datetime] = mapped_column(UTCDateTime)
    fired_at: Mapped[datetime] = mapped_column(UTCDateTime)

    __table_args__ = (
        UniqueConstraint("task_id", "target", "cycle", "step", name="uq_sla_escalations_step"),
    )

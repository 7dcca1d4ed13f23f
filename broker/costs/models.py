"""Time entries, budget alerts sent, brief results and partners."""
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import CheckConstraint, Date, ForeignKey, Integer, Numeric, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from broker.extensions import db
from broker.timeutil import UTCDateTime, utcnow


class TimeEntry(db.Model):
    """Minutes an assignee worked on a task on one day; the cost is fixed when it is logged (the
    rate then, rounded to the cent), so later rate changes never rewrite what was spent."""

    __tablename__ = "time_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("tasks.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    minutes: Mapped[int] = mapped_column(Integer)
    on: Mapped[date] = mapped_column(Date)
    note: Mapped[str | None] = mapped_column(String(500))
    hourly_cost: Mapped[Decimal | None] = mapped_column(Numeric(10, 2))
    cost: Mapped[Decimal] = mapped_column(Numeric(12, 2))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    __table_args__ = (CheckConstraint("minutes between 1 and 1440", name="minutes"),)


class BudgetAlert(db.Model):
    """One row per brief and level (80, 100) once its alert went out: the key makes it once."""

    __tablename__ = "budget_alerts"

    brief_id: Mapped[int] = mapped_column(ForeignKey("briefs.id", ondelete="CASCADE"), primary_key=True)
    level: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    spent: Mapped[Decimal] = mapped_column(Numeric(12, 2))


class BriefResult(db.Model):
    """What a closed brief achieved against its success metric: a number and a note."""

    __tablename__ = "brief_results"

    brief_id: Mapped[int] = mapped_column(ForeignKey("briefs.id", ondelete="CASCADE"), primary_key=True)
    value: Mapped[Decimal] = mapped_column(Numeric(18, 4))
    note: Mapped[str | None] = mapped_column(Text)
    recorded_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime)


"""Planning runs started from the /planning page: what was asked, how far it got, what came out.

A row per run, so whichever web worker answers the page's polling can tell how it is going; the
simulation itself runs in a background thread of the worker that started it (runs.py).
"""
from datetime import datetime

from sqlalchemy import JSON, CheckConstraint, Float, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from broker.extensions import db
from broker.timeutil import UTCDateTime, utcnow

RUN_STATES = ("queued", "running", "done", "failed")
RUN_KINDS = ("simulate", "plan")


class PlanningRun(db.Model):
    __tablename__ = "planning_runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    requested_by: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(10))
    params: Mapped[dict] = mapped_column(JSON, default=dict)  # scenario, weeks, seed, strategies...
    state: Mapped[str] = mapped_column(String(10), default="queued")
    progress: Mapped[float] = mapped_column(Float, default=0.0)  # 0..1
    note: Mapped[str | None] = mapped_column(String(300))     # what it is doing now
    result: Mapped[dict | None] = mapped_column(JSON)
    error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    heartbeat_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)  # last sign of life

    __table_args__ = (
        CheckConstraint("state in ('queued', 'running', 'done', 'failed')", name="state"),
        CheckConstraint("kind in ('simulate', 'plan')", name="kind"),
    )

"""The work loop's tables: comments on tasks, dependencies between sibling tasks, brief templates
and the record of what each template posted (one row per template and period)."""
from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from broker.extensions import db
from broker.people.models import User
from broker.timeutil import UTCDateTime, utcnow


class TaskComment(db.Model):
    """One message of a task's thread; rows are only ever inserted."""

    __tablename__ = "task_comments"

    id: Mapped[int] = mapped_column(primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("tasks.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    body: Mapped[str] = mapped_column(Text)
    mentioned_ids: Mapped[list] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    author: Mapped[User] = relationship()


class TaskDependency(db.Model):
    """`task_id` waits (pending) until `prerequisite_id`, a task of the same brief, is approved."""

    __tablename__ = "task_dependencies"

    task_id: Mapped[int] = mapped_column(ForeignKey("tasks.id", ondelete="CASCADE"), primary_key=True)
    prerequisite_id: Mapped[int] = mapped_column(ForeignKey("tasks.id", ondelete="CASCADE"),
                                                 primary_key=True, index=True)


class BriefTemplate(db.Model):
    """A brief body kept for posting again, by hand or on a weekly/monthly schedule."""

    __tablename__ = "brief_templates"

    id: Mapped[int] = mapped_column(primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    brief: Mapped[dict] = mapped_column(JSON)
    checklist: Mapped[list] = mapped_column(JSON, default=list)
    schedule: Mapped[dict | None] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    owner: Mapped[User] = relationship()


class TemplatePost(db.Model):
    """A brief posted from a template. Scheduled posts name their period (`2026-W49`,
    `2026-12`): the unique key is what makes two racing schedulers post a period once."""

    __tablename__ = "template_posts"

    id: Mapped[int] = mapped_column(primary_key=True)
    template_id: Mapped[int] = mapped_column(ForeignKey("brief_templates.id", ondelete="CASCADE"),
                                             index=True)
    brief_id: Mapped[int] = mapped_column(ForeignKey("briefs.id", ondelete="CASCADE"), unique=True)
    period: Mapped[str | None] = mapped_column(String(16))
    posted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    __table_args__ = (UniqueConstraint("template_id", "period", name="uq_template_posts_period"),)

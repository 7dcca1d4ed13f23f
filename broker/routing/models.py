"""The log of routing rounds: when each ran and what it decided."""
from datetime import datetime

from sqlalchemy import Integer
from sqlalchemy.orm import Mapped, mapped_column

from broker.extensions import db
from broker.timeutil import UTCDateTime, utcnow


class RoutingRound(db.Model):
    __tablename__ = "routing_rounds"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime)  # the instant the round routed as of
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    queued: Mapped[int] = mapped_column(Integer, default=0)
    offered: Mapped[int] = mapped_column(Integer, default=0)
    waiting: Mapped[int] = mapped_column(Integer, default=0)
    duration_ms: Mapped[int] = mapped_column(Integer, default=0)

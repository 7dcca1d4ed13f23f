"""SQLite's stand-in for LISTEN/NOTIFY (broker.wakeups): a counter per scheduler job, bumped by
each transaction that asks for the job and read by the scheduler, whichever process it runs in."""
from sqlalchemy import BigInteger, String
from sqlalchemy.orm import Mapped, mapped_column

from broker.extensions import db


class WakeupSignal(db.Model):
    __tablename__ = "wakeup_signals"

    job: Mapped[str] = mapped_column(String(40), primary_key=True)
    count: Mapped[int] = mapped_column(BigInteger, default=0)

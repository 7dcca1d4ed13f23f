"""People directory models."""
from datetime import datetime
from decimal import Decimal

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    ForeignKey,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from broker.extensions import db
from broker.people.roles import ROLES
from broker.timeutil import UTCDateTime, utcnow
from broker.worktime.arithmetic import WorkWeek
from broker.worktime.public_holidays import holiday_dates


class User(db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    role: Mapped[str] = mapped_column(String(20))
    timezone: Mapped[str] = mapped_column(String(64))
    password_hash: Mapped[str | None] = mapped_column(String(255))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    digest_hour: Mapped[int] = mapped_column(Integer, default=9)
    # Notification settings: the webhook URL sealed (broker.people.slack_webhook), its masked hint
    # for display, and the notification kinds sent at once (None: the defaults of notifications.kinds).
    slack_webhook_sealed: Mapped[str | None] = mapped_column(Text)
    slack_webhook_hint: Mapped[str | None] = mapped_column(String(120))
    urgent_kinds: Mapped[list | None] = mapped_column(JSON)
    # The user's Slack member id (U…/W…): who clicks a button in Slack (broker.slack_app).
    slack_user_id: Mapped[str | None] = mapped_column(String(32), unique=True)
    # Stamped into each login session; raised on a password change or deactivation, which ends
    # every session opened before it (see get_id and broker.people.sessions).
    session_version: Mapped[int] = mapped_column(Integer, default=1, server_default=text("1"))
    # The outsourcing partner a partner_lead leads (specialists name theirs on their profile).
    partner: Mapped[str | None] = mapped_column(String(120))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    profile: Mapped["SpecialistProfile | None"] = relationship(back_populates="user", uselist=False)

    __table_args__ = (
        CheckConstraint(f"role in ({', '.join(repr(r) for r in ROLES)})", name="role"),
    )

    # Flask-Login protocol
    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_active(self) -> bool:
        return self.active

    @property
    def is_anonymous(self) -> bool:
        return False

    def get_id(self) -> str:
        """What Flask-Login keeps in the session: the id and the session version."""
        return f"{self.id}:{self.session_version}"


class ApiToken(db.Model):
    """A bearer token, stored as its SHA-256 digest; `prefix` identifies it without revealing it."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    prefix: Mapped[str] = mapped_column(String(16))
    label: Mapped[str | None] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # to the minute
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship()


class SpecialistProfile(db.Model):
    """Offshore specialist: capacity, weekly hours in local time (may cross midnight), flags."""

    __tablename__ = "specialist_profiles"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    capacity: Mapped[int] = mapped_column(Integer, default=3)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    partner: Mapped[str | None] = mapped_column(String(120))
    auto_accept: Mapped[bool] = mapped_column(Boolean, default=False)
    working_hours: Mapped[dict] = mapped_column(JSON, default=dict)
    # Where the specialist lives (ISO 3166 alpha-2, optional subdivision): its public holidays
    # count as time off (broker.worktime.public_holidays).
    country: Mapped[str | None] = mapped_column(String(2))
    subdivision: Mapped[str | None] = mapped_column(String(10))
    # What an hour of this specialist costs, in BROKER_CURRENCY (admins set it; see broker/costs).
    hourly_cost: Mapped[Decimal | None] = mapped_column(Numeric(10, 2))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    user: Mapped[User] = relationship(back_populates="profile")
    skills: Mapped[list["SpecialistSkill"]] = relationship(
        cascade="all, delete-orphan", order_by="SpecialistSkill.skill"
    )
    time_off: Mapped[list["TimeOff"]] = relationship(
        cascade="all, delete-orphan", order_by="TimeOff.starts_at"
    )

    __table_args__ = (CheckConstraint("capacity >= 0", name="capacity"),
                      CheckConstraint("hourly_cost >= 0", name="hourly_cost"))

    def work_week(self) -> WorkWeek:
        """The specialist's working time: weekly hours in their timezone, less public holidays
        where they live and time off."""
        return WorkWeek(self.working_hours or {}, self.user.timezone,
                        holidays=holiday_dates(self.country, self.subdivision),
                        closed=tuple((t.starts_at, t.ends_at) for t in self.time_off))


class SpecialistSkill(db.Model):
    __tablename__ = "specialist_skills"

    specialist_id: Mapped[int] = mapped_column(
        ForeignKey("specialist_profiles.user_id", ondelete="CASCADE"), primary_key=True
    )
    skill: Mapped[str] = mapped_column(String(64), primary_key=True, index=True)
    level: Mapped[int] = mapped_column(Integer)  # as last set: a proposal when it differs below
    # The level an admin or manager stands behind (None: never verified); routing counts only
    # this (see broker.people.skills).
    verified_level: Mapped[int | None] = mapped_column(Integer)

    __table_args__ = (CheckConstraint("level between 1 and 5", name="level"),
                      CheckConstraint("verified_level between 1 and 5", name="verified_level"))

    @property
    def verified(self) -> bool:
        return self.verified_level == self.level


class TimeOff(db.Model):
    __tablename__ = "time_off"

    id: Mapped[int] = mapped_column(primary_key=True)
    specialist_id: Mapped[int] = mapped_column(
        ForeignKey("specialist_profiles.user_id", ondelete="CASCADE"), index=True
    )
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    reason: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    __table_args__ = (
        CheckConstraint("ends_at > starts_at", name="order"),
        UniqueConstraint("specialist_id", "starts_at", "ends_at", name="uq_time_off_span"),
    )

"""UTC storage helpers and timezone checks over pendulum."""
from datetime import datetime, timezone

import pendulum
from sqlalchemy.types import DateTime, TypeDecorator


def utcnow() -> datetime:
    """The current instant, aware, in UTC."""
    return datetime.now(timezone.utc)


def is_timezone(name: str) -> bool:
    """True when name is a known IANA zone (fixed offsets and abbreviations refused)."""
    if not isinstance(name, str) or "/" not in name and name != "UTC":
        return False
    try:
        pendulum.timezone(name)
    except Exception:  # pendulum raises several types for unknown names
        return False
    return True


def to_utc(value: datetime) -> datetime:
    """Convert an aware datetime to stdlib UTC; refuse naive ones."""
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError("naive datetime: an offset or zone is required")
    return value.astimezone(timezone.utc)


def parse_instant(text: str) -> datetime:
    """Parse an ISO 8601 instant that carries an offset, returned in UTC."""
    parsed = pendulum.parse(text, exact=True)
    if not isinstance(parsed, datetime):
        raise ValueError(f"{text!r} is not a date and time")
    if "T" not in text and " " not in text or not _has_offset(text):
        raise ValueError(f"{text!r} has no offset; write it like 2026-11-24T09:00:00+08:00")
    return to_utc(parsed)


def _has_offset(text: str) -> bool:
    tail = text[10:]
    return tail.endswith("Z") or "+" in tail or "-" in tail


class UTCDateTime(TypeDecorator):
    """Timestamp stored as UTC on every backend and read back aware (SQLite drops offsets)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        utc = to_utc(value)
        return utc.replace(tzinfo=None) if dialect.name == "sqlite" else utc

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=timezone.utc)
        return value.astimezone(timezone.utc)

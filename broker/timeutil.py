"""UTC storage helpers and timezone checks over pendulum."""
from datetime import datetime, timezone
from functools import lru_cache
from zoneinfo import ZoneInfo, available_timezones

import pendulum
from sqlalchemy.types import DateTime, TypeDecorator


def utcnow() -> datetime:
    """The current instant, aware, in UTC."""
    return datetime.now(timezone.utc)


@lru_cache(maxsize=1)
def _zone_names() -> frozenset:
    # The canonical list leaves out the right/ (leap-second) and posix/ copies that a bare
    # zoneinfo lookup would also load from /usr/share/zoneinfo.
    return frozenset(available_timezones())


def is_timezone(name: object) -> bool:
    """True when name is a known IANA zone (fixed offsets and abbreviations refused)."""
    if not isinstance(name, str) or "/" not in name and name != "UTC":
        return False
    if name not in _zone_names():
        return False
    try:
        pendulum.timezone(name)
    except Exception:  # pendulum raises several types for unknown names
        return False
    return True


_ZONES: dict[str, ZoneInfo] = {}  # every zone in use, held strongly


def zone(name: str) -> ZoneInfo:
    """The stdlib zone `name`, built once per process: ZoneInfo keeps only a few zones strongly
    and re-reads a zone's file when a dozen are in use at once (a routing round loaded ~2,700)."""
    found = _ZONES.get(name)
    if found is None:
        found = _ZONES[name] = ZoneInfo(name)
    return found


def to_utc(value: datetime) -> datetime:
    """Convert an aware datetime to a stdlib datetime in UTC; refuse naive ones."""
    if type(value) is datetime and value.tzinfo is timezone.utc:
        return value  # already what this returns (bulk writes convert thousands of these)
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError("naive datetime: an offset or zone is required")
    utc = value.astimezone(timezone.utc)
    # pendulum's astimezone keeps its DateTime subclass, whose arithmetic differs; drop it.
    return datetime(utc.year, utc.month, utc.day, utc.hour, utc.minute, utc.second,
                    utc.microsecond, tzinfo=timezone.utc)


def parse_instant(text: str) -> datetime:
    """Parse an ISO 8601 instant that carries an offset, returned in UTC."""
    if not isinstance(text, str):
        raise ValueError(f"{text!r} is not a date and time")
    # tz=None keeps a string without an offset naive instead of silently reading it as UTC.
    parsed = pendulum.parse(text, exact=True, tz=None)
    if not isinstance(parsed, datetime):
        raise ValueError(f"{text!r} is not a date and time")
    if parsed.tzinfo is None:
        raise ValueError(f"{text!r} has no offset; write it like 2026-11-24T09:00:00+08:00")
    return to_utc(parsed)


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

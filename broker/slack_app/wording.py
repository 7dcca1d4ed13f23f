"""Words and times as Slack readers across the world read them (pure)."""
from datetime import datetime
from zoneinfo import ZoneInfo


def clock_time(at: datetime, timezone: str) -> str:
    """`09:12 Manila time (UTC+8)`: the local clock, the place and the offset, never a bare
    abbreviation (PST, IST and CST each name several zones)."""
    local = at.astimezone(ZoneInfo(timezone))
    offset = utc_offset(local)
    if timezone == "UTC" or timezone.startswith("Etc/"):
        return f"{local:%H:%M} ({offset})"
    place = timezone.rsplit("/", 1)[-1].replace("_", " ")
    return f"{local:%H:%M} {place} time ({offset})"


def utc_offset(local: datetime) -> str:
    """`UTC+8`, `UTC+5:30`, `UTC-3`, `UTC+0`."""
    minutes = int(local.utcoffset().total_seconds() // 60)
    hours, rest = divmod(abs(minutes), 60)
    return f"UTC{'-' if minutes < 0 else '+'}{hours}" + (f":{rest:02d}" if rest else "")

"""What the pages' forms share: reading a local date and time, and writing errors as text."""
from datetime import datetime

import pendulum

MISSING = "Missing data for required field."  # marshmallow's words for an empty required field


def error_text(value) -> str:
    """One line from a field's messages (a string, a list, or nested dicts of them)."""
    if isinstance(value, dict):
        return " ".join(error_text(v) for v in value.values())
    items = value if isinstance(value, list) else [value]
    return " ".join("Required." if m == MISSING else str(m) for m in items)


def local_instant(text: str, tz: str) -> datetime | None:
    """A datetime-local value read as wall-clock time in zone `tz` (aware); None when empty."""
    if not text.strip():
        return None
    try:
        naive = datetime.fromisoformat(text.strip())
    except ValueError:
        raise ValueError("Use a date and time like 2026-11-30 17:00.") from None
    return pendulum.instance(naive, tz=tz) if naive.tzinfo is None else naive

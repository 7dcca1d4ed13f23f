"""Retry policy of the outbox (pure): exponential back-off with jitter, Retry-After, a limit."""
import random
from datetime import datetime, timedelta
from email.utils import parsedate_to_datetime

BASE_SECONDS = 15
CAP_SECONDS = 30 * 60
MAX_ATTEMPTS = 20  # with the back-off above: gives up after roughly 3.5 to 7 hours of failures
RETRY_AFTER_CAP = 60 * 60


def backoff_seconds(attempt: int, rng: random.Random) -> float:
    """Wait after failed attempt number `attempt` (1-based): half fixed, half random ("equal
    jitter"), so many failed rows do not all come back in the same second."""
    ceiling = min(CAP_SECONDS, BASE_SECONDS * 2 ** (max(attempt, 1) - 1))
    return ceiling / 2 + rng.random() * ceiling / 2


def retry_after_seconds(value: str | None, now: datetime | None = None) -> float | None:
    """A Retry-After header (seconds, or an HTTP date) as seconds from now, within [1 s, 1 h]."""
    if value is None:
        return None
    text = str(value).strip()
    try:
        seconds = float(text)
    except ValueError:
        try:
            when = parsedate_to_datetime(text)
        except (TypeError, ValueError):
            return None
        if now is None or when.tzinfo is None:
            return None
        seconds = (when - now).total_seconds()
    return min(max(seconds, 1.0), RETRY_AFTER_CAP)


def after_failure(attempts: int, retry_after: float | None, permanent: bool, now: datetime,
                  rng: random.Random, max_attempts: int | None = MAX_ATTEMPTS) -> datetime | None:
    """When to try again after a failure, or None to give up (permanent, or out of attempts;
    `max_attempts=None` never runs out)."""
    if permanent or (max_attempts is not None and attempts >= max_attempts):
        return None
    wait = retry_after if retry_after is not None else backoff_seconds(attempts, rng)
    return now + timedelta(seconds=wait)

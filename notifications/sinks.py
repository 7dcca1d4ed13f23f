"""The delivery port: where a rendered message goes (a Slack webhook, or the log), and what came
back. The domain only sees this interface; notifications.slack holds the Slack adapter."""
import logging
from dataclasses import dataclass
from typing import Protocol

log = logging.getLogger("broker.notifications")


@dataclass(frozen=True)
class Outcome:
    """What one send attempt achieved; `retry_after` is the server's requested wait in seconds."""

    ok: bool
    status: int | None = None
    error: str | None = None
    retry_after: float | None = None
    permanent: bool = False  # retrying cannot help (e.g. the webhook was revoked)


class Sink(Protocol):
    def send(self, destination: str | None, message: dict) -> Outcome:
        """Send `message` ({"text", "blocks"}) to `destination` (a webhook URL or None)."""


class LogSink:
    """The sink for users without a webhook (and the embedded default): one log line each."""

    def send(self, destination: str | None, message: dict) -> Outcome:
        """Write the plain-text fallback to the log; it never fails."""
        log.info("notification (log sink): %s", message.get("text", "")[:500])
        return Outcome(ok=True)

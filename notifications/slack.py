"""The Slack adapter of the delivery port: one POST to an incoming webhook through slack_sdk."""
import logging

from slack_sdk.webhook import WebhookClient

from notifications.backoff import retry_after_seconds
from notifications.sinks import Outcome
from notifications.slack_buttons import with_buttons

# 4xx answers that retrying cannot fix: the webhook is malformed, revoked or its channel is gone.
PERMANENT = {400, 401, 403, 404, 410}
# slack_sdk's own logger: at DEBUG it writes the full webhook URL (a secret), and its error lines
# repeat what the outbox records anyway, so it is kept silent.
_quiet = logging.getLogger("broker.notifications.slack_sdk")
_quiet.setLevel(logging.CRITICAL)


class SlackWebhookSink:
    """Sends through slack_sdk's WebhookClient, which never raises on 4xx/5xx: the status decides.

    Retries belong to the outbox (stored next_attempt_at), so the client's own are turned off."""

    def __init__(self, timeout: int = 10):
        self.timeout = timeout

    def send(self, destination: str | None, message: dict) -> Outcome:
        """POST the message; an exception (refused, reset, timeout) is a retryable failure."""
        client = WebhookClient(destination, timeout=self.timeout, retry_handlers=[], logger=_quiet)
        try:
            response = client.send(text=message["text"], blocks=with_buttons(message).get("blocks"))
        except Exception as exc:  # urllib raises several types; none of them carry the URL
            return Outcome(ok=False, error=f"{type(exc).__name__}: {exc}"[:300])
        status, body = response.status_code, (response.body or "")[:200]
        if status == 200:
            return Outcome(ok=True, status=status)
        headers = {k.lower(): v for k, v in (response.headers or {}).items()}
        return Outcome(ok=False, status=status, error=f"HTTP {status}: {body}",
                       retry_after=retry_after_seconds(headers.get("retry-after")) if status == 429 else None,
                       permanent=status in PERMANENT)

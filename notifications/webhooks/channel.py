"""Webhook deliveries as an outbox channel: due in order per task and endpoint, signed at each
attempt, retried without an attempt limit, and an endpoint failing for a day is disabled."""
import time
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import and_, exists, select
from sqlalchemy.orm import aliased, selectinload

from notifications import backoff
from notifications.channels import Claimed
from notifications.models import SENT
from notifications.sinks import Outcome
from notifications.webhooks.events import body_bytes
from notifications.webhooks.models import WebhookDelivery, WebhookEndpoint
from notifications.webhooks.sealing import unseal
from notifications.webhooks.services import disable_endpoint_in, note_outcome_in
from notifications.webhooks.signing import signed_headers
from notifications.webhooks.sink import HttpWebhookSink

FAILING_FOR = timedelta(days=1)  # a day of failures disables an endpoint


def default_webhook_sink() -> HttpWebhookSink:
    return HttpWebhookSink(timeout=current_app.config.get("BROKER_WEBHOOK_TIMEOUT", 10))


class WebhookChannel:
    model = WebhookDelivery
    options = (selectinload(WebhookDelivery.endpoint),)
    pause_target_on_failure = True  # one failure holds the endpoint's other rows until its retry

    def __init__(self, sink=None):
        self.sink = sink or default_webhook_sink()

    def due_also(self, at: datetime):
        """Its endpoint is enabled, and no earlier event of the same task waits for it: a later
        event goes only once the earlier one is delivered (order per task)."""
        earlier = aliased(WebhookDelivery)
        waiting = exists().where(earlier.endpoint_id == WebhookDelivery.endpoint_id,
                                 earlier.task_id == WebhookDelivery.task_id,
                                 earlier.event_id < WebhookDelivery.event_id, earlier.state != SENT)
        enabled = WebhookDelivery.endpoint_id.in_(
            select(WebhookEndpoint.id).where(WebhookEndpoint.active.is_(True)))
        return and_(enabled, ~waiting)

    def read(self, rows: list[WebhookDelivery]) -> list[Claimed]:
        key = current_app.config["SECRET_KEY"]
        return [Claimed(row.id, row.attempts, ("endpoint", row.endpoint_id), row.endpoint.url,
                        {"type": row.event_type, "uid": row.uid, "payload": row.payload},
                        secret=unseal(row.endpoint.secret_sealed, key)) for row in rows]

    def send(self, row: Claimed) -> Outcome:
        """Sign this attempt (the timestamp is the real clock's: receivers check freshness)."""
        if row.secret is None:
            return Outcome(ok=False, permanent=True, error="The endpoint's secret cannot be opened "
                           "(SECRET_KEY changed?); set a new secret and enable it again.")
        body = body_bytes(row.message["payload"])
        headers = signed_headers(row.secret, row.message["type"], row.message["uid"],
                                 int(time.time()), body)
        return self.sink.post(row.destination, body, headers)

    def retry_at(self, row: Claimed, outcome: Outcome, at: datetime, rng) -> datetime:
        """Never gives up (nothing is lost): the endpoint is disabled instead, after a day."""
        return backoff.after_failure(row.attempts, outcome.retry_after, False, at, rng,
                                     max_attempts=None)

    def outcome_values(self, outcome: Outcome) -> dict:
        return {"last_status": outcome.status}

    def recorded_in(self, session, row: Claimed, outcome: Outcome, at: datetime, retry_at) -> None:
        """Keep the endpoint's failure streak; a day of it (or a failure retrying cannot fix)
        disables the endpoint and tells the admins."""
        endpoint_id = row.target[1]
        failing_since = note_outcome_in(session, endpoint_id, outcome.ok, at)
        if outcome.permanent:
            disable_endpoint_in(session, endpoint_id, at, outcome.error)
        elif failing_since is not None and at - failing_since >= FAILING_FOR:
            disable_endpoint_in(session, endpoint_id, at,
                                f"Every delivery failed since {failing_since.isoformat()}; "
                                f"last: {outcome.error}")

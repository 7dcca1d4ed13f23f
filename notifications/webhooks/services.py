"""Webhook endpoint commands (admins register, enable and delete endpoints, redeliver events) and
the writes delivery makes in its own transactions (an endpoint's failure streak, disabling it)."""
from datetime import datetime

from sqlalchemy import insert, select, update

from broker.errors import Conflict, InvalidInput, NotFound
from broker.extensions import db
from broker.people import permissions
from broker.people.models import User
from broker.people.roles import ADMIN
from broker.people.slack_webhook import mask_webhook_url, webhook_url_errors
from broker.unit_of_work import commit, transaction
from broker.wakeups import DELIVER, request_on_commit
from notifications.kinds import WEBHOOK_DISABLED
from notifications.models import QUEUED, SENDING, Notification
from notifications.webhooks.events import unknown_types
from notifications.webhooks.models import WebhookDelivery, WebhookEndpoint
from notifications.webhooks.sealing import hint, new_secret, seal

MIN_SECRET = 16


def _require_admin(actor: User):
    permissions.require(actor, permissions.MANAGE_SETTINGS, "Only admins manage webhooks.")


def _check(url: str, events: list[str], secret: str | None):
    errors = {}
    if webhook_url_errors(url):
        errors["url"] = webhook_url_errors(url)
    if not events:
        errors["events"] = ['Name at least one event type, or "*" for all.']
    elif unknown_types(events):
        errors["events"] = [f"Unknown event types: {', '.join(unknown_types(events))}."]
    if secret is not None and len(secret) < MIN_SECRET:
        errors["secret"] = [f"Use at least {MIN_SECRET} characters, or leave it out to get one."]
    if errors:
        raise InvalidInput("The webhook is not valid.", errors)


@transaction
def register_endpoint(actor: User, url: str, events: list[str], secret_key: str, now: datetime,
                      secret: str | None = None, description: str | None = None
                      ) -> tuple[WebhookEndpoint, str | None]:
    """Register an endpoint; returns it with its secret when Broker generated one (shown once)."""
    _require_admin(actor)
    _check(url, events, secret)
    generated = None if secret else new_secret()
    chosen = secret or generated
    endpoint = WebhookEndpoint(url=url, events=list(dict.fromkeys(events)), description=description,
                               secret_sealed=seal(chosen, secret_key), secret_hint=hint(chosen),
                               active=True, created_by_id=actor.id, created_at=now)
    db.session.add(endpoint)
    commit()
    return endpoint, generated


def endpoint(endpoint_id: int) -> WebhookEndpoint:
    found = db.session.get(WebhookEndpoint, endpoint_id)
    if found is None:
        raise NotFound(f"Webhook {endpoint_id} does not exist.")
    return found


@transaction
def delete_endpoint(actor: User, endpoint_id: int):
    """Remove an endpoint and its delivery log; nothing more is sent to it."""
    _require_admin(actor)
    db.session.delete(endpoint(endpoint_id))
    commit()


@transaction
def set_active(actor: User, endpoint_id: int, active: bool, now: datetime) -> WebhookEndpoint:
    """Enable an endpoint again (its waiting deliveries go at once, in order) or disable it."""
    _require_admin(actor)
    found = endpoint(endpoint_id)
    if active and not found.active:
        found.active, found.failing_since, found.disabled_at, found.disabled_reason = True, None, None, None
        db.session.execute(update(WebhookDelivery).where(
            WebhookDelivery.endpoint_id == endpoint_id, WebhookDelivery.state == QUEUED)
            .values(next_attempt_at=now))
    elif not active and found.active:
        found.active, found.disabled_at = False, now
        found.disabled_reason = f"Disabled by {actor.name}."
    commit()
    return found


@transaction
def redeliver(actor: User, endpoint_id: int, delivery_id: int, now: datetime) -> WebhookDelivery:
    """Send a delivery again, with the same X-Broker-Delivery id, at the next delivery run."""
    _require_admin(actor)
    found = endpoint(endpoint_id)
    delivery = db.session.scalar(select(WebhookDelivery).where(
        WebhookDelivery.id == delivery_id, WebhookDelivery.endpoint_id == endpoint_id).with_for_update())
    if delivery is None:
        raise NotFound(f"Webhook {endpoint_id} has no delivery {delivery_id}.")
    if not found.active:
        raise Conflict("The webhook is disabled; enable it first (its deliveries then resume).")
    if delivery.state == SENDING:
        raise Conflict("This delivery is being sent right now.")
    delivery.state, delivery.next_attempt_at = QUEUED, now
    request_on_commit(db.session, DELIVER)
    commit()
    return delivery


def note_outcome_in(session, endpoint_id: int, ok: bool, at: datetime) -> datetime | None:
    """Record a delivery's outcome on its endpoint's failure streak, in the caller's transaction;
    returns when the streak began (None after a success)."""
    if ok:
        session.execute(update(WebhookEndpoint).where(WebhookEndpoint.id == endpoint_id,
                                                      WebhookEndpoint.failing_since.is_not(None))
                        .values(failing_since=None))
        return None
    session.execute(update(WebhookEndpoint).where(WebhookEndpoint.id == endpoint_id,
                                                  WebhookEndpoint.failing_since.is_(None))
                    .values(failing_since=at))
    return session.scalar(select(WebhookEndpoint.failing_since).where(WebhookEndpoint.id == endpoint_id))


def disable_endpoint_in(session, endpoint_id: int, at: datetime, reason: str | None):
    """Disable an enabled endpoint and tell every active admin, in the caller's transaction
    (its deliveries keep waiting, in order, until an admin enables it again)."""
    disabled = session.execute(update(WebhookEndpoint).where(
        WebhookEndpoint.id == endpoint_id, WebhookEndpoint.active.is_(True)).values(
        active=False, disabled_at=at, disabled_reason=(reason or "")[:500]))
    if disabled.rowcount != 1:
        return
    url = session.scalar(select(WebhookEndpoint.url).where(WebhookEndpoint.id == endpoint_id))
    admins = session.scalars(select(User.id).where(User.role == ADMIN, User.active.is_(True))).all()
    title = f"Webhook {endpoint_id} ({mask_webhook_url(url)}) was disabled"
    if admins:
        details = {"reason": (reason or "")[:300], "webhook_id": endpoint_id}
        session.execute(insert(Notification.__table__), [
            {"user_id": admin_id, "kind": WEBHOOK_DISABLED, "urgent": True, "state": QUEUED,
             "created_at": at, "next_attempt_at": at, "attempts": 0,
             "payload": {"title": title, "details": details}} for admin_id in admins])
        request_on_commit(session, DELIVER)

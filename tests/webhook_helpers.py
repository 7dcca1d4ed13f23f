"""Helpers for the webhook tests: an endpoint registered through the service, a brief taken
through its whole life, deliveries run at simulated instants, rows read back plainly."""
import random
from datetime import datetime, timedelta

from sqlalchemy import select

from broker.extensions import db
from broker.people.models import User
from notifications.delivery import deliver_outbox
from notifications.webhooks import services
from notifications.webhooks.models import WebhookDelivery, WebhookEndpoint
from tasks import services as tasks
from tasks.models import TaskEvent


def register(app, admin, url: str, events=("*",), now: datetime | None = None) -> tuple[int, str]:
    """An endpoint registered by `admin`; returns its id and generated secret."""
    with app.app_context():
        endpoint, secret = services.register_endpoint(
            db.session.get(User, admin.id), url, list(events), app.config["SECRET_KEY"],
            now or datetime.now().astimezone())
        found = endpoint.id
        db.session.remove()
    return found, secret


def live_a_brief(app, make, manager, specialist, start: datetime) -> int:
    """Post a one-task brief at `start` and take it, a minute a step, from offer to approval
    with a round of changes; returns the task id."""
    _, (task_id,) = make.brief(manager, now=start)
    with app.app_context():
        spec, owner = db.session.get(User, specialist.id), db.session.get(User, manager.id)
        at = iter(start + timedelta(minutes=n) for n in range(1, 20))
        tasks.offer(task_id, spec, start + timedelta(hours=4), next(at))
        tasks.accept(task_id, spec, next(at))
        tasks.assignee_action(task_id, "block", spec, next(at), {"reason": "waiting for the logo"})
        tasks.assignee_action(task_id, "unblock", spec, next(at), {})
        tasks.assignee_action(task_id, "submit", spec, next(at), {"deliverable_url": "https://x.example/1"})
        tasks.owner_action(task_id, "request_changes", owner, next(at), {"note": "tighter cut"})
        tasks.assignee_action(task_id, "resume", spec, next(at), {})
        tasks.assignee_action(task_id, "submit", spec, next(at), {"deliverable_url": "https://x.example/2"})
        tasks.owner_action(task_id, "approve", owner, next(at), {})
        db.session.remove()
    return task_id


def deliver(app, at: datetime, seed: int = 3):
    with app.app_context():
        try:
            return deliver_outbox(at, rng=random.Random(seed))
        finally:
            db.session.remove()


def events_of(app, task_id: int) -> list[tuple[int, str]]:
    """The task's history as (event id, webhook type), oldest first."""
    with app.app_context():
        found = [(e.id, f"task.{e.type}") for e in db.session.scalars(
            select(TaskEvent).where(TaskEvent.task_id == task_id).order_by(TaskEvent.id))]
        db.session.remove()
    return found


def deliveries(app, endpoint_id: int | None = None) -> list[dict]:
    with app.app_context():
        stmt = select(WebhookDelivery).order_by(WebhookDelivery.id)
        if endpoint_id is not None:
            stmt = stmt.where(WebhookDelivery.endpoint_id == endpoint_id)
        found = [{c: getattr(d, c) for c in ("id", "uid", "task_id", "event_id", "event_type",
                                             "state", "attempts", "next_attempt_at", "last_status")}
                 for d in db.session.scalars(stmt)]
        db.session.remove()
    return found


def endpoint_row(app, endpoint_id: int) -> dict:
    with app.app_context():
        e = db.session.get(WebhookEndpoint, endpoint_id)
        found = {"active": e.active, "failing_since": e.failing_since, "disabled_at": e.disabled_at,
                 "disabled_reason": e.disabled_reason}
        db.session.remove()
    return found

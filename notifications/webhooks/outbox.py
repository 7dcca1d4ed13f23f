"""Each task event becomes one delivery row per endpoint that wants it, written in the transaction
of the change itself (so an event is delivered if and only if it happened)."""
import uuid
from dataclasses import dataclass, field

from sqlalchemy import insert, select
from sqlalchemy.orm import object_session

from broker.db_events import gathered
from broker.extensions import db
from broker.wakeups import DELIVER, request_on_commit
from notifications.models import QUEUED
from notifications.webhooks.events import event_payload, wants, webhook_type
from notifications.webhooks.models import WebhookDelivery, WebhookEndpoint
from tasks.models import Task, TaskEvent
from tasks.queries import tasks_by_id

WEBHOOK_DELIVERIES = "webhook_deliveries_pending"  # the key of the work gathered for the step


@dataclass
class Pending:
    """The endpoints (read once per transaction) and the events gathered for them."""

    endpoints: list | None = None  # [(id, events)], disabled ones too: they catch up when enabled
    events: list = field(default_factory=list)  # [(task, event, type, [endpoint ids])]


def queue_webhook_deliveries_on_commit(task: Task, event: TaskEvent, **_):
    """Receiver of task_event_recorded: note which endpoints want `event`; the rows are written
    by insert_webhook_deliveries_in at commit (one query for the endpoints per transaction)."""
    session = object_session(task) or db.session
    pending = _pending(session)
    wanted = _wanting(pending, event)
    if wanted:
        pending.events.append((task, event, webhook_type(event.type), wanted))


def queue_bulk_webhook_deliveries_on_commit(session, recorded: list, **_):
    """Receiver of task_events_recorded: the same for events written in bulk; the tasks whose
    events some endpoint wants are loaded in one query (the payload reads each whole task)."""
    pending = _pending(session)
    wanting = [(task.id, event, wanted) for task, event in recorded
               if (wanted := _wanting(pending, event))]
    if not wanting:
        return
    tasks = tasks_by_id({task_id for task_id, _, _ in wanting})
    pending.events.extend((tasks[task_id], event, webhook_type(event.type), wanted)
                          for task_id, event, wanted in wanting)


def _pending(session) -> Pending:
    """This transaction's gathered work, with the endpoints read once."""
    pending = gathered(session, WEBHOOK_DELIVERIES, Pending)
    if pending.endpoints is None:
        with session.no_autoflush:
            pending.endpoints = session.execute(
                select(WebhookEndpoint.id, WebhookEndpoint.events).order_by(WebhookEndpoint.id)).all()
    return pending


def _wanting(pending: Pending, event) -> list[int]:
    """The endpoints that want `event`."""
    type_ = webhook_type(event.type)
    return [endpoint_id for endpoint_id, events in pending.endpoints if wants(events, type_)]


def insert_webhook_deliveries_in(session, pending: Pending):
    """Commit step: insert the gathered deliveries in the session's transaction, once the events
    (and new tasks) have their ids; the payload reads each task as the transaction leaves it."""
    if not pending.events:
        return
    session.flush()
    session.execute(insert(WebhookDelivery.__table__), [
        {"uid": str(uuid.uuid4()), "endpoint_id": endpoint_id, "task_id": task.id,
         "event_id": event.id, "event_type": type_, "payload": event_payload(task, event, type_),
         "state": QUEUED, "created_at": event.at, "attempts": 0, "next_attempt_at": event.at}
        for task, event, type_, endpoint_ids in pending.events for endpoint_id in endpoint_ids])
    request_on_commit(session, DELIVER)  # delivered right after this commit

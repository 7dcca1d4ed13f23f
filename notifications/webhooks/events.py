"""Which task events an endpoint hears, and the JSON each delivery carries (pure)."""
import json
from datetime import datetime

from tasks.lifecycle import ACTIONS

# Every task event type, as webhooks name them ("task.offered"): the lifecycle's events, and the
# ones recorded beside it (posting, changes, the SLA's clock and ladder).
TASK_EVENTS = ("created", *dict.fromkeys(a.event for a in ACTIONS.values()), "updated",
               "sla_recomputed", "sla_warning", "sla_breached", "sla_escalated",
               "mentioned", "prerequisite_cancelled", "handoff_suggested")  # the work loop's
EVENT_TYPES = tuple(f"task.{name}" for name in TASK_EVENTS)
EVERYTHING = "*"


def webhook_type(event_type: str) -> str:
    """`offered` -> `task.offered`."""
    return f"task.{event_type}"


def wants(subscribed: list[str], type_: str) -> bool:
    """Whether an endpoint subscribed to `subscribed` hears events of `type_`."""
    return EVERYTHING in subscribed or type_ in subscribed


def unknown_types(subscribed: list[str]) -> list[str]:
    """The names in a subscription that are no event type (nor "*")."""
    return [name for name in subscribed if name != EVERYTHING and name not in EVENT_TYPES]


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def event_payload(task, event, type_: str) -> dict:
    """`{id, type, at, task: {...}, brief_id}` and the event's own facts. The task reads as it
    is once the event's transaction is done, in the state the event led to."""
    return {
        "id": event.id, "type": type_, "at": _iso(event.at), "brief_id": task.brief_id,
        "from_state": event.from_state, "to_state": event.to_state, "actor_id": event.actor_id,
        "details": event.details or {},
        "task": {"id": task.id, "brief_id": task.brief_id, "title": task.title,
                 "work_type": task.work_type, "priority": task.priority,
                 "state": event.to_state or task.state, "assignee_id": task.assignee_id,
                 "estimate_hours": task.estimate_hours, "due_at": _iso(task.due_at),
                 "offer_expires_at": _iso(task.offer_expires_at)},
    }


def body_bytes(payload: dict) -> bytes:
    """The exact bytes sent (and signed): compact JSON with sorted keys, the same on retries."""
    return json.dumps(payload, separators=(",", ":"), sort_keys=True, ensure_ascii=False).encode()

"""Events that tasks emit for sla/ and notifications/ to subscribe to (tasks never imports them)."""
from dataclasses import dataclass
from datetime import datetime

from blinker import Namespace

_signals = Namespace()

# Sent inside the transaction that records the event: sender=Task, event=TaskEvent.
task_event_recorded = _signals.signal("task-event-recorded")

# Sent inside the transaction of a bulk write (a routing round's thousands of offers), once for
# all its events: sender=Session, recorded=[(RecordedTask, StoredEvent)]. Plain facts, not ORM
# objects: a subscriber that needs a task itself loads those it needs in one query.
task_events_recorded = _signals.signal("task-events-recorded")


@dataclass(frozen=True)
class RecordedTask:
    """A task as a bulk write left it, with the fields subscribers read (an ORM Task has the same
    names, owner_id through its brief)."""

    id: int
    title: str
    brief_id: int
    owner_id: int
    assignee_id: int | None


@dataclass(frozen=True)
class StoredEvent:
    """A task event written in bulk, as its subscribers read it: already stored, so not one ORM
    object each (building thousands of TaskEvents cost a routing round a tenth of its time)."""

    id: int
    task_id: int
    type: str
    from_state: str | None
    to_state: str | None
    actor_id: int | None
    at: datetime
    details: dict

"""What asks for a routing round: a committed change that gives routing something to do."""
from sqlalchemy.orm import object_session

from broker.extensions import db
from broker.wakeups import ROUTE, request_on_commit
from tasks.lifecycle import HOLDS_A_PLACE, QUEUED


def needs_a_round(from_state: str | None, to_state: str | None) -> bool:
    """A task that waits for routing (posted, declined, expired, withdrawn, handed off, or any
    new way into the queue), or a place that frees up (submitted, cancelled...)."""
    return to_state == QUEUED or (from_state in HOLDS_A_PLACE and to_state not in HOLDS_A_PLACE)


def request_round_on_commit(task, event, **_):
    """Receiver of task_event_recorded: a round runs right after the commit when routing has
    something new to do."""
    if needs_a_round(event.from_state, event.to_state):
        request_on_commit(object_session(task) or db.session, ROUTE)


def request_round_for_bulk_on_commit(session, recorded: list, **_):
    """Receiver of task_events_recorded: the same for events written in bulk."""
    if any(needs_a_round(event.from_state, event.to_state) for _, event in recorded):
        request_on_commit(session, ROUTE)

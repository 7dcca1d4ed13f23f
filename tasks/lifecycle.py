"""The task lifecycle as one table of actions (pure): which states an action leaves and enters."""
from dataclasses import dataclass

from broker.errors import Conflict, InvalidInput

PENDING = "pending"  # waits for sibling tasks to be approved: not routed, no SLA clock
QUEUED, OFFERED, IN_PROGRESS, BLOCKED = "queued", "offered", "in_progress", "blocked"
SUBMITTED, CHANGES_REQUESTED = "submitted", "changes_requested"
APPROVED, CANCELLED = "approved", "cancelled"

STATES = (PENDING, QUEUED, OFFERED, IN_PROGRESS, BLOCKED, SUBMITTED, CHANGES_REQUESTED, APPROVED, CANCELLED)
# The sets of states the rest of the code asks about, each named for what it means; every other
# module uses these rather than writing its own.
CLOSED = frozenset({APPROVED, CANCELLED})
OPEN = frozenset(STATES) - CLOSED
# Work that counts against a specialist's capacity. Submitted work waits on the manager, so it
# frees the place; a request for changes takes it back.
HOLDS_A_PLACE = frozenset({OFFERED, IN_PROGRESS, BLOCKED, CHANGES_REQUESTED})
# Work the assignee has taken on and not yet handed in (their queue's "working" list).
IN_HAND = HOLDS_A_PLACE - {OFFERED}


@dataclass(frozen=True)
class Action:
    name: str
    event: str
    sources: frozenset
    target: str


ACTIONS = {
    a.name: a
    for a in (
        Action("offer", "offered", frozenset({QUEUED}), OFFERED),
        Action("accept", "accepted", frozenset({OFFERED}), IN_PROGRESS),
        Action("decline", "declined", frozenset({OFFERED}), QUEUED),
        Action("expire", "offer_expired", frozenset({OFFERED}), QUEUED),
        Action("withdraw", "offer_withdrawn", frozenset({OFFERED}), QUEUED),
        Action("claim", "claimed", frozenset({QUEUED}), IN_PROGRESS),
        Action("block", "blocked", frozenset({IN_PROGRESS}), BLOCKED),
        Action("unblock", "unblocked", frozenset({BLOCKED}), IN_PROGRESS),
        Action("submit", "submitted", frozenset({IN_PROGRESS, CHANGES_REQUESTED}), SUBMITTED),
        Action("resume", "revision_started", frozenset({CHANGES_REQUESTED}), IN_PROGRESS),
        Action("request_changes", "changes_requested", frozenset({SUBMITTED}), CHANGES_REQUESTED),
        Action("approve", "approved", frozenset({SUBMITTED}), APPROVED),
        Action("cancel", "cancelled", OPEN, CANCELLED),
        # The work loop: a pending task is released when its last prerequisite is approved, and
        # an assignee who cannot finish hands the task back to the queue for someone else.
        Action("release", "dependency_ready", frozenset({PENDING}), QUEUED),
        Action("handoff", "handed_off", frozenset({IN_PROGRESS, BLOCKED, CHANGES_REQUESTED}), QUEUED),
    )
}


class IllegalTransition(Conflict):
    """The action is not allowed from the task's current state."""


# How an action reads in "cannot ... a task that is <state>", where its name alone reads badly.
_PHRASES = {"request_changes": "request changes on", "expire": "expire the offer on",
            "withdraw": "withdraw the offer on",
            "release": "release", "handoff": "hand off"}


def next_state(state: str, action_name: str) -> str:
    """The state `action_name` leads to from `state`, or IllegalTransition saying why not."""
    action = ACTIONS.get(action_name)
    if action is None:
        raise InvalidInput(f"Unknown task action {action_name!r}; use one of {', '.join(sorted(ACTIONS))}.")
    if state in action.sources:
        return action.target
    if state in CLOSED:
        reason = f"The task is {state} and closed; nothing more can happen to it."
    else:
        allowed = " or ".join(sorted(action.sources))
        phrase = _PHRASES.get(action_name, action_name.replace("_", " "))
        reason = f"Cannot {phrase} a task that is {state} (it must be {allowed})."
    raise IllegalTransition(reason, {"state": [state], "allowed_from": sorted(action.sources)})


def actions_from(state: str) -> list[str]:
    """The actions possible from a state, for clients that show buttons."""
    return sorted(name for name, a in ACTIONS.items() if state in a.sources)

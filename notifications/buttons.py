"""Which buttons a message offers its reader (pure): the steps they may take on a task right
from Slack. Renderers place a marker block; the Slack adapter (notifications.slack_buttons)
builds the Block Kit elements for it, and sinks without buttons leave it out."""

ACTIONS_BLOCK = "broker_actions"  # the marker's "type": not a Block Kit type, never sent as is
OFFER = ("accept", "decline")
CLAIM = ("claim",)
REVIEW = ("approve", "request_changes")

# The buttons a notification carries, by (kind, reader's role).
FOR_NOTIFICATION = {
    ("offered", "specialist"): OFFER,
    ("offer_expired", "specialist"): CLAIM,
    ("offer_withdrawn", "specialist"): CLAIM,
    ("submitted", "manager"): REVIEW,
}
# The reasons a specialist picks from when declining in Slack: code -> the reason recorded.
DECLINE_REASONS = {
    "capacity": "At capacity right now",
    "skills": "Not my skill set",
    "deadline": "Cannot make the due date",
    "away": "Away or on time off",
    "other": "Another reason",
}


def buttons_for(kind: str, role: str) -> tuple[str, ...]:
    """The actions a notification of `kind` offers a reader of `role` (none for most)."""
    return FOR_NOTIFICATION.get((kind, role), ())


def actions_block(task_id: int, actions: tuple[str, ...]) -> dict:
    """The marker for one task's buttons; its block_id says which task a click is about."""
    return {"type": ACTIONS_BLOCK, "block_id": f"task-{task_id}", "task_id": task_id,
            "actions": list(actions)}


def without_buttons(message: dict) -> dict:
    """The message with its button markers left out (for sinks that cannot show buttons)."""
    blocks = [b for b in message.get("blocks") or () if b.get("type") != ACTIONS_BLOCK]
    return {**message, "blocks": blocks}

"""What a click does: the same task services as the API, acting as the clicking user, and what
to tell them (the outcome, or why nothing could be done)."""
from dataclasses import dataclass
from datetime import datetime

from broker.errors import DomainError, NotAllowed, StaleRow
from broker.people.models import User
from broker.slack_app.clicks import Click
from broker.slack_app.wording import clock_time
from tasks import services
from tasks.lifecycle import IllegalTransition

DONE = {"accept": "Accepted", "decline": "Declined", "claim": "Claimed", "approve": "Approved",
        "request_changes": "Changes requested"}
# What a button stood for, to say that it no longer stands ("This offer is no longer open: ...").
GONE = {"accept": "This offer is no longer open", "decline": "This offer is no longer open",
        "claim": "This task is no longer open to claim",
        "approve": "This submission is no longer waiting for review",
        "request_changes": "This submission is no longer waiting for review"}
FROM_SLACK = "Requested from Slack; details to follow in Broker."


@dataclass(frozen=True)
class Answer:
    """What Slack shows: `text`, replacing the buttons when `replaces` (else only to the clicker)."""

    text: str
    replaces: bool


def act(click: Click, user: User, now: datetime) -> Answer:
    """Take the clicked step as `user`; a step that can no longer be taken says why."""
    try:
        _STEPS[click.action](click, user, now)
    except DomainError as exc:
        return refusal(click.action, exc)
    by = f"{DONE[click.action]} by {user.name} at {clock_time(now, user.timezone)}"
    return Answer(f"{by}: {click.reason}" if click.reason else by, replaces=True)


def refusal(action: str, exc: DomainError) -> Answer:
    """A stale button (the task moved on, or its offer went to someone else) is replaced by the
    reason; any other refusal (no rights, at capacity) is told to the clicker alone and the
    buttons stay."""
    reason = exc.message[:1].lower() + exc.message[1:] if exc.message[1:2].islower() else exc.message
    stale = isinstance(exc, (IllegalTransition, StaleRow)) or (
        isinstance(exc, NotAllowed) and action in ("accept", "decline"))
    if stale:
        return Answer(f"{GONE[action]}: {reason}", replaces=True)
    return Answer(f"Nothing was done: {reason}", replaces=False)


_STEPS = {
    "accept": lambda c, user, now: services.accept(c.task_id, user, now),
    "decline": lambda c, user, now: services.decline(c.task_id, user, now, c.reason),
    "claim": lambda c, user, now: services.claim(c.task_id, user, now),
    "approve": lambda c, user, now: services.owner_action(c.task_id, "approve", user, now, {}),
    "request_changes": lambda c, user, now: services.owner_action(
        c.task_id, "request_changes", user, now, {"note": FROM_SLACK}),
}

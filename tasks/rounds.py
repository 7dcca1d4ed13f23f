"""Review rounds and the time a submission waits for the owner, read from a task's history (pure)."""
from dataclasses import dataclass, field
from datetime import datetime

DECIDED = ("approved", "changes_requested", "cancelled", "handed_off")


@dataclass
class Round:
    """One submission and the owner's answer to it."""

    number: int
    submitted_at: datetime
    deliverables: list = field(default_factory=list)
    note: str | None = None
    decision: str | None = None  # approved, changes_requested, cancelled; None while waiting
    decided_at: datetime | None = None
    feedback: str | None = None
    items: list = field(default_factory=list)
    rating: int | None = None


def review_rounds(events) -> list[Round]:
    """Each submission of the task with its deliverables and the owner's decision and feedback;
    `events` are objects or dicts with type, at and details, oldest first."""
    rounds: list[Round] = []
    for event in events:
        type_, at, details = _get(event, "type"), _get(event, "at"), _get(event, "details") or {}
        if type_ == "submitted":
            deliverables = details.get("deliverables") or (
                [{"url": details["deliverable_url"], "label": None}] if details.get("deliverable_url") else [])
            rounds.append(Round(len(rounds) + 1, at, deliverables, details.get("note")))
        elif type_ in DECIDED and rounds and rounds[-1].decision is None:
            last = rounds[-1]
            last.decision, last.decided_at = type_, at
            last.feedback, last.items = details.get("note"), list(details.get("items") or [])
            last.rating = details.get("rating")
    return rounds


def waiting_on_owner_hours(events, now: datetime) -> float:
    """Wall-clock hours the task spent submitted, waiting for the owner's decision (up to `now`
    for a submission still waiting): reported apart, never counted against the specialist."""
    total, since = 0.0, None
    for event in events:
        type_, at = _get(event, "type"), _get(event, "at")
        if type_ == "submitted" and since is None:
            since = at
        elif type_ in DECIDED and since is not None:
            total += (at - since).total_seconds()
            since = None
    if since is not None and now > since:
        total += (now - since).total_seconds()
    return round(total / 3600, 2)


def _get(event, name):
    return event.get(name) if isinstance(event, dict) else getattr(event, name)

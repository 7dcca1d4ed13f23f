"""Which task events concern whom (pure): notification kinds, their recipients and urgency."""
from collections.abc import Callable, Iterable

# Who hears of each event: "specialist" is the one an offer concerns (details.specialist_id),
# "assignee" the task's assignee, "owner" the manager who owns the brief ("assignee_or_owner":
# the owner while nobody is assigned), "admins" every active admin. The actor of an event is
# never told of their own action.
RECIPIENTS: dict[str, tuple[str, ...]] = {
    "offered": ("specialist",),
    "claimed": ("owner",),
    "accepted": ("owner",),
    "declined": ("owner",),
    "offer_expired": ("specialist", "owner"),
    "offer_withdrawn": ("specialist",),
    "blocked": ("owner",),
    "submitted": ("owner",),
    "changes_requested": ("assignee",),
    "approved": ("assignee",),
    "cancelled": ("assignee", "owner"),
    "sla_warning": ("assignee_or_owner",),
    "sla_breached": ("owner",),
    "sla_escalated": ("admins",),
}
DIGEST = "digest"  # the outbox row that carries a user's daily digest
WEBHOOK_DISABLED = "webhook_disabled"  # to the admins, when an endpoint failed for a day
BUDGET_80, BUDGET_100 = "budget_80", "budget_100"  # to a brief's owner, once each (broker/costs)
KINDS = tuple(RECIPIENTS)
DEFAULT_URGENT = ("offered", "sla_breached", "sla_escalated")
SLA_RISK = ("sla_warning",)
SLA_BREACH = ("sla_breached", "sla_escalated")

LABELS = {
    "offered": "New offer",
    "claimed": "Claimed",
    "accepted": "Offer accepted",
    "declined": "Offer declined",
    "offer_expired": "Offer expired",
    "offer_withdrawn": "Offer withdrawn",
    "blocked": "Blocked, waiting on you",
    "submitted": "Submitted for review",
    "changes_requested": "Changes requested",
    "approved": "Approved",
    "cancelled": "Cancelled",
    "sla_warning": "SLA at risk",
    "sla_breached": "SLA breached",
    "sla_escalated": "SLA breach escalated",
    DIGEST: "Daily digest",
    WEBHOOK_DISABLED: "Webhook disabled",
    BUDGET_80: "80 % of the budget spent",
    BUDGET_100: "Budget spent",
}
# Event details worth keeping on a notification (not the routing summary, which is long).
KEPT_DETAILS = ("reason", "note", "target", "due_at", "expires_at")
DETAIL_MAX = 300


def urgent_kinds(chosen: Iterable[str] | None) -> tuple[str, ...]:
    """A user's urgent kinds: their own choice, or the defaults when they made none."""
    return DEFAULT_URGENT if chosen is None else tuple(k for k in KINDS if k in set(chosen))


def recipient_ids(event_type: str, actor_id: int | None,
                  resolve: Callable[[str], Iterable[int | None]]) -> list[int]:
    """The users an event concerns, in rule order without repeats, never its actor.

    `resolve(role)` gives the ids for one role; it is only called for roles the event needs, so an
    offer never loads the brief's owner and only escalations look up admins."""
    seen: list[int] = []
    for role in RECIPIENTS.get(event_type, ()):
        for user_id in resolve(role):
            if user_id is not None and user_id != actor_id and user_id not in seen:
                seen.append(user_id)
    return seen


def kept_details(details: dict | None) -> dict:
    """The small, displayable part of an event's details."""
    kept = {}
    for key in KEPT_DETAILS:
        value = (details or {}).get(key)
        if value is not None:
            kept[key] = str(value)[:DETAIL_MAX]
    return kept

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
    # The work loop: "mentioned" are the people a comment names (details.user_ids).
    "mentioned": ("mentioned",),
    "dependency_ready": ("owner",),
    "prerequisite_cancelled": ("owner",),
    "handed_off": ("owner",),
    "handoff_suggested": ("specialist",),
}
DIGEST = "digest"  # the outbox row that carries a user's daily digest
WEBHOOK_DISABLED = "webhook_disabled"  # to the admins, when an endpoint failed for a day
BUDGET_80, BUDGET_100 = "budget_80", "budget_100"  # to a brief's owner, once each (broker/costs)
KINDS = tuple(RECIPIENTS)
DEFAULT_URGENT = ("offered", "sla_breached", "sla_escalated")
SLA_RISK = ("sla_warning",)
SLA_BREACH = ("sla_breached", "sla_escalated")
# The work loop's kinds that a digest lists under "Conversation and review" while undelivered.
LOOP_UPDATES = ("mentioned", "changes_requested", "dependency_ready", "prerequisite_cancelled",
                "handed_off", "handoff_suggested")

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
    "mentioned": "You were mentioned",
    "dependency_ready": "Ready to route: its prerequisites are approved",
    "prerequisite_cancelled": "A prerequisite was cancelled",
    "handed_off": "Handed off",
    "handoff_suggested": "Time off coming: hand this off?",
    DIGEST: "Daily digest",
    WEBHOOK_DISABLED: "Webhook disabled",
    BUDGET_80: "80 % of the budget spent",
    BUDGET_100: "Budget spent",
}
# Event details worth keeping on a notification (not the routing summary, which is long).
KEPT_DETAILS = ("reason", "note", "target", "due_at", "expires_at")
DETAIL_MAX = 300
ITEMS_KEPT, ITEM_MAX = 10, 200  # change items a notification carries (Slack's 3,000 per text)


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
    items = (details or {}).get("items")
    if items:
        kept["items"] = [str(item)[:ITEM_MAX] for item in items[:ITEMS_KEPT]]
        if len(items) > ITEMS_KEPT:
            kept["items"].append(f"…and {len(items) - ITEMS_KEPT} more")
    return kept

"""What is pending for a batch of users, read in a fixed number of queries, as Digest data.

Deliberately free of SLA tables: "at risk" and "breached" come from the user's own SLA
notifications whose tasks are still open."""
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import or_, select

from broker.extensions import db
from broker.people.models import User
from notifications import kinds
from notifications.blockkit import local_time
from notifications.digest_render import Digest, Item
from notifications.messages import Reader
from notifications.models import IN_DIGEST, Notification
from tasks import lifecycle
from tasks.models import Brief, Task

SECTION_KEYS = ("offered", "review", "updates", "due_today", "at_risk", "breached", "done")
DUE_TODAY_STATES = lifecycle.OPEN - {lifecycle.OFFERED}  # offers have their own section


def local_day(timezone: str, now: datetime) -> tuple[date, datetime, datetime]:
    """The reader's calendar day holding `now`, with its start and end as aware instants."""
    zone = ZoneInfo(timezone)
    today = now.astimezone(zone).date()
    start = datetime.combine(today, time(), zone)
    end = datetime.combine(today + timedelta(days=1), time(), zone)
    return today, start, end


def digests_for(users: list[User], now: datetime, since: dict[int, datetime], base_url: str) -> list[Digest]:
    """One Digest per user (maybe empty); `since[user_id]` starts "done since your last digest"."""
    if not users:
        return []
    ids = [u.id for u in users]
    digests = {u.id: Digest(Reader(u.name, u.role, u.timezone, base_url), local_day(u.timezone, now)[0],
                            {key: [] for key in SECTION_KEYS})
               for u in users}
    _offered(digests, ids)
    _review(digests, ids)
    _due_today(digests, users, now)
    _sla(digests, ids)
    _updates(digests, ids, now)
    _done(digests, ids, min(since.values(), default=now - timedelta(days=1)), since, now)
    for digest in digests.values():
        for items in digest.sections.values():
            items.sort(key=lambda i: (i.due_at is None, i.due_at or now, i.task_id))
    return [digests[u.id] for u in users]


def _offered(digests: dict, ids: list[int]):
    rows = db.session.execute(select(Task.assignee_id, Task.id, Task.brief_id, Task.title, Task.due_at,
                                     Task.offer_expires_at)
                              .where(Task.state == lifecycle.OFFERED, Task.assignee_id.in_(ids)))
    for user_id, task_id, brief_id, title, due_at, expires in rows:
        tz = digests[user_id].reader.timezone
        note = f"offer expires {local_time(expires, tz)}" if expires else ""
        digests[user_id].sections["offered"].append(Item(task_id, brief_id, title, due_at, note))


def _review(digests: dict, ids: list[int]):
    """Submissions waiting for the reader's decision on their own briefs, oldest first."""
    rows = db.session.execute(select(Brief.owner_id, Task.id, Task.brief_id, Task.title, Task.due_at)
                              .join(Brief, Brief.id == Task.brief_id)
                              .where(Task.state == lifecycle.SUBMITTED, Brief.owner_id.in_(ids))
                              .order_by(Task.id))
    for owner_id, task_id, brief_id, title, due_at in rows:
        digests[owner_id].sections["review"].append(Item(task_id, brief_id, title, due_at))


def _due_today(digests: dict, users: list[User], now: datetime):
    """Open work due within each reader's local day: assigned to specialists, owned by managers."""
    ids = [u.id for u in users]
    window = (now - timedelta(hours=27), now + timedelta(hours=27))  # holds every zone's today
    rows = db.session.execute(
        select(Task.assignee_id, Brief.owner_id, Task.id, Task.brief_id, Task.title, Task.due_at)
        .join(Brief, Brief.id == Task.brief_id)
        .where(Task.state.in_(DUE_TODAY_STATES), Task.due_at >= window[0], Task.due_at < window[1],
               or_(Task.assignee_id.in_(ids), Brief.owner_id.in_(ids))))
    days = {u.id: local_day(u.timezone, now) for u in users}
    for assignee_id, owner_id, task_id, brief_id, title, due_at in rows:
        for user_id in {assignee_id, owner_id} & days.keys():
            _, start, end = days[user_id]
            if start <= due_at < end:
                digests[user_id].sections["due_today"].append(Item(task_id, brief_id, title, due_at))


def _sla(digests: dict, ids: list[int]):
    """At risk: an SLA warning on a still-open task; breached: a breach or escalation (wins)."""
    rows = db.session.execute(
        select(Notification.user_id, Notification.kind, Notification.payload, Task.id, Task.brief_id,
               Task.title, Task.due_at)
        .join(Task, Task.id == Notification.task_id)
        .where(Notification.user_id.in_(ids), Notification.kind.in_(kinds.SLA_RISK + kinds.SLA_BREACH),
               Task.state.in_(lifecycle.OPEN))
        .order_by(Notification.id))
    worst: dict[tuple[int, int], tuple] = {}
    for user_id, kind, payload, task_id, brief_id, title, due_at in rows:
        breach = kind in kinds.SLA_BREACH
        if (user_id, task_id) not in worst or breach:
            worst[(user_id, task_id)] = (breach, (payload or {}).get("details", {}), brief_id, title, due_at)
    for (user_id, task_id), (breach, details, brief_id, title, due_at) in worst.items():
        target = details.get("target", "turnaround")
        note = f"{target} target {'breached' if breach else 'at risk'}"
        key = "breached" if breach else "at_risk"
        digests[user_id].sections[key].append(Item(task_id, brief_id, title, due_at, note))


def _updates(digests: dict, ids: list[int], now: datetime):
    """The work loop's news waiting for this digest: mentions, changes requested (with their
    items), prerequisites approved or cancelled, handoffs."""
    rows = db.session.execute(
        select(Notification.user_id, Notification.kind, Notification.payload, Notification.task_id)
        .where(Notification.user_id.in_(ids), Notification.state == IN_DIGEST,
               Notification.kind.in_(kinds.LOOP_UPDATES), Notification.created_at <= now)
        .order_by(Notification.id))
    for user_id, kind, payload, task_id in rows:
        payload = payload or {}
        details = payload.get("details") or {}
        note = kinds.LABELS.get(kind, kind)
        if details.get("note"):
            note += f": {details['note']}"
        if details.get("items"):
            note += " — " + "; ".join(details["items"])
        digests[user_id].sections["updates"].append(
            Item(task_id, payload.get("brief_id"), payload.get("title") or f"Task {task_id}", None,
                 note[:600]))


def _done(digests: dict, ids: list[int], earliest: datetime, since: dict[int, datetime], now: datetime):
    rows = db.session.execute(
        select(Task.assignee_id, Brief.owner_id, Task.id, Task.brief_id, Task.title, Task.closed_at)
        .join(Brief, Brief.id == Task.brief_id)
        .where(Task.state == lifecycle.APPROVED, Task.closed_at > earliest, Task.closed_at <= now,
               or_(Task.assignee_id.in_(ids), Brief.owner_id.in_(ids))))
    for assignee_id, owner_id, task_id, brief_id, title, closed_at in rows:
        for user_id in {assignee_id, owner_id} & digests.keys():
            if closed_at > since.get(user_id, earliest):
                tz = digests[user_id].reader.timezone
                digests[user_id].sections["done"].append(
                    Item(task_id, brief_id, title, None, f"approved {local_time(closed_at, tz)}"))

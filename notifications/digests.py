"""Digest sending: each user whose local digest hour has come gets at most one digest a local day.

The job runs every few minutes; a user is due from their digest hour until local midnight, so a
run missed during a restart is caught up by the next one, and the unique (user, local day) row
makes every rerun (and a changed digest hour) send nothing twice. A digest is queued in the outbox,
so it is delivered, retried and never duplicated like any urgent notification."""
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError

from broker.extensions import db
from broker.people.models import User
from broker.unit_of_work import commit
from notifications.digest_render import render_digest, summary
from notifications.kinds import DIGEST
from notifications.models import DIGESTED, IN_DIGEST, QUEUED, DigestSent, Notification
from notifications.pending import digests_for

CHUNK = 500


@dataclass
class DigestReport:
    queued: int = 0
    empty: int = 0

    def __str__(self):
        return f"queued {self.queued} digests, {self.empty} users had nothing pending"


def digest_date(timezone: str, digest_hour: int, now: datetime) -> date | None:
    """The reader's local date when their digest hour has come today, else None."""
    local = now.astimezone(ZoneInfo(timezone))
    return local.date() if local.hour >= digest_hour else None


def send_digests(now: datetime) -> DigestReport:
    """Queue today's digest for every active user whose digest hour has come and who has none yet."""
    report = DigestReport()
    users = db.session.scalars(select(User).where(User.active.is_(True)).order_by(User.id)).all()
    due = [(u, d) for u in users if (d := digest_date(u.timezone, u.digest_hour, now)) is not None]
    for start in range(0, len(due), CHUNK):
        chunk = due[start:start + CHUNK]
        done = _already_sent([u.id for u, _ in chunk], {d for _, d in chunk})
        todo = [(u, d) for u, d in chunk if (u.id, d) not in done]
        if todo:
            _queue_chunk(todo, now, report)
    return report


def _already_sent(user_ids: list[int], days: set[date]) -> set[tuple[int, date]]:
    rows = db.session.execute(select(DigestSent.user_id, DigestSent.local_date).where(
        DigestSent.user_id.in_(user_ids), DigestSent.local_date.in_(days)))
    return {(user_id, day) for user_id, day in rows}


def last_digest_times(user_ids: list[int], now: datetime) -> dict[int, datetime]:
    """When each user's last digest was built (a day ago for a user who never had one)."""
    rows = db.session.execute(select(DigestSent.user_id, func.max(DigestSent.built_at))
                              .where(DigestSent.user_id.in_(user_ids)).group_by(DigestSent.user_id))
    last = dict(rows.all())
    return {user_id: last.get(user_id) or now - timedelta(days=1) for user_id in user_ids}


def _queue_chunk(todo: list, now: datetime, report: DigestReport):
    users = [u for u, _ in todo]
    since = last_digest_times([u.id for u in users], now)
    built = list(zip(todo, digests_for(users, now, since, current_app.config["BROKER_BASE_URL"])))
    try:
        _add_digests(built, now, report)
        commit()
    except IntegrityError:  # a concurrent run (e.g. a CLI replay) queued some of them first
        db.session.rollback()
        for one in built:
            try:
                _add_digests([one], now, report)
                commit()
            except IntegrityError:
                db.session.rollback()


def _add_digests(built: list, now: datetime, report: DigestReport):
    """Each user's DigestSent row and, unless empty, the outbox row carrying the message; the
    notifications waiting for a digest are then marked as covered by it."""
    queued = empty = 0
    for (user, day), digest in built:
        row = DigestSent(user_id=user.id, local_date=day, built_at=now, items=digest.size)
        if digest.is_empty:
            empty += 1
        else:
            row.notification = Notification(user_id=user.id, kind=DIGEST, urgent=True, state=QUEUED,
                                            created_at=now, next_attempt_at=now,
                                            payload={"message": render_digest(digest),
                                                     "summary": summary(digest)})
            queued += 1
        db.session.add(row)
    db.session.flush()  # the unique (user, day) key answers here, before anything is counted
    db.session.execute(update(Notification).where(
        Notification.user_id.in_([user.id for (user, _), _ in built]),
        Notification.state == IN_DIGEST, Notification.created_at <= now).values(state=DIGESTED))
    report.queued, report.empty = report.queued + queued, report.empty + empty


def preview(user: User, now: datetime) -> dict:
    """The caller's digest as it would be built now: Block Kit JSON, or an empty-state answer."""
    since = last_digest_times([user.id], now)
    digest = digests_for([user], now, since, current_app.config["BROKER_BASE_URL"])[0]
    if digest.is_empty:
        return {"blocks": [], "text": "Nothing pending: no digest would be sent now.", "empty": True}
    return {**render_digest(digest), "empty": False}

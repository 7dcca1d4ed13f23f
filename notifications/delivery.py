"""Outbox delivery: claim due rows, send each through its sink, record the outcome.

Exactly-once as far as a webhook allows: a row is claimed (state `sending`, a claim token and a
lease) in its own committed transaction before anything is sent, with `FOR UPDATE SKIP LOCKED` on
PostgreSQL and a re-checked conditional UPDATE everywhere, so two deliverers never hold the same
row. Right before its send the row's lease is renewed under the same token, and the outcome is
committed right after, row by row. A deliverer that dies leaves rows in `sending`; once their lease
runs out another deliverer takes them again. The one window left: a process that dies after Slack
accepted a message but before its `sent` commit makes it be sent again (at-least-once there).
"""
import logging
import os
import random
import time
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import and_, or_, select, update
from sqlalchemy.orm import selectinload

from broker.extensions import db
from broker.people.slack_webhook import open_webhook_url
from broker.unit_of_work import commit
from notifications import backoff
from notifications.kinds import DIGEST
from notifications.messages import Reader, render_notification
from notifications.models import FAILED, QUEUED, SENDING, SENT, Notification
from notifications.sinks import LogSink, Outcome, Sink

log = logging.getLogger("broker.notifications")
BATCH = 50
MAX_PER_RUN = 2000


@dataclass
class Report:
    sent: int = 0
    retrying: int = 0
    failed: int = 0
    skipped: int = 0
    paused: dict = field(default_factory=dict)  # user id -> instant before which nothing is sent

    def __str__(self):
        return f"sent {self.sent}, retrying {self.retrying}, failed {self.failed}, skipped {self.skipped}"


def default_slack_sink() -> Sink:
    from notifications.slack import SlackWebhookSink  # the adapter; the domain stays Slack-free
    return SlackWebhookSink(timeout=current_app.config.get("BROKER_SLACK_TIMEOUT", 10))


def lease() -> timedelta:
    """How long a claim holds (OUTBOX_LEASE_SECONDS), never less than three sends' timeouts, so
    a live sender never loses it; a dead one's rows wait that long before another takes them."""
    config = current_app.config
    return timedelta(seconds=max(config["OUTBOX_LEASE_SECONDS"],
                                 3 * config.get("BROKER_SLACK_TIMEOUT", 10)))


def deliver_outbox(now: datetime, slack: Sink | None = None, rng: random.Random | None = None,
                   limit: int = MAX_PER_RUN) -> Report:
    """Send every due urgent notification once; failures wait for their next attempt."""
    slack, rng, report = slack or default_slack_sink(), rng or random.Random(), Report()
    token = f"{os.getpid()}-{uuid.uuid4().hex[:12]}"
    started = time.monotonic()

    def instant() -> datetime:  # `now`, moved on by the time this run has taken so far
        return now + timedelta(seconds=time.monotonic() - started)

    handled = 0
    while handled < limit:
        rows = claim(token, instant(), min(BATCH, limit - handled))
        if not rows:
            break
        for row in rows:
            _deliver(row, token, instant, slack, rng, report)
        handled += len(rows)
    return report


def _due(at: datetime):
    return or_(and_(Notification.state == QUEUED, Notification.next_attempt_at <= at),
               and_(Notification.state == SENDING, Notification.claimed_at < at - lease()))


@dataclass(frozen=True)
class Claimed:
    """A claimed row as plain values, read once (commits expire ORM objects)."""

    id: int
    user_id: int
    attempts: int
    message: dict
    url: str | None


def claim(token: str, at: datetime, size: int) -> list[Claimed]:
    """Mark up to `size` due rows as ours and commit; returns them ready to send."""
    candidates = select(Notification.id).where(_due(at)).order_by(Notification.id).limit(size)
    ids = db.session.scalars(candidates.with_for_update(skip_locked=True)).all()
    if ids:  # the WHERE is checked again by the UPDATE itself: a row taken meanwhile is left out
        db.session.execute(update(Notification).where(Notification.id.in_(ids), _due(at)).values(
            state=SENDING, claimed_by=token, claimed_at=at, attempts=Notification.attempts + 1))
    commit()
    if not ids:
        return []
    rows = db.session.scalars(
        select(Notification).where(Notification.claimed_by == token, Notification.state == SENDING)
        .options(selectinload(Notification.user)).order_by(Notification.id)
        .execution_options(populate_existing=True)).all()
    secret = current_app.config["SECRET_KEY"]
    return [Claimed(row.id, row.user_id, row.attempts, message_for(row),
                    _webhook_of(row.user, secret)) for row in rows]


def _webhook_of(user, secret: str) -> str | None:
    """The user's webhook in clear; one that no longer opens (SECRET_KEY changed) is said in the
    log, never shown, and the message goes to the log sink as for users without one."""
    url = open_webhook_url(user.slack_webhook_sealed, secret)
    if url is None and user.slack_webhook_sealed:
        log.warning("user %s's Slack webhook cannot be opened (SECRET_KEY changed?); sending to "
                    "the log until they set it again", user.id)
    return url


def _still_ours(row: Claimed, token: str, at: datetime) -> bool:
    """Renew the lease right before sending; False when another deliverer took the row over."""
    renewed = db.session.execute(update(Notification).where(
        Notification.id == row.id, Notification.claimed_by == token, Notification.state == SENDING
    ).values(claimed_at=at))
    commit()
    return renewed.rowcount == 1


def _finish(row: Claimed, token: str, **values):
    db.session.execute(update(Notification).where(
        Notification.id == row.id, Notification.claimed_by == token).values(claimed_by=None, **values))
    commit()


def _deliver(row: Claimed, token, instant, slack: Sink, rng, report: Report):
    paused_until = report.paused.get(row.user_id)
    if paused_until is not None:  # Slack asked us to wait on this user's webhook: not an attempt
        _finish(row, token, state=QUEUED, attempts=row.attempts - 1, next_attempt_at=paused_until)
        report.skipped += 1
        return
    if not _still_ours(row, token, instant()):
        report.skipped += 1
        return
    outcome = (slack if row.url else LogSink()).send(row.url, row.message)
    _record(row, token, outcome, instant(), rng, report)


def _record(row: Claimed, token, outcome: Outcome, at: datetime, rng, report: Report):
    if outcome.ok:
        _finish(row, token, state=SENT, sent_at=at, last_error=None)
        report.sent += 1
        return
    retry_at = backoff.after_failure(row.attempts, outcome.retry_after, outcome.permanent, at, rng)
    if outcome.status == 429 and retry_at is not None:
        report.paused[row.user_id] = retry_at
    if retry_at is None:
        _finish(row, token, state=FAILED, last_error=outcome.error)
        report.failed += 1
        log.warning("notification %s failed for good after %s attempts: %s", row.id, row.attempts,
                    outcome.error)
    else:
        _finish(row, token, state=QUEUED, next_attempt_at=retry_at, last_error=outcome.error)
        report.retrying += 1


def message_for(row: Notification) -> dict:
    """The Slack message of an outbox row: a digest carries its own, others render now."""
    if row.kind == DIGEST:
        return row.payload["message"]
    user = row.user
    reader = Reader(user.name, user.role, user.timezone, current_app.config["BROKER_BASE_URL"])
    return render_notification(row.kind, row.payload, row.task_id, reader)

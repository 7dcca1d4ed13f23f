"""Outbox delivery: claim due rows, send each through its sink, record the outcome.

Two kinds of rows go through the same machinery (a channel each, notifications.channels):
notifications to users' Slack webhooks, and webhook deliveries to the endpoints admins registered
(notifications.webhooks.channel).

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
from notifications.channels import Channel, Claimed
from notifications.kinds import DIGEST
from notifications.messages import Reader, render_notification
from notifications.models import FAILED, QUEUED, SENDING, SENT, Notification
from notifications.sinks import LogSink, Outcome, Sink
from notifications.webhooks.channel import WebhookChannel

log = logging.getLogger("broker.notifications")
BATCH = 50
MAX_PER_RUN = 2000


@dataclass
class Report:
    sent: int = 0
    retrying: int = 0
    failed: int = 0
    skipped: int = 0
    paused: dict = field(default_factory=dict)  # target -> instant before which nothing is sent
    webhooks: "Report | None" = None  # the webhook deliveries of the same run

    def __str__(self):
        line = f"sent {self.sent}, retrying {self.retrying}, failed {self.failed}, skipped {self.skipped}"
        hooks = self.webhooks
        if hooks and hooks.sent + hooks.retrying + hooks.skipped:
            line += f"; webhooks: sent {hooks.sent}, retrying {hooks.retrying}, skipped {hooks.skipped}"
        return line


def default_slack_sink() -> Sink:
    from notifications.slack import SlackWebhookSink  # the adapter; the domain stays Slack-free
    return SlackWebhookSink(timeout=current_app.config.get("BROKER_SLACK_TIMEOUT", 10))


def lease() -> timedelta:
    """How long a claim holds (OUTBOX_LEASE_SECONDS), never less than three sends' timeouts, so
    a live sender never loses it; a dead one's rows wait that long before another takes them."""
    config = current_app.config
    timeout = max(config.get(key, 10) for key in ("BROKER_SLACK_TIMEOUT", "BROKER_WEBHOOK_TIMEOUT"))
    return timedelta(seconds=max(config["OUTBOX_LEASE_SECONDS"], 3 * timeout))


def deliver_outbox(now: datetime, slack: Sink | None = None, rng: random.Random | None = None,
                   limit: int = MAX_PER_RUN, webhooks=None) -> Report:
    """Send every due urgent notification once, then every due webhook delivery (each in order
    per task and endpoint); failures wait for their next attempt."""
    rng = rng or random.Random()
    started = time.monotonic()

    def instant() -> datetime:  # `now`, moved on by the time this run has taken so far
        return now + timedelta(seconds=time.monotonic() - started)

    report = drain(NotificationChannel(slack or default_slack_sink()), instant, rng, limit)
    report.webhooks = drain(WebhookChannel(webhooks), instant, rng, limit)
    return report


def drain(channel: Channel, instant, rng: random.Random, limit: int = MAX_PER_RUN) -> Report:
    """Claim and send a channel's due rows, batch by batch, until none is due (or `limit`)."""
    report, token = Report(), f"{os.getpid()}-{uuid.uuid4().hex[:12]}"
    handled = 0
    while handled < limit:
        rows = claim(token, instant(), min(BATCH, limit - handled), channel)
        if not rows:
            break
        for row in rows:
            _deliver(channel, row, token, instant, rng, report)
        handled += len(rows)
    return report


def _due(channel: Channel, at: datetime):
    model, also = channel.model, channel.due_also(at)
    queued = and_(model.state == QUEUED, model.next_attempt_at <= at)
    return or_(queued if also is None else and_(queued, also),
               and_(model.state == SENDING, model.claimed_at < at - lease()))


def claim(token: str, at: datetime, size: int, channel: Channel | None = None) -> list[Claimed]:
    """Mark up to `size` due rows as ours and commit; returns them ready to send."""
    channel = channel or NotificationChannel(LogSink())
    model = channel.model
    candidates = select(model.id).where(_due(channel, at)).order_by(model.id).limit(size)
    ids = db.session.scalars(candidates.with_for_update(skip_locked=True)).all()
    if ids:  # the WHERE is checked again by the UPDATE itself: a row taken meanwhile is left out
        db.session.execute(update(model).where(model.id.in_(ids), _due(channel, at)).values(
            state=SENDING, claimed_by=token, claimed_at=at, attempts=model.attempts + 1))
    commit()
    if not ids:
        return []
    rows = db.session.scalars(
        select(model).where(model.claimed_by == token, model.state == SENDING)
        .options(*channel.options).order_by(model.id)
        .execution_options(populate_existing=True)).all()
    return channel.read(rows)


def _still_ours(model, row: Claimed, token: str, at: datetime) -> bool:
    """Renew the lease right before sending; False when another deliverer took the row over."""
    renewed = db.session.execute(update(model).where(
        model.id == row.id, model.claimed_by == token, model.state == SENDING
    ).values(claimed_at=at))
    commit()
    return renewed.rowcount == 1


def _finish(model, row: Claimed, token: str, **values):
    """Write the row's outcome and hand back the claim, in the caller's transaction."""
    db.session.execute(update(model).where(
        model.id == row.id, model.claimed_by == token).values(claimed_by=None, **values))


def _deliver(channel: Channel, row: Claimed, token, instant, rng, report: Report):
    paused_until = report.paused.get(row.target)
    if paused_until is not None:  # its target asked us to wait (or is failing): not an attempt
        _finish(channel.model, row, token, state=QUEUED, attempts=row.attempts - 1,
                next_attempt_at=paused_until)
        commit()
        report.skipped += 1
        return
    if not _still_ours(channel.model, row, token, instant()):
        report.skipped += 1
        return
    _record(channel, row, token, channel.send(row), instant(), rng, report)


def _record(channel: Channel, row: Claimed, token, outcome: Outcome, at: datetime, rng,
            report: Report):
    retry_at = None if outcome.ok else channel.retry_at(row, outcome, at, rng)
    extra = channel.outcome_values(outcome)
    if outcome.ok:
        _finish(channel.model, row, token, state=SENT, sent_at=at, last_error=None, **extra)
        report.sent += 1
    elif retry_at is None:
        _finish(channel.model, row, token, state=FAILED, last_error=outcome.error, **extra)
        report.failed += 1
        log.warning("notification %s failed for good after %s attempts: %s", row.id, row.attempts,
                    outcome.error)
    else:
        _finish(channel.model, row, token, state=QUEUED, next_attempt_at=retry_at,
                last_error=outcome.error, **extra)
        report.retrying += 1
        if outcome.status == 429 or channel.pause_target_on_failure:
            report.paused[row.target] = retry_at
    channel.recorded_in(db.session, row, outcome, at, retry_at)
    commit()


class NotificationChannel:
    """Urgent notifications (and digests) to each user's Slack webhook, or the log without one."""

    model = Notification
    options = (selectinload(Notification.user),)
    pause_target_on_failure = False  # only a 429 holds a user's other messages

    def __init__(self, slack: Sink):
        self.slack = slack

    def due_also(self, at: datetime):
        return None

    def read(self, rows: list[Notification]) -> list[Claimed]:
        secret = current_app.config["SECRET_KEY"]
        return [Claimed(row.id, row.attempts, ("user", row.user_id), _webhook_of(row.user, secret),
                        message_for(row)) for row in rows]

    def send(self, row: Claimed) -> Outcome:
        return (self.slack if row.destination else LogSink()).send(row.destination, row.message)

    def retry_at(self, row: Claimed, outcome: Outcome, at: datetime, rng) -> datetime | None:
        return backoff.after_failure(row.attempts, outcome.retry_after, outcome.permanent, at, rng)

    def outcome_values(self, outcome: Outcome) -> dict:
        return {}

    def recorded_in(self, session, row, outcome, at, retry_at) -> None:
        return None


def _webhook_of(user, secret: str) -> str | None:
    """The user's webhook in clear; one that no longer opens (SECRET_KEY changed) is said in the
    log, never shown, and the message goes to the log sink as for users without one."""
    url = open_webhook_url(user.slack_webhook_sealed, secret)
    if url is None and user.slack_webhook_sealed:
        log.warning("user %s's Slack webhook cannot be opened (SECRET_KEY changed?); sending to "
                    "the log until they set it again", user.id)
    return url


def message_for(row: Notification) -> dict:
    """The Slack message of an outbox row: a digest carries its own, others render now."""
    if row.kind == DIGEST:
        return row.payload["message"]
    user = row.user
    reader = Reader(user.name, user.role, user.timezone, current_app.config["BROKER_BASE_URL"])
    return render_notification(row.kind, row.payload, row.task_id, reader)

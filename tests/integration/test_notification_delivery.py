"""Delivery against a fake Slack server on loopback (real HTTP): once each, with back-off,
Retry-After, give-up, crash recovery and an hour-long outage. Time moves only through `now`."""
import logging
import random
from datetime import timedelta

import pytest

from broker.timeutil import utcnow
from notifications import backoff
from notifications.delivery import claim, deliver_outbox, lease
from tests.notify_helpers import offer, rows, run, set_me

NOW = utcnow().replace(microsecond=0)


@pytest.fixture
def offers(app, make, slack):
    """One specialist with a webhook on the fake server and `n` offers made to them at NOW."""
    def _make(n=1, webhook=True):
        manager, specialist = make.user("manager"), make.specialist(capacity=50)
        if webhook:
            set_me(app, specialist, slack_webhook_url=slack.url())
        _, task_ids = make.brief(manager, n_tasks=n)
        for task_id in task_ids:
            offer(app, task_id, specialist, NOW + timedelta(hours=4), NOW)
        return specialist, task_ids
    return _make


def deliver(app, at, **kwargs):
    return run(app, deliver_outbox, at, rng=random.Random(7), **kwargs)


def test_an_offer_is_posted_once_as_block_kit(app, slack, offers):
    specialist, (task_id,) = offers()
    report = deliver(app, NOW)
    assert (report.sent, report.retrying, report.failed) == (1, 0, 0)
    (request,) = slack.received
    assert request["path"] == "/services/T000/B000/XXXXwXyZ"
    assert request["body"]["text"].startswith("New offer: Cut the launch teaser 1")
    assert f"/queue#task-{task_id}" in request["body"]["blocks"][0]["text"]["text"]
    assert rows(app)[0]["state"] == "sent" and rows(app)[0]["sent_at"] is not None
    assert deliver(app, NOW + timedelta(minutes=5)).sent == 0  # a rerun sends nothing new
    assert len(slack.received) == 1


def test_without_a_webhook_the_log_sink_delivers(app, slack, offers, caplog):
    offers(webhook=False)
    with caplog.at_level(logging.INFO, logger="broker.notifications"):
        assert deliver(app, NOW).sent == 1
    assert slack.received == [] and "New offer: Cut the launch teaser 1" in caplog.text


def test_a_500_backs_off_with_jitter_then_delivers(app, slack, offers):
    offers()
    slack.mode = "error"
    assert deliver(app, NOW).retrying == 1
    (row,) = rows(app)
    wait = (row["next_attempt_at"] - NOW).total_seconds()
    assert row["state"] == "queued" and row["attempts"] == 1 and "HTTP 500" in row["last_error"]
    assert backoff.BASE_SECONDS / 2 <= wait <= backoff.BASE_SECONDS + 1
    slack.mode = "ok"
    assert deliver(app, NOW + timedelta(seconds=5)).sent == 0  # not due yet
    assert deliver(app, row["next_attempt_at"]).sent == 1
    assert len(slack.received) == 2 and rows(app)[0]["state"] == "sent"


def test_a_429_honours_retry_after_for_the_whole_webhook(app, slack, offers):
    offers(n=3)
    slack.mode, slack.retry_after = "rate_limited", "120"
    report = deliver(app, NOW)
    assert (report.retrying, report.skipped) == (1, 2)
    assert len(slack.received) == 1  # the other two were not even tried
    for row in rows(app):
        assert row["state"] == "queued"
        assert 120 <= (row["next_attempt_at"] - NOW).total_seconds() < 125
    assert [r["attempts"] for r in rows(app)] == [1, 0, 0]
    slack.mode = "ok"
    assert deliver(app, NOW + timedelta(seconds=119)).sent == 0
    assert deliver(app, NOW + timedelta(seconds=130)).sent == 3


def test_a_hanging_slack_times_out_and_is_retried(app, slack, offers):
    offers()
    slack.mode = "hang"
    assert deliver(app, NOW).retrying == 1
    assert "timed out" in rows(app)[0]["last_error"]


def test_a_revoked_webhook_fails_at_once_and_shows_failed(app, slack, offers, client):
    specialist, _ = offers()
    slack.mode = "revoked"
    assert deliver(app, NOW).failed == 1
    answer = client.get("/api/v1/notifications", headers=specialist.headers).json
    assert answer[0]["state"] == "failed" and "HTTP 404" in answer[0]["last_error"]


def test_it_gives_up_after_the_attempt_limit(app, slack, offers):
    offers()
    slack.mode = "error"
    at = NOW
    for _ in range(backoff.MAX_ATTEMPTS):
        deliver(app, at)
        at += timedelta(hours=2)
    (row,) = rows(app)
    assert (row["state"], row["attempts"]) == ("failed", backoff.MAX_ATTEMPTS)
    assert len(slack.received) == backoff.MAX_ATTEMPTS
    assert deliver(app, at + timedelta(days=1)).sent == 0


def test_slack_down_for_an_hour_loses_nothing_and_sends_nothing_twice(app, slack, offers):
    _, task_ids = offers(n=6)
    slack.stop()
    for minute in range(0, 61):
        assert deliver(app, NOW + timedelta(minutes=minute)).sent == 0
    assert {r["state"] for r in rows(app)} == {"queued"}
    slack.start()
    at = NOW + timedelta(minutes=61)
    while any(r["state"] != "sent" for r in rows(app)) and at < NOW + timedelta(hours=3):
        deliver(app, at)
        at += timedelta(minutes=1)
    assert {r["state"] for r in rows(app)} == {"sent"}
    texts = slack.texts()
    assert len(texts) == 6 and len(set(texts)) == 6


def test_a_deliverer_that_died_mid_batch_is_taken_over_after_its_lease(app, slack, offers):
    offers(n=3)
    with app.app_context():
        claimed = run(app, claim, "dead-worker", NOW, 50)
        assert len(claimed) == 3
        held = lease()
    assert deliver(app, NOW + timedelta(seconds=30)).sent == 0  # the lease still holds
    assert slack.received == []
    assert deliver(app, NOW + held + timedelta(seconds=1)).sent == 3
    assert len(slack.received) == 3 and {r["attempts"] for r in rows(app)} == {2}


def test_the_lease_is_a_setting_but_never_shorter_than_three_timeouts(app, monkeypatch):
    monkeypatch.setitem(app.config, "OUTBOX_LEASE_SECONDS", 5)
    monkeypatch.setitem(app.config, "BROKER_SLACK_TIMEOUT", 1)
    with app.app_context():
        assert lease() == timedelta(seconds=5)
        app.config["BROKER_SLACK_TIMEOUT"] = 10
        assert lease() == timedelta(seconds=30)


def test_the_webhook_url_is_never_logged(app, slack, offers, caplog):
    offers()
    slack.stop()
    with caplog.at_level(logging.DEBUG):
        deliver(app, NOW)
    assert slack.url() not in caplog.text and "XXXXwXyZ" not in caplog.text
    assert slack.url() not in str(rows(app))


def test_a_webhook_sealed_under_another_secret_key_is_said_in_the_log_not_lost(
        app, slack, offers, caplog):
    from broker.extensions import db
    from broker.people.models import User
    from broker.people.slack_webhook import seal_webhook_url
    specialist, _ = offers(webhook=False)
    with app.app_context():
        db.session.get(User, specialist.id).slack_webhook_sealed = seal_webhook_url(
            slack.url(), "an older secret key")
        db.session.commit()
        db.session.remove()
    with caplog.at_level(logging.INFO, logger="broker.notifications"):
        report = deliver(app, NOW)
    assert report.sent == 1 and slack.received == []  # to the log sink, as without a webhook
    assert f"user {specialist.id}'s Slack webhook cannot be opened" in caplog.text
    assert slack.url() not in caplog.text

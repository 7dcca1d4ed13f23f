"""Digests: at each user's local digest hour, once a local day, built from what is pending."""
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import select

from broker.extensions import db
from broker.people.models import User
from notifications.digests import send_digests
from notifications.models import DigestSent
from tasks import services as tasks
from tests.notify_helpers import offer, rows, run, set_me, sla_event

UTC = timezone.utc
DAY = datetime(2026, 11, 24, tzinfo=UTC)  # Manila is UTC+8, Bogotá UTC-5: neither has DST


@pytest.fixture
def offered_to(app, make):
    """A specialist in `tz` with one open offer (so their digest is not empty)."""
    manager = make.user("manager")

    def _make(tz, **settings):
        specialist = make.specialist(timezone=tz, capacity=20)
        if settings:
            set_me(app, specialist, **settings)
        _, (task_id,) = make.brief(manager, now=DAY - timedelta(days=1), due_at=DAY + timedelta(days=5))
        offer(app, task_id, specialist, DAY + timedelta(days=3), DAY - timedelta(hours=12))
        return specialist
    return _make


def digests(app, user=None):
    return [r for r in rows(app, user) if r["kind"] == "digest"]


def test_manila_and_bogota_get_theirs_at_nine_local_from_hourly_runs(app, offered_to):
    manila, bogota = offered_to("Asia/Manila"), offered_to("America/Bogota")
    # At 23:00 UTC it is 07:00 in Manila, and Bogotá (18:00) catches up the 23rd's digest.
    assert run(app, send_digests, DAY - timedelta(hours=1)).queued == 1
    sent_at = {manila.id: [], bogota.id: []}
    for hour in range(0, 48):
        at = DAY + timedelta(hours=hour)
        before = {uid: len(digests(app, type("U", (), {"id": uid}))) for uid in sent_at}
        run(app, send_digests, at)
        assert run(app, send_digests, at).queued == 0  # a rerun at the same hour sends nothing new
        for uid in sent_at:
            sent_at[uid] += [at] * (len(digests(app, type("U", (), {"id": uid}))) - before[uid])
    assert sent_at[manila.id] == [datetime(2026, 11, 24, 1, tzinfo=UTC), datetime(2026, 11, 25, 1, tzinfo=UTC)]
    assert sent_at[bogota.id] == [datetime(2026, 11, 24, 14, tzinfo=UTC), datetime(2026, 11, 25, 14, tzinfo=UTC)]


def test_a_missed_hour_is_caught_up_and_a_new_digest_hour_sends_no_second(app, offered_to):
    manila = offered_to("Asia/Manila")
    assert run(app, send_digests, datetime(2026, 11, 24, 0, 55, tzinfo=UTC)).queued == 0  # 08:55
    assert run(app, send_digests, datetime(2026, 11, 24, 3, 30, tzinfo=UTC)).queued == 1  # 11:30
    set_me(app, manila, digest_hour=15)
    assert run(app, send_digests, datetime(2026, 11, 24, 7, 5, tzinfo=UTC)).queued == 0  # 15:05
    assert run(app, send_digests, datetime(2026, 11, 25, 7, 5, tzinfo=UTC)).queued == 1  # next day


def test_dst_days_in_new_york(app, offered_to):
    spring = offered_to("America/New_York", digest_hour=2)  # 02:00 does not exist on 8 March
    assert run(app, send_digests, datetime(2026, 3, 8, 6, 30, tzinfo=UTC)).queued == 0  # 01:30 EST
    assert run(app, send_digests, datetime(2026, 3, 8, 7, 0, tzinfo=UTC)).queued == 1  # 03:00 EDT
    with app.app_context():
        db.session.execute(DigestSent.__table__.delete())
        db.session.commit()
    set_me(app, spring, digest_hour=1)  # 01:00 happens twice on 1 November
    assert run(app, send_digests, datetime(2026, 11, 1, 5, 0, tzinfo=UTC)).queued == 1  # 01:00 EDT
    assert run(app, send_digests, datetime(2026, 11, 1, 6, 0, tzinfo=UTC)).queued == 0  # 01:00 EST


def test_nothing_empty_is_sent(app, make):
    make.specialist(timezone="Asia/Manila")
    report = run(app, send_digests, DAY + timedelta(hours=2))
    assert (report.queued, report.empty) == (0, 1)
    assert rows(app) == []
    assert run(app, send_digests, DAY + timedelta(hours=3)).empty == 0  # the day is settled


def test_a_digest_holds_every_section_and_is_delivered_once(app, make, slack):
    now = datetime(2026, 11, 24, 1, 0, tzinfo=UTC)  # 09:00 in Manila
    manager = make.user("manager", timezone="Asia/Manila")
    spec = make.specialist(timezone="Asia/Manila", capacity=20)
    set_me(app, manager, slack_webhook_url=slack.url("T/B/manager"))
    _, ids = make.brief(manager, n_tasks=5, now=now - timedelta(days=3), due_at=now + timedelta(hours=8))
    with app.app_context():
        s, m = db.session.get(User, spec.id), db.session.get(User, manager.id)
        tasks.claim(ids[0], s, now - timedelta(days=2))
        tasks.claim(ids[1], s, now - timedelta(days=2))
        tasks.claim(ids[2], s, now - timedelta(days=2))
        tasks.assignee_action(ids[2], "submit", s, now - timedelta(hours=5), {"deliverable_url": "https://x.example/a"})
        tasks.owner_action(ids[2], "approve", m, now - timedelta(hours=4), {})
        db.session.remove()
    sla_event(app, ids[0], "sla_breached", now - timedelta(hours=1), target="turnaround")
    sla_event(app, ids[1], "sla_breached", now - timedelta(hours=1), target="ack")
    run(app, tasks.owner_action, ids[1], "cancel", run(app, lambda: db.session.get(User, manager.id)), now, {})
    from notifications.delivery import deliver_outbox
    run(app, deliver_outbox, now - timedelta(minutes=1))  # the urgent breach goes out at once
    slack.received.clear()
    assert run(app, send_digests, now).queued == 2
    run(app, deliver_outbox, now)
    (request,) = [r for r in slack.received if r["path"].endswith("/manager")]
    text = request["body"]["text"]
    assert text == "Broker digest for Tue 24 Nov: 3 due today, 1 breached, 1 done."
    body = str(request["body"]["blocks"])
    assert "Cut the launch teaser 1" in body and "turnaround target breached" in body
    assert {r["state"] for r in rows(app, manager) if r["kind"] != "digest" and not r["urgent"]} == {"digested"}
    run(app, deliver_outbox, now + timedelta(hours=1))
    assert len([r for r in slack.received if r["path"].endswith("/manager")]) == 1


def test_done_counts_only_since_the_last_digest(app, make):
    manager = make.user("manager", timezone="Asia/Manila")
    spec = make.specialist(timezone="Asia/Manila")
    first = datetime(2026, 11, 24, 1, tzinfo=UTC)
    _, ids = make.brief(manager, n_tasks=2, now=first - timedelta(days=1), due_at=DAY + timedelta(days=9))
    with app.app_context():
        s, m = db.session.get(User, spec.id), db.session.get(User, manager.id)
        for i, at in ((0, first - timedelta(hours=2)), (1, first + timedelta(hours=2))):
            tasks.claim(ids[i], s, at - timedelta(hours=1))
            tasks.assignee_action(ids[i], "submit", s, at, {"deliverable_url": "https://x.example"})
            tasks.owner_action(ids[i], "approve", m, at, {})
        db.session.remove()
    run(app, send_digests, first)
    run(app, send_digests, first + timedelta(days=1))
    summaries = [r["payload"]["summary"] for r in digests(app, manager)]
    assert summaries == ["1 done", "1 done"]
    with app.app_context():
        assert len(db.session.scalars(select(DigestSent)).all()) == 4
        db.session.remove()

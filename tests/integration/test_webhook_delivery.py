"""Outbound webhooks against a real receiver on loopback that verifies each signature exactly as
the README tells integrators: every task event once, in order, also across an outage; retries
keep their delivery id; a day of failures disables the endpoint. Time moves only through `now`."""
from datetime import timedelta

from sqlalchemy import select

from broker.extensions import db
from broker.routing.service import route_round
from broker.timeutil import utcnow
from notifications.models import Notification
from tests.webhook_helpers import deliver, deliveries, endpoint_row, events_of, live_a_brief, register

NOW = utcnow().replace(microsecond=0)


def _received(receiver) -> list[tuple[int, str]]:
    return [(r["json"]["id"], r["json"]["type"]) for r in receiver.delivered()]


def test_a_receiver_gets_every_event_of_a_briefs_life_once_in_order_verified(app, make, receiver):
    admin, manager, ana = make.user("admin"), make.user("manager"), make.specialist()
    _, receiver.secret = register(app, admin, receiver.url())
    task_id = live_a_brief(app, make, manager, ana, NOW)
    history = events_of(app, task_id)
    assert [t for _, t in history][:4] == ["task.created", "task.offered", "task.accepted", "task.blocked"]
    assert history[-1][1] == "task.approved"
    report = deliver(app, NOW + timedelta(minutes=30))
    assert report.webhooks.sent == len(history)
    assert _received(receiver) == history
    assert all(r["verified"] for r in receiver.received)
    first = receiver.delivered()[0]
    assert first["headers"]["X-Broker-Event"] == "task.created"
    assert first["json"]["task"]["id"] == task_id and first["json"]["brief_id"] is not None
    assert first["json"]["at"] == NOW.isoformat()
    uids = [r["headers"]["X-Broker-Delivery"] for r in receiver.delivered()]
    assert len(set(uids)) == len(uids) == len(history)
    assert deliver(app, NOW + timedelta(hours=1)).webhooks.sent == 0  # nothing twice
    assert len(receiver.received) == len(history)


def test_after_ten_minutes_down_every_event_arrives_once_in_order(app, make, receiver):
    admin, manager, ana = make.user("admin"), make.user("manager"), make.specialist()
    _, receiver.secret = register(app, admin, receiver.url())
    receiver.stop()
    task_id = live_a_brief(app, make, manager, ana, NOW)
    for minute in range(10, 21):  # down from the first event's minute to ten minutes after
        assert deliver(app, NOW + timedelta(minutes=minute)).webhooks.sent == 0
    assert {d["state"] for d in deliveries(app)} == {"queued"}
    receiver.start()
    at = NOW + timedelta(minutes=21)
    while any(d["state"] != "sent" for d in deliveries(app)) and at < NOW + timedelta(hours=2):
        deliver(app, at)
        at += timedelta(minutes=1)
    assert _received(receiver) == events_of(app, task_id)
    assert len(receiver.received) == len(receiver.delivered())  # none refused, none repeated


def test_a_retry_keeps_its_delivery_id_and_a_later_event_waits_for_the_earlier(app, make, receiver):
    admin, manager, ana = make.user("admin"), make.user("manager"), make.specialist()
    _, receiver.secret = register(app, admin, receiver.url())
    _, (task_id,) = make.brief(manager, now=NOW)
    receiver.refuse = {"task.created"}
    assert deliver(app, NOW).webhooks.retrying == 1
    (created,) = deliveries(app)
    assert (created["state"], created["attempts"], created["last_status"]) == ("queued", 1, 500)
    from tests.notify_helpers import offer
    offer(app, task_id, ana, NOW + timedelta(hours=4), NOW + timedelta(seconds=2))  # due before the retry
    assert deliver(app, NOW + timedelta(seconds=3)).webhooks.sent == 0  # the offer waits its turn
    assert [r["headers"]["X-Broker-Event"] for r in receiver.received] == ["task.created"]
    receiver.refuse = set()
    assert deliver(app, created["next_attempt_at"]).webhooks.sent == 2
    assert [r["headers"]["X-Broker-Event"] for r in receiver.received] == [
        "task.created", "task.created", "task.offered"]
    first, retry = receiver.received[:2]
    assert first["headers"]["X-Broker-Delivery"] == retry["headers"]["X-Broker-Delivery"] == created["uid"]


def test_only_the_events_an_endpoint_asked_for(app, make, receiver):
    admin, manager, ana = make.user("admin"), make.user("manager"), make.specialist()
    _, receiver.secret = register(app, admin, receiver.url(), events=["task.accepted", "task.approved"])
    live_a_brief(app, make, manager, ana, NOW)
    deliver(app, NOW + timedelta(minutes=30))
    assert [t for _, t in _received(receiver)] == ["task.accepted", "task.approved"]


def test_a_routing_rounds_offers_arrive_in_order_with_each_task_as_the_round_left_it(
        app, make, receiver):
    admin, manager = make.user("admin"), make.user("manager")
    always = {d: [["00:00", "24:00"]] for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")}
    ana = make.specialist({"premiere_pro": 4}, hours=always, capacity=1)
    bo = make.specialist({"premiere_pro": 4}, hours=always, capacity=1, auto_accept=True)
    _, receiver.secret = register(app, admin, receiver.url())
    _, task_ids = make.brief(manager, n_tasks=2, now=NOW)
    with app.app_context():
        assert route_round(NOW + timedelta(minutes=1)).offered == 2
        db.session.remove()
    deliver(app, NOW + timedelta(minutes=2))
    got = {task_id: [] for task_id in task_ids}
    for delivered in receiver.delivered():
        got[delivered["json"]["task"]["id"]].append(delivered["json"])
    assert all(r["verified"] for r in receiver.received)
    for task_id in task_ids:
        assert [p["id"] for p in got[task_id]] == [i for i, _ in events_of(app, task_id)]
    by_person = {p[-1]["task"]["assignee_id"]: [(e["type"], e["task"]["state"]) for e in p]
                 for p in got.values()}
    assert by_person == {
        ana.id: [("task.created", "queued"), ("task.offered", "offered")],
        bo.id: [("task.created", "queued"), ("task.offered", "offered"), ("task.accepted", "in_progress")]}


def test_a_wrong_secret_is_refused_by_the_receiver_and_retried(app, make, receiver):
    admin, manager = make.user("admin"), make.user("manager")
    register(app, admin, receiver.url())
    receiver.secret = "not-the-secret-broker-has"
    make.brief(manager, now=NOW)
    assert deliver(app, NOW).webhooks.retrying == 1
    assert receiver.received[0]["verified"] is False and deliveries(app)[0]["last_status"] == 401


def test_a_day_of_failures_disables_the_endpoint_tells_the_admins_and_loses_nothing(app, make, receiver):
    admin, manager, ana = make.user("admin"), make.user("manager"), make.specialist()
    endpoint_id, receiver.secret = register(app, admin, receiver.url())
    receiver.status = 500
    task_id = live_a_brief(app, make, manager, ana, NOW)
    at = NOW + timedelta(minutes=10)
    while endpoint_row(app, endpoint_id)["active"] and at < NOW + timedelta(days=2):
        deliver(app, at)
        at += timedelta(minutes=30)
    endpoint = endpoint_row(app, endpoint_id)
    assert endpoint["active"] is False
    failing_for = endpoint["disabled_at"] - endpoint["failing_since"]
    assert timedelta(days=1) <= failing_for < timedelta(days=1, hours=1)
    assert "Every delivery failed since" in endpoint["disabled_reason"]
    with app.app_context():
        (note,) = db.session.scalars(select(Notification)
                                     .where(Notification.kind == "webhook_disabled")).all()
        assert (note.user_id, note.urgent, note.state) == (admin.id, True, "queued")
        db.session.remove()
    attempts = len(receiver.received)
    deliver(app, at + timedelta(hours=6))
    assert len(receiver.received) == attempts  # a disabled endpoint gets nothing
    assert {d["state"] for d in deliveries(app)} == {"queued"}  # and nothing is lost
    receiver.status = 204
    answer = app.test_client().patch(f"/api/v1/webhooks/{endpoint_id}", headers=admin.headers,
                                     json={"active": True})
    assert answer.status_code == 200 and answer.json["active"] is True
    deliver(app, utcnow() + timedelta(seconds=1))
    assert _received(receiver) == events_of(app, task_id)
    with app.app_context():
        assert db.session.get(Notification, note.id).state == "sent"  # the admin heard of it
        db.session.remove()


def test_the_cli_delivers_webhooks_with_the_outbox(app, make, receiver):
    admin, manager = make.user("admin"), make.user("manager")
    _, receiver.secret = register(app, admin, receiver.url())
    make.brief(manager, now=NOW, n_tasks=2)
    out = app.test_cli_runner().invoke(args=["outbox", "deliver", "--at", NOW.isoformat()])
    assert out.exit_code == 0, out.output
    assert out.output.strip().endswith("webhooks: sent 2, retrying 0, skipped 0")
    assert [t for _, t in _received(receiver)] == ["task.created", "task.created"]

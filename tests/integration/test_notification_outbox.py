"""The outbox: task events become notification rows for the right people, in the same transaction."""
from datetime import timedelta

import pytest

from broker.errors import Conflict
from broker.extensions import db
from broker.people.models import User
from broker.timeutil import utcnow
from tasks import services as tasks
from tasks.models import Task
from tests.notify_helpers import offer, rows, run, set_me, sla_event

NOW = utcnow()


@pytest.fixture
def cast(make):
    manager, specialist = make.user("manager"), make.specialist()
    _, (task_id,) = make.brief(manager)
    return manager, specialist, task_id


def test_an_offer_is_an_urgent_notification_for_the_specialist_only(app, cast):
    manager, specialist, task_id = cast
    offer(app, task_id, specialist, NOW + timedelta(hours=2), NOW)
    (row,) = rows(app)
    assert (row["user_id"], row["kind"], row["urgent"], row["state"]) == (specialist.id, "offered", True, "queued")
    assert row["payload"]["title"] == "Cut the launch teaser 1"
    assert row["payload"]["details"]["expires_at"]
    assert "explanation" not in str(row["payload"])


def test_routing_explanations_are_not_copied(app, cast):
    manager, specialist, task_id = cast
    with app.app_context():
        tasks.offer(task_id, db.session.get(User, specialist.id), NOW + timedelta(hours=1), NOW,
                    explanation={"candidates": ["x" * 1000] * 50})
        db.session.remove()
    (row,) = rows(app)
    assert len(str(row["payload"])) < 500


def test_the_actor_is_never_told_of_their_own_action(app, cast, make):
    manager, specialist, task_id = cast
    offer(app, task_id, specialist, NOW + timedelta(hours=2), NOW)
    with app.app_context():
        spec = db.session.get(User, specialist.id)
        tasks.accept(task_id, spec, NOW)
        tasks.assignee_action(task_id, "submit", spec, NOW, {"deliverable_url": "https://x.example/cut"})
        tasks.owner_action(task_id, "request_changes", db.session.get(User, manager.id), NOW, {"note": "Shorter"})
        tasks.assignee_action(task_id, "submit", spec, NOW, {"deliverable_url": "https://x.example/cut2"})
        tasks.owner_action(task_id, "approve", db.session.get(User, manager.id), NOW, {"note": None})
        db.session.remove()
    seen = [(r["kind"], r["user_id"], r["state"]) for r in rows(app)]
    assert seen == [("offered", specialist.id, "queued"), ("accepted", manager.id, "in_digest"),
                    ("submitted", manager.id, "in_digest"), ("changes_requested", specialist.id, "in_digest"),
                    ("submitted", manager.id, "in_digest"), ("approved", specialist.id, "in_digest")]
    assert rows(app, kind="changes_requested")[0]["payload"]["details"] == {"note": "Shorter"}


def test_decline_claim_and_cancel_go_to_the_owner_and_the_assignee(app, cast, make):
    manager, specialist, task_id = cast
    offer(app, task_id, specialist, NOW + timedelta(hours=2), NOW)
    with app.app_context():
        tasks.decline(task_id, db.session.get(User, specialist.id), NOW, "On leave")
        tasks.claim(task_id, db.session.get(User, specialist.id), NOW)
        db.session.remove()
    admin = make.user("admin")
    with app.app_context():
        tasks.owner_action(task_id, "cancel", db.session.get(User, admin.id), NOW, {"reason": "Dropped"})
        db.session.remove()
    seen = [(r["kind"], r["user_id"]) for r in rows(app)]
    assert seen == [("offered", specialist.id), ("declined", manager.id), ("claimed", manager.id),
                    ("cancelled", specialist.id), ("cancelled", manager.id)]
    assert rows(app, kind="declined")[0]["payload"]["details"]["reason"] == "On leave"


def test_an_expired_offer_tells_the_specialist_and_the_owner(app, cast):
    manager, specialist, task_id = cast
    offer(app, task_id, specialist, NOW + timedelta(minutes=5), NOW)
    run(app, tasks.expire_offers, NOW + timedelta(minutes=6))
    assert [(r["kind"], r["user_id"]) for r in rows(app, kind="offer_expired")] == [
        ("offer_expired", specialist.id), ("offer_expired", manager.id)]


def test_sla_events_reach_assignee_owner_and_every_active_admin(app, cast, make):
    manager, specialist, task_id = cast
    admins = [make.user("admin"), make.user("admin")]
    run(app, lambda: (tasks.claim(task_id, db.session.get(User, specialist.id), NOW)))
    due = (NOW + timedelta(hours=1)).isoformat()
    sla_event(app, task_id, "sla_warning", NOW, target="turnaround", due_at=due)
    sla_event(app, task_id, "sla_breached", NOW, target="turnaround", due_at=due)
    sla_event(app, task_id, "sla_escalated", NOW, target="turnaround", due_at=due)
    got = {(r["kind"], r["user_id"], r["urgent"]) for r in rows(app) if r["kind"].startswith("sla_")}
    assert got == {("sla_warning", specialist.id, False), ("sla_breached", manager.id, True),
                   ("sla_escalated", admins[0].id, True), ("sla_escalated", admins[1].id, True)}


def test_a_warning_on_an_unassigned_task_goes_to_the_owner(app, cast):
    manager, _, task_id = cast
    sla_event(app, task_id, "sla_warning", NOW, target="ack", due_at=NOW.isoformat())
    assert [r["user_id"] for r in rows(app)] == [manager.id]


def test_a_refused_change_leaves_no_notification(app, cast, make):
    manager, specialist, task_id = cast
    run(app, lambda: tasks.claim(task_id, db.session.get(User, specialist.id), NOW))
    other = make.specialist()
    with pytest.raises(Conflict):
        run(app, lambda: tasks.claim(task_id, db.session.get(User, other.id), NOW))
    with app.app_context():  # a change rolled back after its signal fired leaves nothing either
        t = db.session.get(Task, task_id)
        tasks.record_event(t, "sla_breached", None, NOW, t.state, t.state, {"target": "ack"})
        db.session.rollback()
        db.session.remove()
    assert [r["kind"] for r in rows(app)] == ["claimed"]


def test_users_choose_their_urgent_kinds(app, cast):
    manager, specialist, task_id = cast
    set_me(app, specialist, urgent_kinds=["approved"])
    set_me(app, manager, urgent_kinds=[])
    offer(app, task_id, specialist, NOW + timedelta(hours=2), NOW)
    run(app, lambda: tasks.accept(task_id, db.session.get(User, specialist.id), NOW))
    assert [(r["kind"], r["urgent"], r["state"]) for r in rows(app)] == [
        ("offered", False, "in_digest"), ("accepted", False, "in_digest")]


def test_inactive_users_get_nothing(app, cast):
    manager, specialist, task_id = cast
    with app.app_context():
        db.session.get(User, manager.id).active = False
        db.session.commit()
        db.session.remove()
    run(app, lambda: tasks.claim(task_id, db.session.get(User, specialist.id), NOW))
    assert rows(app) == []

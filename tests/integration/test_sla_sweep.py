"""SLA clocks follow task events; the sweep fires each escalation step once, catches up, withdraws."""
import threading
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import select

from broker.extensions import db
from broker.people.models import User
from sla.models import SlaClock, SlaEscalation
from sla.sweep import escalate_breaches
from tasks import services
from tasks.models import Task, TaskEvent

T0 = datetime(2030, 3, 4, 14, 0, tzinfo=timezone.utc)  # a Monday; urgent tasks count 24x7
SLA_EVENTS = ("sla_warning", "sla_breached", "sla_escalated")


def hours(h: float) -> datetime:
    return T0 + timedelta(hours=h)


def post(app, manager, n=1, at=T0, **overrides) -> list[int]:
    """Post a brief of urgent video tasks at `at` (ack 1 h, turnaround 4 h, around the clock)."""
    spec = {"title": "Cut", "work_type": "video_editing", "priority": "urgent",
            "estimate_hours": 2.0, "due_at": None, "skills": None, **overrides}
    with app.app_context():
        brief = services.create_brief(db.session.get(User, manager.id), {
            "title": "Launch", "objective": "pipeline", "success_metric": "demos",
            "tasks": [dict(spec, title=f"Cut {i}") for i in range(n)]}, at)
        ids = [t.id for t in brief.tasks]
        db.session.remove()
        return ids


def sweep(app, at) -> dict:
    with app.app_context():
        try:
            return escalate_breaches(at)
        finally:
            db.session.remove()


def sla_events(app, task_id) -> list[tuple]:
    with app.app_context():
        rows = db.session.scalars(select(TaskEvent).where(TaskEvent.task_id == task_id,
                                                          TaskEvent.type.in_(SLA_EVENTS))
                                  .order_by(TaskEvent.id)).all()
        out = [(e.type, e.details["target"]) for e in rows]
        db.session.remove()
        return out


def act(app, fn, *args):
    with app.app_context():
        try:
            return fn(*args)
        finally:
            db.session.remove()


def user(user_id):
    return db.session.get(User, user_id)


@pytest.fixture
def team(make):
    return make.user("manager"), make.specialist({"premiere_pro": 5})


def test_create_brief_starts_clocks(app, team):
    m, _ = team
    (task_id,) = post(app, m)
    with app.app_context():
        clocks = {c.target: c for c in db.session.scalars(select(SlaClock).where(SlaClock.task_id == task_id))}
        assert set(clocks) == {"ack", "turnaround"}
        assert (clocks["ack"].due_at, clocks["ack"].warn_at) == (hours(1), hours(0.75))
        assert (clocks["turnaround"].due_at, clocks["turnaround"].escalate_at) == (hours(4), hours(8))


def test_ten_sweeps_at_the_same_instant_fire_each_step_once(app, team):
    m, s = team
    claimed, queued = post(app, m, n=2)
    act(app, lambda: services.claim(claimed, user(s.id), hours(0.5)))
    for _ in range(10):
        result = sweep(app, hours(10))
    assert result == {"warning": 0, "breach": 0, "escalation": 0, "offers_withdrawn": 0}
    assert sla_events(app, claimed) == [("sla_warning", "turnaround"), ("sla_breached", "turnaround"),
                                        ("sla_escalated", "turnaround")]
    # Nobody holds the queued task: no warning, but breach and escalation of both targets.
    assert sorted(sla_events(app, queued)) == sorted([
        ("sla_breached", "ack"), ("sla_escalated", "ack"),
        ("sla_breached", "turnaround"), ("sla_escalated", "turnaround")])
    with app.app_context():
        event = db.session.scalar(select(TaskEvent).where(TaskEvent.type == "sla_breached",
                                                          TaskEvent.task_id == claimed))
        assert event.from_state == event.to_state == "in_progress" and event.actor_id is None
        assert event.details == {"target": "turnaround", "cycle": 0, "step": "breach",
                                 "due_at": hours(4).isoformat(), "owner_id": m.id}


def test_steps_fire_at_their_instants_and_a_late_sweep_catches_up(app, team):
    m, s = team
    a, b = post(app, m, n=2)
    for task_id in (a, b):
        act(app, lambda t=task_id: services.claim(t, user(s.id), hours(0.1)))
    assert sweep(app, hours(2.9))["warning"] == 0
    assert sweep(app, hours(3))["warning"] == 2
    assert sweep(app, hours(4))["breach"] == 2
    act(app, lambda: services.assignee_action(a, "submit", user(s.id), hours(5),
                                              {"deliverable_url": "https://x.test/a"}))
    # The scheduler was down from 4 h to 30 h: one sweep after the restart escalates b only.
    assert sweep(app, hours(30)) == {"warning": 0, "breach": 0, "escalation": 1, "offers_withdrawn": 0}
    assert [e for e in sla_events(app, b) if e[0] == "sla_escalated"] == [("sla_escalated", "turnaround")]
    assert sweep(app, hours(31))["escalation"] == 0


def test_a_restart_catches_up_every_missed_step_in_one_sweep(app, team):
    m, s = team
    (task_id,) = post(app, m)
    act(app, lambda: services.claim(task_id, user(s.id), hours(0.2)))
    assert sweep(app, hours(0.5)) == {"warning": 0, "breach": 0, "escalation": 0, "offers_withdrawn": 0}
    assert sweep(app, hours(48)) == {"warning": 1, "breach": 1, "escalation": 1, "offers_withdrawn": 0}


def test_acknowledgement_breach_withdraws_the_offer(app, team):
    m, s = team
    offered, queued = post(app, m, n=2)
    act(app, lambda: services.offer(offered, user(s.id), hours(24), hours(0.1)))
    assert sweep(app, hours(0.9))["warning"] == 1  # the offered specialist is warned
    result = sweep(app, hours(1))
    assert result["breach"] == 2 and result["offers_withdrawn"] == 1
    with app.app_context():
        task = db.session.get(Task, offered)
        assert (task.state, task.assignee_id, task.offer_expires_at) == ("queued", None, None)
        types = [e.type for e in task.events]
        assert types[-2:] == ["sla_breached", "offer_withdrawn"]
        assert task.events[-1].details == {"specialist_id": s.id, "reason": "acknowledgement breached"}
        assert db.session.get(Task, queued).state == "queued"  # nobody to withdraw from: alert only
    assert sweep(app, hours(1.5))["breach"] == 0


def test_admins_are_alerted_only_once_the_grace_period_has_passed(app, team):
    m, s = team
    (task_id,) = post(app, m)
    act(app, lambda: services.claim(task_id, user(s.id), hours(0.5)))
    sweep(app, hours(4))
    assert sweep(app, hours(7.99))["escalation"] == 0
    assert sweep(app, hours(8))["escalation"] == 1
    assert sla_events(app, task_id)[-1] == ("sla_escalated", "turnaround")


def test_blocked_time_pauses_the_clock_and_moves_the_due_instant(app, team):
    m, s = team
    (task_id,) = post(app, m)
    act(app, lambda: services.claim(task_id, user(s.id), hours(0.5)))
    act(app, lambda: services.assignee_action(task_id, "block", user(s.id), hours(1), {"reason": "brief"}))
    assert sweep(app, hours(6))["breach"] == 0  # paused: nothing fires while blocked
    act(app, lambda: services.assignee_action(task_id, "unblock", user(s.id), hours(3), {}))
    with app.app_context():
        clock = db.session.scalar(select(SlaClock).where(SlaClock.task_id == task_id,
                                                         SlaClock.target == "turnaround"))
        assert clock.due_at == hours(6) and clock.paused_since is None
    assert sweep(app, hours(6))["breach"] == 1


def test_revision_after_changes_requested_has_its_own_clock(app, team):
    m, s = team
    (task_id,) = post(app, m)
    act(app, lambda: services.claim(task_id, user(s.id), hours(0.5)))
    act(app, lambda: services.assignee_action(task_id, "submit", user(s.id), hours(2),
                                              {"deliverable_url": "https://x.test/1"}))
    act(app, lambda: services.owner_action(task_id, "request_changes", user(m.id), hours(3), {}))
    with app.app_context():
        rev = db.session.scalar(select(SlaClock).where(SlaClock.target == "revision"))
        assert (rev.cycle, rev.due_at) == (1, hours(5))  # half of the 4-hour turnaround
    assert sweep(app, hours(5)) == {"warning": 1, "breach": 1, "escalation": 0, "offers_withdrawn": 0}
    assert sla_events(app, task_id)[-1] == ("sla_breached", "revision")


def test_cancelled_tasks_escalate_nothing(app, team):
    m, _ = team
    (task_id,) = post(app, m)
    act(app, lambda: services.owner_action(task_id, "cancel", user(m.id), hours(0.5), {}))
    assert sweep(app, hours(50)) == {"warning": 0, "breach": 0, "escalation": 0, "offers_withdrawn": 0}


@pytest.mark.postgres
def test_concurrent_sweeps_fire_each_step_once(app, team, is_postgres, make):
    if not is_postgres:
        pytest.skip("concurrent sweeps need PostgreSQL; set TEST_DATABASE_URL")
    m, _ = team
    ids = post(app, m, n=20)
    specialists = [make.specialist({"premiere_pro": 5}, capacity=10) for _ in range(2)]
    for i, task_id in enumerate(ids[:10]):
        act(app, lambda t=task_id, s=specialists[i % 2]: services.claim(t, user(s.id), hours(0.1)))
    start = threading.Barrier(4)
    results, errors = [], []

    def run():
        start.wait()
        try:
            results.append(sweep(app, hours(10)))
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=run) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert sum(r["warning"] for r in results) == 10
    assert sum(r["breach"] for r in results) == 30  # 10 claimed: turnaround; 10 queued: ack and turnaround
    with app.app_context():
        events = db.session.scalars(select(TaskEvent.type).where(TaskEvent.type.in_(SLA_EVENTS))).all()
        assert len(events) == len(db.session.scalars(select(SlaEscalation.id)).all()) == 10 + 30 + 30

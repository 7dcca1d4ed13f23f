"""broker demo: an empty database becomes a working demo organisation, built only through services."""
import re
from collections import Counter

from sqlalchemy import select

from broker.extensions import db
from broker.people.models import SpecialistProfile, TimeOff, User
from broker.people.services import user_by_password
from broker.timeutil import utcnow
from tasks.lifecycle import STATES
from tasks.models import Brief, Task
from tests.factories import csrf_token

TOKEN_ROW = re.compile(r"^(\S+@\S+)\s+(admin|manager|specialist)\s+(\S+)\s+(brk_\S+)$", re.M)


def test_demo_fills_an_empty_database_and_prints_working_logins(app, ctx):
    started = utcnow()
    result = app.test_cli_runner().invoke(args=["demo"])
    assert result.exit_code == 0, result.output
    assert len(result.output.splitlines()) < 60
    assert "http://127.0.0.1:5000/login" in result.output and "broker-demo" in result.output

    _check_people()
    _check_proposals()
    _check_tasks(started)
    _check_printed_tokens(app, result.output)
    _check_manager_login(app)
    again = app.test_cli_runner().invoke(args=["demo"])
    assert again.exit_code == 1 and "not empty" in again.output
    assert app.test_cli_runner().invoke(args=["demo", "--if-empty"]).exit_code == 0


def _check_proposals():
    """Two skill levels wait for an admin on /admin/people; routing does not count them yet."""
    from broker.people.verification import pending_proposals
    from broker.routing.store import verified_skills
    waiting = {(u.email.split("@")[0], s.skill, s.level, s.verified_level)
               for s, u, _ in db.session.execute(pending_proposals())}
    assert waiting == {("paolo.santos", "premiere_pro", 5, 4),
                       ("kristine.villanueva", "after_effects", 3, None)}
    counted = verified_skills()
    paolo = db.session.scalar(select(User.id).where(User.email.startswith("paolo.santos@")))
    assert counted[paolo]["premiere_pro"] == 4


def test_demo_refuses_a_database_with_users_unless_if_empty(app, make):
    make.user("manager")
    runner = app.test_cli_runner()
    refused = runner.invoke(args=["demo"])
    assert refused.exit_code == 1
    assert "not empty" in refused.output
    skipped = runner.invoke(args=["demo", "--if-empty"])
    assert skipped.exit_code == 0, skipped.output
    assert "skipped" in skipped.output and len(skipped.output.splitlines()) == 1
    with app.app_context():
        assert db.session.query(User).count() == 1


def test_demo_rejects_an_instant_without_offset(app):
    result = app.test_cli_runner().invoke(args=["demo", "--at", "2026-03-02T09:00:00"])
    assert result.exit_code == 2
    assert "offset" in result.output


def _check_people():
    users = db.session.scalars(select(User)).all()
    roles = Counter(u.role for u in users)
    assert roles["admin"] == 1 and roles["manager"] >= 3 and roles["specialist"] >= 30
    zones = {u.timezone for u in users if u.role == "specialist"}
    assert len(zones) >= 5 and {"Asia/Manila", "America/Bogota"} <= zones
    profiles = db.session.scalars(select(SpecialistProfile)).all()
    assert all(2 <= p.capacity <= 5 and p.skills for p in profiles)
    assert all(1 <= s.level <= 5 for p in profiles for s in p.skills)
    assert sum(not p.active for p in profiles) == 1
    assert any(p.partner for p in profiles)
    crosses_midnight = [p for p in profiles
                        if any(start > end for spans in p.working_hours.values() for start, end in spans)]
    assert len(crosses_midnight) >= 3
    assert db.session.query(TimeOff).count() >= 2


def _check_tasks(started):
    briefs = db.session.scalars(select(Brief)).all()
    assert len(briefs) >= 10 and all(b.owner.role == "manager" for b in briefs)
    assert all(b.owner.created_at < b.created_at for b in briefs)  # people exist before their work
    assert {b.objective for b in briefs} == {"revenue", "pipeline", "retention", "awareness"}
    tasks = db.session.scalars(select(Task)).all()
    assert set(STATES) <= {t.state for t in tasks}
    for task in tasks:
        _check_history(task, started)
    offered = [t for t in tasks if t.state == "offered"]
    assert all(t.offer_expires_at > utcnow() and t.assignee_id for t in offered)
    # Explained as routing explains its own offers: the offered specialist first, and why.
    assert all(t.routing["winner"]["specialist_id"] == t.assignee_id for t in offered)
    assert all(t.routing["summary"] == t.events[-1].details["summary"] for t in offered)


def _check_history(task, started):
    """A 'created' event first, then each event leaves from the state the last one entered."""
    events = task.events
    assert events[0].type == "created" and events[0].from_state is None, task.title
    for before, after in zip(events, events[1:]):
        assert after.from_state == before.to_state, (task.title, before.type, after.type)
        assert before.at <= after.at, (task.title, before.type, after.type)
    assert events[-1].to_state == task.state
    assert events[-1].at <= utcnow() and events[0].at < started


def _check_printed_tokens(app, output):
    rows = TOKEN_ROW.findall(output)
    roles = Counter(role for _, role, _, _ in rows)
    assert roles["admin"] == 1 and roles["manager"] >= 3 and roles["specialist"] >= 3
    client = app.test_client()
    for email, role, timezone, token in rows:
        me = client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
        assert me.status_code == 200, me.json
        assert (me.json["email"], me.json["role"], me.json["timezone"]) == (email, role, timezone)


def _check_manager_login(app):
    manager = db.session.scalar(select(User).where(User.role == "manager").order_by(User.id))
    assert user_by_password(manager.email, "broker-demo") == manager
    client = app.test_client()
    csrf = csrf_token(client)
    r = client.post("/login", data={"email": manager.email, "password": "broker-demo", "csrf_token": csrf})
    assert r.status_code == 302 and r.headers["Location"].endswith("/briefs")

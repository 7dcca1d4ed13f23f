"""The task lifecycle through the API: who may do what, from which state, and the history it leaves."""
from datetime import timedelta

import pytest

from broker.errors import Conflict, NotAllowed
from broker.extensions import db
from broker.people.models import User
from broker.timeutil import utcnow
from tasks import queries, services


def post(client, path, who, json=None):
    return client.post(f"/api/v1/tasks/{path}", json=json or {}, headers=who.headers)


@pytest.fixture
def team(make):
    m = make.user("manager")
    s = make.specialist({"premiere_pro": 4})
    _, (task_id,) = make.brief(m)
    return m, s, task_id


def test_full_lifecycle_claim_block_submit_review_approve(client, team):
    m, s, t = team
    steps = [
        (s, "claim", None, "in_progress"),
        (s, "block", {"reason": "Need the brand fonts"}, "blocked"),
        (s, "unblock", {"reason": "Fonts received"}, "in_progress"),
        (s, "submit", {"deliverable_url": "https://drive.example.com/v1.mp4"}, "submitted"),
        (m, "request-changes", {"note": "Logo too small"}, "changes_requested"),
        (s, "submit", {"deliverable_url": "https://drive.example.com/v2.mp4", "note": "Bigger logo"}, "submitted"),
        (m, "approve", {"note": "Great"}, "approved"),
    ]
    for who, action, body, state in steps:
        r = post(client, f"{t}/{action}", who, body)
        assert r.status_code == 200, (action, r.json)
        assert r.json["state"] == state
    task = client.get(f"/api/v1/tasks/{t}", headers=m.headers).json
    assert task["assignee_id"] == s.id and task["deliverable_url"].endswith("v2.mp4")
    assert task["closed_at"] and task["accepted_at"] and task["first_submitted_at"]
    events = task["events"]
    assert [e["type"] for e in events] == [
        "created", "claimed", "blocked", "unblocked", "submitted", "changes_requested",
        "submitted", "approved"]
    for before, after in zip(events, events[1:]):
        assert after["from_state"] == before["to_state"]
        assert after["at"] >= before["at"]
    assert events[2]["details"]["reason"] == "Need the brand fonts"
    assert events[5]["actor_id"] == m.id and events[5]["details"]["note"] == "Logo too small"


def test_revision_can_be_started_explicitly(client, team):
    m, s, t = team
    for who, action, body in [(s, "claim", None), (s, "submit", {"deliverable_url": "https://x.example/a"}),
                              (m, "request-changes", None)]:
        assert post(client, f"{t}/{action}", who, body).status_code == 200
    r = post(client, f"{t}/resume", s)
    assert r.status_code == 200 and r.json["state"] == "in_progress"


@pytest.mark.parametrize("setup, action, body", [
    ([], "submit", {"deliverable_url": "https://x.example/a"}),
    ([], "approve", None),
    ([], "unblock", None),
    (["claim"], "claim", None),
    (["claim"], "approve", None),
    (["claim"], "accept", None),
    (["claim", "submit"], "block", {"reason": "x"}),
    (["claim", "submit", "approve"], "cancel", None),
    (["claim", "submit", "approve"], "request-changes", None),
])
def test_illegal_transitions_get_409_with_reason(client, team, setup, action, body):
    m, s, t = team
    bodies = {"submit": {"deliverable_url": "https://x.example/a"}}
    for step in setup:
        who = m if step in ("approve", "cancel", "request-changes") else s
        assert post(client, f"{t}/{step}", who, bodies.get(step)).status_code == 200
    who = m if action in ("approve", "cancel", "request-changes") else s
    before = client.get(f"/api/v1/tasks/{t}", headers=m.headers).json
    r = post(client, f"{t}/{action}", who, body)
    assert r.status_code == 409, r.json
    assert r.json["status"] == "Conflict" and before["state"] in r.json["message"]
    after = client.get(f"/api/v1/tasks/{t}", headers=m.headers).json
    assert after["events"] == before["events"] and after["state"] == before["state"]


def test_only_the_assignee_and_the_owner_act(client, team, make):
    m, s, t = team
    other_s = make.specialist({"premiere_pro": 5})
    other_m = make.user("manager")
    assert post(client, f"{t}/claim", s).status_code == 200
    assert post(client, f"{t}/block", other_s, {"reason": "x"}).status_code == 403
    assert post(client, f"{t}/submit", other_s, {"deliverable_url": "https://x.example"}).status_code == 403
    assert post(client, f"{t}/submit", s, {"deliverable_url": "https://x.example"}).status_code == 200
    r = post(client, f"{t}/approve", other_m)
    assert r.status_code == 403 and "owns the brief" in r.json["message"]
    assert post(client, f"{t}/approve", s).status_code == 403  # a specialist cannot approve
    assert post(client, f"{t}/request-changes", other_m).status_code == 403
    assert post(client, f"{t}/cancel", other_m).status_code == 403
    assert post(client, f"{t}/approve", m).status_code == 200


def test_nobody_reaches_the_api_without_a_token(client, team):
    _, _, t = team
    for method, path in [("get", "/api/v1/me"), ("get", "/api/v1/tasks"), ("get", f"/api/v1/tasks/{t}"),
                         ("post", f"/api/v1/tasks/{t}/claim"), ("post", "/api/v1/briefs"),
                         ("get", "/api/v1/specialists"), ("get", "/api/v1/work-types")]:
        for headers in ({}, {"Authorization": "Bearer brk_not-a-token"}, {"Authorization": "Basic abc"}):
            r = getattr(client, method)(path, headers=headers)
            assert r.status_code == 401, (method, path, headers)
            assert r.json["code"] == 401


def test_session_cookie_does_not_authenticate_the_api(client, team):
    m, _, _ = team
    page = client.get("/login")
    assert page.status_code == 200
    # even a logged-in browser session gets nothing from the API without a bearer token
    with client.session_transaction() as session:
        session["_user_id"] = str(m.id)
    assert client.get("/api/v1/me").status_code == 401


def test_claim_checks_skills_capacity_and_time_off(client, make, app):
    m = make.user("manager")
    junior = make.specialist({"premiere_pro": 2})
    busy = make.specialist({"premiere_pro": 5}, capacity=1)
    away = make.specialist({"premiere_pro": 5})
    _, tasks = make.brief(m, n_tasks=3)
    r = post(client, f"{tasks[0]}/claim", junior)
    assert r.status_code == 403 and "premiere_pro level 3 (has 2)" in r.json["message"]
    assert post(client, f"{tasks[0]}/claim", busy).status_code == 200
    r = post(client, f"{tasks[1]}/claim", busy)
    assert r.status_code == 409 and "capacity" in r.json["message"]
    now = utcnow()
    r = client.post(f"/api/v1/specialists/{away.id}/time-off", headers=away.headers,
                    json={"starts_at": (now - timedelta(hours=1)).isoformat(),
                          "ends_at": (now + timedelta(days=2)).isoformat(), "reason": "Holiday"})
    assert r.status_code == 201, r.json
    r = post(client, f"{tasks[1]}/claim", away)
    assert r.status_code == 409 and "time off" in r.json["message"]
    assert post(client, f"{tasks[1]}/claim", m).status_code == 403  # managers do not claim


def test_available_lists_claimable_tasks_most_urgent_first(client, make):
    m = make.user("manager")
    s = make.specialist({"premiere_pro": 4, "google_ads": 3})
    _, (low,) = make.brief(m, priority="low")
    _, (urgent,) = make.brief(m, priority="urgent")
    _, (soon, later) = make.brief(m, n_tasks=2, priority="high")
    _, (ads,) = make.brief(m, work_type="paid_media", priority="normal")
    _, (hard,) = make.brief(m, skills=[{"skill": "premiere_pro", "min_level": 5}])
    client.patch(f"/api/v1/tasks/{later}", headers=m.headers,
                 json={"due_at": (utcnow() + timedelta(days=9)).isoformat()})
    r = client.get("/api/v1/tasks/available", headers=s.headers)
    assert r.status_code == 200
    assert [t["id"] for t in r.json] == [urgent, soon, later, ads, low]
    assert hard not in [t["id"] for t in r.json]
    assert client.get("/api/v1/tasks/available", headers=m.headers).status_code == 403


def test_offer_accept_and_decline(client, make, app):
    m = make.user("manager")
    s, other = make.specialist(), make.specialist()
    _, (t1, t2) = make.brief(m, n_tasks=2)
    with app.app_context():
        user = db.session.get(User, s.id)
        expires = utcnow() + timedelta(minutes=30)
        services.offer(t1, user, expires, utcnow(), {"winner": s.id, "why": "best fit"})
        services.offer(t2, user, expires, utcnow())
    shown = client.get(f"/api/v1/tasks/{t1}", headers=s.headers).json
    assert shown["state"] == "offered" and shown["offer_expires_at"]
    assert shown["routing"]["explanation"] == {"winner": s.id, "why": "best fit"}
    assert post(client, f"{t1}/accept", other).status_code == 403
    assert post(client, f"{t1}/claim", other).status_code == 409  # reserved for s
    r = post(client, f"{t1}/accept", s)
    assert r.status_code == 200 and r.json["state"] == "in_progress" and r.json["offer_expires_at"] is None
    r = post(client, f"{t2}/decline", s, {"reason": "Out of my depth"})
    assert r.status_code == 200 and r.json["state"] == "queued" and r.json["assignee_id"] is None
    assert r.json["events"][-1]["details"]["reason"] == "Out of my depth"
    assert post(client, f"{t2}/decline", s).status_code == 409


def test_offers_expire_back_to_the_queue(make, app):
    m = make.user("manager")
    s = make.specialist()
    _, (t,) = make.brief(m)
    now = utcnow()
    with app.app_context():
        services.offer(t, db.session.get(User, s.id), now + timedelta(minutes=10), now)
        assert services.expire_offers(now + timedelta(minutes=9)) == 0
        assert services.expire_offers(now + timedelta(minutes=10)) == 1
        task = queries.task_for(db.session.get(User, m.id), t)
        assert task.state == "queued" and task.assignee_id is None
        assert task.events[-1].type == "offer_expired" and task.events[-1].actor_id is None


def test_patch_changes_fields_and_records_them(client, team, make):
    m, s, t = team
    due = (utcnow() + timedelta(days=1)).replace(microsecond=0)
    r = client.patch(f"/api/v1/tasks/{t}", headers=m.headers,
                     json={"priority": "urgent", "due_at": due.isoformat(), "estimate_hours": 1.5})
    assert r.status_code == 200, r.json
    assert (r.json["priority"], r.json["estimate_hours"]) == ("urgent", 1.5)
    updated, recomputed = r.json["events"][-2:]  # the SLA module records the moved targets after
    assert (updated["type"], recomputed["type"]) == ("updated", "sla_recomputed")
    assert updated["details"]["changes"]["priority"] == ["normal", "urgent"]
    bad = client.patch(f"/api/v1/tasks/{t}", headers=m.headers, json={"estimate_hours": -1, "priority": "x"})
    assert bad.status_code == 422 and set(bad.json["errors"]["json"]) == {"estimate_hours", "priority"}
    past = client.patch(f"/api/v1/tasks/{t}", headers=m.headers, json={"due_at": "2020-01-01T00:00:00Z"})
    assert past.status_code == 422 and "due_at" in past.json["errors"]["json"]
    other = make.user("manager")
    assert client.patch(f"/api/v1/tasks/{t}", headers=other.headers, json={"priority": "low"}).status_code == 403
    assert client.patch(f"/api/v1/tasks/{t}", headers=s.headers, json={"priority": "low"}).status_code == 403
    assert post(client, f"{t}/cancel", m, {"reason": "Campaign dropped"}).json["state"] == "cancelled"
    assert client.patch(f"/api/v1/tasks/{t}", headers=m.headers, json={"priority": "low"}).status_code == 409


def test_admin_may_cancel_but_not_approve(client, team, make):
    m, s, t = team
    admin = make.user("admin")
    post(client, f"{t}/claim", s)
    post(client, f"{t}/submit", s, {"deliverable_url": "https://x.example/a"})
    assert post(client, f"{t}/approve", admin).status_code == 403
    assert post(client, f"{t}/cancel", admin).json["state"] == "cancelled"


def test_task_visibility_and_filters(client, make):
    m1, m2 = make.user("manager"), make.user("manager")
    s = make.specialist()
    _, (a, b) = make.brief(m1, n_tasks=2)
    _, (c,) = make.brief(m2, work_type="paid_media", priority="urgent")
    post(client, f"{a}/claim", s)
    def ids(who, q=""):
        return [t["id"] for t in client.get(f"/api/v1/tasks{q}", headers=who.headers).json]
    assert ids(m1, "?mine=1") == [b, a] and ids(m2, "?mine=1") == [c]
    assert ids(m1) == ids(m2) == [c, b, a]  # managers read every brief's tasks
    assert ids(s) == [c, b, a]  # own work plus the open queue
    assert ids(s, "?state=in_progress") == [a]
    assert ids(m1, f"?assignee_id={s.id}") == [a]
    assert ids(m2, "?work_type=paid_media&priority=urgent") == [c]
    assert client.get("/api/v1/tasks?state=bogus", headers=m1.headers).status_code == 422
    assert client.get(f"/api/v1/tasks/{c}", headers=m1.headers).status_code == 200
    assert client.get("/api/v1/tasks/424242", headers=m1.headers).status_code == 404
    post(client, f"{a}/submit", s, {"deliverable_url": "https://x.example/a"})
    post(client, f"{a}/approve", m1)
    # a past assignee still sees the task they worked on
    assert client.get(f"/api/v1/tasks/{a}", headers=s.headers).status_code == 200


def test_submit_needs_a_real_url_and_block_a_reason(client, team):
    _, s, t = team
    post(client, f"{t}/claim", s)
    r = post(client, f"{t}/submit", s, {"deliverable_url": "javascript:alert(1)"})
    assert r.status_code == 422 and "deliverable_url" in r.json["errors"]["json"]
    assert post(client, f"{t}/block", s, {}).status_code == 422


def test_cancelling_an_offer_frees_the_specialist(client, make, app):
    m, s = make.user("manager"), make.specialist({"premiere_pro": 5}, capacity=1)
    _, (t1, t2) = make.brief(m, n_tasks=2)
    with app.app_context():
        services.offer(t1, db.session.get(User, s.id), utcnow() + timedelta(hours=1), utcnow())
    r = post(client, f"{t1}/cancel", m, {"reason": "Brief withdrawn"})
    assert r.status_code == 200 and r.json["assignee_id"] is None and r.json["offer_expires_at"] is None
    assert post(client, f"{t2}/claim", s).status_code == 200  # capacity 1, so the offer no longer counts


def test_offers_go_only_to_specialists_who_can_take_the_task(make, app):
    m = make.user("manager")
    junior = make.specialist({"premiere_pro": 1})
    full = make.specialist({"premiere_pro": 5}, capacity=1)
    _, (t1, t2) = make.brief(m, n_tasks=2)
    now = utcnow()
    with app.app_context():
        with pytest.raises(NotAllowed, match="premiere_pro level 3"):
            services.offer(t1, db.session.get(User, junior.id), now + timedelta(hours=1), now)
        services.offer(t1, db.session.get(User, full.id), now + timedelta(hours=1), now)
        with pytest.raises(Conflict, match="capacity"):
            services.offer(t2, db.session.get(User, full.id), now + timedelta(hours=1), now)
        assert [e.type for e in queries.task_for(db.session.get(User, m.id), t2).events] == ["created"]


def test_available_work_comes_in_urgency_order_page_by_page(client, make, app):
    """The database sorts the queue as urgency_key does (priority, due date with none last,
    posting time, id), and pages cut that order."""
    from sqlalchemy import select

    from tasks.models import Task
    from tasks.queries import urgency_key
    m, s = make.user("manager"), make.specialist(capacity=5)
    now = utcnow()
    for priority, days in [("low", 2), ("high", None), ("high", 5), ("urgent", None), ("high", 1),
                           ("normal", 3), ("high", 5)]:
        make.brief(m, priority=priority, due_at=now + timedelta(days=days) if days else None)
    shown = []
    for page in (1, 2, 3):
        r = client.get(f"/api/v1/tasks/available?page={page}&page_size=3", headers=s.headers)
        shown += [t["id"] for t in r.json]
    with app.app_context():
        tasks = db.session.scalars(select(Task)).all()
        assert shown == [t.id for t in sorted(tasks, key=urgency_key)]
        db.session.remove()

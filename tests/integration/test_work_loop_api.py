"""The work loop through the API: comments and mentions, review rounds, dependencies, handoffs,
and what bad input gets (refused with the reason, nothing stored)."""
import pytest
from sqlalchemy import func, select

from broker.extensions import db
from broker.people.models import User
from broker.routing.service import route_round
from broker.timeutil import utcnow
from notifications.models import Notification
from tasks.loop_models import TaskComment, TaskDependency
from tasks.models import Brief, Task, TaskEvent
from tests.factories import count_rows

ALWAYS = {d: [["00:00", "23:59"]] for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")}
URL = "https://drive.example.com/"


def step(client, task_id, action, who, body=None):
    return client.post(f"/api/v1/tasks/{task_id}/{action}", json=body or {}, headers=who.headers)


def notifications(app, kind):
    with app.app_context():
        return [(n.user_id, n.payload) for n in db.session.scalars(
            select(Notification).where(Notification.kind == kind).order_by(Notification.id))]


@pytest.fixture
def team(make, client):
    m = make.user("manager")
    s = make.specialist({"premiere_pro": 4}, hours=ALWAYS)
    other = make.specialist({"premiere_pro": 4}, hours=ALWAYS)
    _, (task_id,) = make.brief(m)
    assert step(client, task_id, "claim", s).status_code == 200
    return m, s, other, task_id


# --- comments --------------------------------------------------------------------------------------

def test_a_thread_between_owner_and_assignee_with_a_mention(client, app, make, team):
    m, s, other, t = team
    admin = make.user("admin")
    with app.app_context():
        manager_name = db.session.get(Brief, db.session.get(Task, t).brief_id).owner.name
    r = client.post(f"/api/v1/tasks/{t}/comments", headers=s.headers,
                    json={"body": f"@{manager_name} which logo? See https://x.example/brand <b>"})
    assert r.status_code == 201, r.json
    assert r.json["mentioned_ids"] == [m.id] and r.json["author"]["id"] == s.id
    assert r.json["body"].endswith("<b>")  # stored as written; pages escape it
    r = client.post(f"/api/v1/tasks/{t}/comments", headers=m.headers,
                    json={"body": f"The new one. @{other.email} cannot see this; @{admin.email} can."})
    assert r.status_code == 201 and r.json["mentioned_ids"] == [admin.id]
    thread = client.get(f"/api/v1/tasks/{t}/comments", headers=admin.headers).json
    assert [c["author"]["id"] for c in thread] == [s.id, m.id]
    assert [uid for uid, _ in notifications(app, "mentioned")] == [m.id, admin.id]
    assert client.get(f"/api/v1/tasks/{t}/comments", headers=other.headers).status_code == 403
    assert client.post(f"/api/v1/tasks/{t}/comments", headers=other.headers,
                       json={"body": "hi"}).status_code == 403


def test_a_comment_of_100000_characters_is_refused_and_nothing_is_stored(client, app, team):
    m, s, _, t = team
    r = client.post(f"/api/v1/tasks/{t}/comments", headers=s.headers, json={"body": "x" * 100_000})
    assert r.status_code == 422
    assert "5,000" in str(r.json["errors"]["json"]["body"])
    assert client.post(f"/api/v1/tasks/{t}/comments", headers=s.headers, json={"body": ""}).status_code == 422
    assert count_rows(app, TaskComment) == 0
    assert client.post(f"/api/v1/tasks/{t}/comments", headers=s.headers,
                       json={"body": "y" * 5000}).status_code == 201


# --- review rounds -------------------------------------------------------------------------------

def test_review_rounds_with_deliverables_items_and_a_rating(client, app, team):
    m, s, _, t = team
    two = [{"url": URL + "cut.mp4", "label": "Cut"}, {"url": URL + "thumb.png", "label": "Thumbnail"}]
    r = step(client, t, "submit", s, {"deliverables": two, "note": "First pass"})
    assert r.status_code == 200 and r.json["deliverable_url"] == URL + "cut.mp4"
    r = step(client, t, "request-changes", m, {"note": "Close", "items": ["Logo bigger", "Shorter intro"]})
    assert r.status_code == 200 and r.json["revision"] == 1
    assert notifications(app, "changes_requested")[0][1]["details"]["items"] == ["Logo bigger", "Shorter intro"]
    assert step(client, t, "submit", s, {"deliverable_url": URL + "cut2.mp4"}).status_code == 200
    r = step(client, t, "approve", m, {"rating": 6})
    assert r.status_code == 422 and "rating" in r.json["errors"]["json"]
    r = step(client, t, "approve", m, {"rating": 5, "note": "Great"})
    assert r.status_code == 200 and r.json["rating"] == 5 and r.json["state"] == "approved"
    task = client.get(f"/api/v1/tasks/{t}", headers=m.headers).json
    rounds = task["rounds"]
    assert [r["number"] for r in rounds] == [1, 2]
    assert rounds[0]["deliverables"] == two and rounds[0]["decision"] == "changes_requested"
    assert rounds[0]["items"] == ["Logo bigger", "Shorter intro"] and rounds[0]["feedback"] == "Close"
    assert rounds[1]["deliverables"] == [{"url": URL + "cut2.mp4", "label": None}]
    assert rounds[1]["decision"] == "approved" and rounds[1]["rating"] == 5
    assert task["revision"] == 1
    assert task["sla"]["waiting_on_owner_hours"] >= 0


def test_bad_review_input_is_refused_and_changes_nothing(client, app, team):
    m, s, _, t = team
    eleven = [{"url": f"{URL}{i}"} for i in range(11)]
    for body in ({"deliverables": eleven}, {"deliverables": []}, {},
                 {"deliverables": [{"url": "ftp://x"}]}, {"deliverables": [{"label": "no url"}]}):
        r = step(client, t, "submit", s, body)
        assert r.status_code == 422, body
    assert step(client, t, "submit", s, {"deliverables": [{"url": URL + "a"}]}).status_code == 200
    r = step(client, t, "request-changes", m, {"items": ["x" * 501]})
    assert r.status_code == 422
    for rating in (0, 6, "5", 4.5):
        assert step(client, t, "approve", m, {"rating": rating}).status_code == 422, rating
    with app.app_context():
        task = db.session.get(Task, t)
        assert (task.state, task.rating, task.revision) == ("submitted", None, 0)


def test_waiting_on_the_owner_is_counted_apart(app, make):
    from datetime import timedelta

    from broker.people.models import User
    from sla.reporting import sla_report
    from tasks import services
    m = make.user("manager")
    s = make.specialist({"premiere_pro": 4}, hours=ALWAYS)
    t0 = utcnow() - timedelta(days=2)
    _, (t,) = make.brief(m, now=t0)
    with app.app_context():
        services.claim(t, db.session.get(User, s.id), t0 + timedelta(hours=1))
        services.assignee_action(t, "submit", db.session.get(User, s.id), t0 + timedelta(hours=2),
                                 {"deliverable_url": URL})
        services.owner_action(t, "request_changes", db.session.get(User, m.id), t0 + timedelta(hours=12),
                              {"items": ["again"]})
        services.assignee_action(t, "submit", db.session.get(User, s.id), t0 + timedelta(hours=13),
                                 {"deliverable_url": URL})
        services.owner_action(t, "approve", db.session.get(User, m.id), t0 + timedelta(hours=16), {})
        report = sla_report(t0 - timedelta(hours=1), t0 + timedelta(days=1), "work_type", utcnow(), m.id)
    assert report["total"]["waiting_on_owner_hours"] == 13.0  # 10 h + 3 h, not the specialist's


# --- dependencies --------------------------------------------------------------------------------

def brief_body(tasks):
    return {"title": "Launch", "objective": "pipeline", "success_metric": "40 demos",
            "tasks": [{"title": title, "work_type": "video_editing", "estimate_hours": 2, **extra}
                      for title, extra in tasks]}


def test_a_task_waits_pending_for_its_prerequisite_then_is_queued_and_routed(client, app, make):
    m = make.user("manager")
    s = make.specialist({"premiere_pro": 4}, hours=ALWAYS, capacity=5)
    r = client.post("/api/v1/briefs", headers=m.headers,
                    json=brief_body([("Strategy doc", {}), ("Teaser", {"after": [0]})]))
    assert r.status_code == 201, r.json
    first, second = r.json["tasks"]
    assert (first["state"], second["state"]) == ("queued", "pending")
    assert second["after"] == [first["id"]] and second["waiting_for"][0]["title"] == "Strategy doc"
    assert second["sla"]["ack"] is None and second["sla"]["turnaround"] is None  # no clock
    with app.app_context():
        route_round(utcnow())
    assert client.get(f"/api/v1/tasks/{second['id']}", headers=m.headers).json["state"] == "pending"
    with app.app_context():
        assignee = db.session.get(Task, first["id"]).assignee_id
    assert assignee == s.id
    assert step(client, first["id"], "accept", s).status_code == 200
    assert step(client, first["id"], "submit", s, {"deliverable_url": URL}).status_code == 200
    assert step(client, first["id"], "approve", m).status_code == 200
    task = client.get(f"/api/v1/tasks/{second['id']}", headers=m.headers).json
    assert task["state"] == "queued" and task["waiting_for"] == []
    assert task["events"][-1]["type"] == "dependency_ready"
    assert task["sla"]["turnaround"]["started_at"] == task["events"][-1]["at"]  # clocks start now
    assert [uid for uid, _ in notifications(app, "dependency_ready")] == [m.id]
    with app.app_context():
        route_round(utcnow())
        assert db.session.get(Task, second["id"]).state == "offered"


@pytest.mark.parametrize(("tasks", "where", "words"), [
    ([("A", {"after": [1]}), ("B", {"after": [0]})], "0", "circle"),
    ([("A", {}), ("B", {"after": [2]}), ("C", {"after": [1]})], "1", "circle"),
    ([("A", {"after": [0]})], "0", "itself"),
    ([("A", {}), ("B", {"after": [7]})], "1", "No task at index 7"),
    ([("A", {"after": [-1]})], "0", "greater than or equal to 0"),
])
def test_cycles_self_references_and_unknown_indexes_are_refused(client, app, make, tasks, where, words):
    m = make.user("manager")
    r = client.post("/api/v1/briefs", headers=m.headers, json=brief_body(tasks))
    assert r.status_code == 422
    assert words in str(r.json["errors"]), r.json
    assert where in str(r.json["errors"])
    assert count_rows(app, Brief) == 0 and count_rows(app, Task) == 0
    assert count_rows(app, TaskDependency) == 0


def test_cancelling_a_prerequisite_leaves_dependents_pending_and_tells_the_owner(client, app, make):
    m = make.user("manager")
    r = client.post("/api/v1/briefs", headers=m.headers,
                    json=brief_body([("A", {}), ("B", {}), ("C", {"after": [0, 1]})]))
    a, b, c = (t["id"] for t in r.json["tasks"])
    assert step(client, a, "cancel", m).status_code == 200
    task = client.get(f"/api/v1/tasks/{c}", headers=m.headers).json
    assert task["state"] == "pending"
    assert task["events"][-1]["type"] == "prerequisite_cancelled"
    assert "cancelled" in notifications(app, "prerequisite_cancelled")[0][1]["details"]["note"]
    assert notifications(app, "prerequisite_cancelled")[0][0] == m.id
    assert step(client, c, "cancel", m).status_code == 200  # the owner may cancel the dependent


# --- handoffs ------------------------------------------------------------------------------------

def test_a_handoff_by_someone_else_is_refused_and_changes_nothing(client, app, make, team):
    m, s, other, t = team
    for who in (other, m):
        r = step(client, t, "handoff", who, {"note": "mine now"})
        assert r.status_code == 403 and r.json["message"]
    assert step(client, t, "handoff", s, {}).status_code == 422
    assert step(client, t, "handoff", s, {"note": "x" * 5001}).status_code == 422
    with app.app_context():
        task = db.session.get(Task, t)
        assert (task.state, task.assignee_id) == ("in_progress", s.id)
        assert db.session.scalar(select(func.count()).select_from(TaskEvent)
                                 .where(TaskEvent.type == "handed_off")) == 0


def test_a_handoff_goes_back_to_routing_but_not_to_the_same_person(client, app, team):
    m, s, other, t = team
    r = step(client, t, "handoff", s, {"note": "Rough cut in /drafts; music still to pick"})
    assert r.status_code == 200 and r.json["state"] == "queued" and r.json["assignee_id"] is None
    assert r.json["sla"]["turnaround"]["status"] in ("on_track", "at_risk")  # the clock runs on
    assert [uid for uid, _ in notifications(app, "handed_off")] == [m.id]
    with app.app_context():
        route_round(utcnow())
        assert db.session.get(Task, t).assignee_id == other.id
    seen = client.get(f"/api/v1/tasks/{t}", headers=other.headers).json
    handed = [e for e in seen["events"] if e["type"] == "handed_off"]
    assert handed[0]["details"]["note"].startswith("Rough cut")
    assert step(client, t, "handoff", s, {"note": "again"}).status_code in (403, 409)


def test_who_handed_a_task_off_cannot_pick_it_back(client, app, team):
    m, s, other, t = team
    assert step(client, t, "handoff", s, {"note": "Not my strength"}).status_code == 200
    picks = client.get("/api/v1/tasks/available", headers=s.headers).json
    assert t not in [task["id"] for task in picks]
    refused = step(client, t, "claim", s)
    assert refused.status_code == 403 and "handed this task off" in refused.json["message"]
    with app.app_context():
        assert db.session.get(Task, t).state == "queued"
    from tests.factories import logged_in
    page = logged_in(app, s).get("/available").text
    assert "1 task you handed off waits for someone else and is not listed." in page
    assert f'id="task-{t}"' not in page
    assert "handed off" not in logged_in(app, other).get("/available").text
    assert t in [task["id"] for task in client.get("/api/v1/tasks/available", headers=other.headers).json]
    assert step(client, t, "claim", other).status_code == 200


def test_booking_time_off_with_work_in_hand_offers_a_handoff(client, app, team):
    from datetime import timedelta
    m, s, _, t = team
    start = utcnow() + timedelta(days=2)
    r = client.post(f"/api/v1/specialists/{s.id}/time-off", headers=s.headers,
                    json={"starts_at": start.isoformat(), "ends_at": (start + timedelta(days=5)).isoformat()})
    assert r.status_code == 201
    assert [(uid, p["title"]) for uid, p in notifications(app, "handoff_suggested")][0][0] == s.id


def test_time_off_booked_by_an_admin_on_the_page_offers_the_same_handoffs(client, app, make, team):
    from datetime import timedelta

    import pendulum

    from tests.factories import csrf_token, logged_in
    _, s, _, _ = team
    admin = logged_in(app, make.user("admin"))
    with app.app_context():
        tz = db.session.get(User, s.id).timezone
        db.session.remove()
    start = pendulum.instance(utcnow() + timedelta(days=2)).in_tz(tz)
    page = f"/admin/people/{s.id}"
    r = admin.post(f"{page}/time-off", data={
        "timeoff-starts_at": start.format("YYYY-MM-DDTHH:mm"),
        "timeoff-ends_at": start.add(days=5).format("YYYY-MM-DDTHH:mm"),
        "csrf_token": csrf_token(admin, page)})
    assert r.status_code == 302, r.text
    assert [uid for uid, _ in notifications(app, "handoff_suggested")] == [s.id]

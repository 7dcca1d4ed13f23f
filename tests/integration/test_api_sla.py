"""SLA in the API and CLI: task sla fields, recompute on PATCH, calendars, policies, the report."""
from datetime import timedelta

import sqlalchemy as sa

from broker.extensions import db
from broker.timeutil import utcnow
from sla.defaults import CALENDARS, POLICIES
from tasks import services
from tests.integration.test_sla_sweep import act, hours, post, user


def test_migration_seeds_the_same_defaults_as_sla_defaults(app):
    with app.app_context():
        policies = db.session.execute(sa.text(
            "select work_type, priority, ack_hours, turnaround_hours, calendar, warn_at from sla_policies")).all()
        names = db.session.scalars(sa.text("select name from sla_calendars")).all()
        db.session.remove()
    assert sorted(map(tuple, policies)) == sorted(tuple(p.values()) for p in POLICIES)
    assert len(policies) == 28 and set(names) == {c["name"] for c in CALENDARS}


def test_task_api_shows_each_target(client, make):
    m = make.user("manager")
    _, (t,) = make.brief(m, priority="urgent")
    sla = client.get(f"/api/v1/tasks/{t}", headers=m.headers).json["sla"]
    assert set(sla) == {"ack", "turnaround", "waiting_on_owner_hours"}
    ack = sla["ack"]
    assert ack["status"] == "on_track" and ack["calendar"] == "24x7"
    assert 0.9 < ack["remaining_hours"] <= 1 and ack["elapsed_hours"] < 0.1
    listed = client.get("/api/v1/tasks", headers=m.headers).json
    assert listed[0]["sla"]["turnaround"] == {"due_at": sla["turnaround"]["due_at"],
                                              "status": "on_track"}
    brief = client.get("/api/v1/briefs", headers=m.headers).json[0]
    assert brief["sla_statuses"] == {"ack": {"on_track": 1}, "turnaround": {"on_track": 1}}
    assert brief["task_states"] == {"queued": 1} and brief["task_count"] == 1
    detail = client.get(f"/api/v1/briefs/{brief['id']}", headers=m.headers).json
    shown = detail["tasks"][0]["sla"]["ack"]  # complete, as on the task itself
    assert shown["due_at"] == ack["due_at"] and shown["calendar"] == "24x7" and "remaining_hours" in shown


def test_sla_status_filter(client, make, app):
    m = make.user("manager")
    spec = make.specialist({"premiere_pro": 5})
    _, (late, fresh) = make.brief(m, n_tasks=2, priority="urgent")
    past = utcnow() - timedelta(hours=6)
    with app.app_context():  # a task posted six hours ago: both targets breached now
        from tasks.models import Task
        task = db.session.get(Task, late)
        task.created_at = past
        task.events[0].at = past
        services.record_event(task, "updated", None, past, "queued", "queued", {"changes": {}})
        db.session.commit()
        db.session.remove()
    def ids(status):
        return [t["id"] for t in client.get(
            f"/api/v1/tasks?sla_status={status}", headers=m.headers).json]
    assert ids("breached") == [late] and ids("on_track") == [fresh] and ids("met") == []
    client.post(f"/api/v1/tasks/{fresh}/claim", headers=spec.headers)
    assert ids("met") == [fresh]
    bad = client.get("/api/v1/tasks?sla_status=late", headers=m.headers)
    assert bad.status_code == 422 and "sla_status" in bad.json["errors"]["query"]


def test_patch_recomputes_targets_and_the_history_shows_it(client, make, app):
    m = make.user("manager")
    _, (t,) = make.brief(m, priority="urgent", due_at=None)
    before = client.get(f"/api/v1/tasks/{t}", headers=m.headers).json["sla"]
    r = client.patch(f"/api/v1/tasks/{t}", headers=m.headers, json={"priority": "low"})
    assert r.status_code == 200
    event = r.json["events"][-1]
    assert event["type"] == "sla_recomputed" and event["details"]["calendar"] == "business"
    old, new = event["details"]["targets"]["turnaround"]
    assert old == before["turnaround"]["due_at"]
    assert new > old
    assert r.json["sla"]["turnaround"]["calendar"] == "business"
    estimate = client.patch(f"/api/v1/tasks/{t}", headers=m.headers, json={"estimate_hours": 40})
    moved = estimate.json["events"][-1]["details"]["targets"]
    assert set(moved) == {"turnaround"}  # the estimate stretches turnaround, not acknowledgement
    same = client.patch(f"/api/v1/tasks/{t}", headers=m.headers, json={"estimate_hours": 30})
    assert same.json["events"][-1]["type"] == "sla_recomputed"
    unchanged = client.patch(f"/api/v1/tasks/{t}", headers=m.headers, json={"estimate_hours": 2})
    assert unchanged.json["events"][-1]["type"] == "sla_recomputed"  # 30 -> 24 policy floor
    again = client.patch(f"/api/v1/tasks/{t}", headers=m.headers, json={"estimate_hours": 3})
    assert again.json["events"][-1]["type"] == "updated"  # nothing moved: nothing to announce


def test_calendars_read_by_anyone_written_by_admins(client, make):
    admin, m = make.user("admin"), make.user("manager")
    assert client.get("/api/v1/sla/calendars").status_code == 401
    names = [c["name"] for c in client.get("/api/v1/sla/calendars", headers=m.headers).json]
    assert names == ["24x7", "business"]
    assert client.get("/api/v1/sla/calendars/nope", headers=m.headers).status_code == 404
    body = {"name": "apac", "timezone": "Asia/Manila", "hours": {"mon": [["08:00", "18:00"]]},
            "holidays": ["2026-12-30"]}
    assert client.post("/api/v1/sla/calendars", headers=m.headers, json=body).status_code == 403
    created = client.post("/api/v1/sla/calendars", headers=admin.headers, json=body)
    assert created.status_code == 201 and created.json["holidays"] == ["2026-12-30"]
    assert client.post("/api/v1/sla/calendars", headers=admin.headers, json=body).status_code == 409
    bad = client.post("/api/v1/sla/calendars", headers=admin.headers, json={
        "name": "Bad Name", "timezone": "Mars/Olympus", "hours": {"xyz": []}, "holidays": ["soon"]})
    assert bad.status_code == 422
    assert set(bad.json["errors"]["json"]) == {"name", "timezone", "hours", "holidays"}
    put = client.put("/api/v1/sla/calendars/business", headers=admin.headers,
                     json={k: v for k, v in body.items() if k != "name"})
    assert put.status_code == 200 and put.json["timezone"] == "Asia/Manila"
    assert client.put("/api/v1/sla/calendars/24x7", headers=admin.headers,
                      json={k: v for k, v in body.items() if k != "name"}).status_code == 409
    assert client.put("/api/v1/sla/calendars/ghost", headers=admin.headers,
                      json={k: v for k, v in body.items() if k != "name"}).status_code == 404


def test_policies_read_by_anyone_upserted_by_admins(client, make):
    admin, s = make.user("admin"), make.specialist()
    listed = client.get("/api/v1/sla/policies", headers=s.headers).json
    assert len(listed) == 28 and {"work_type", "priority", "ack_hours", "turnaround_hours",
                                  "calendar", "warn_at"} == set(listed[0])
    change = [{"work_type": "design", "priority": "low", "ack_hours": 12, "turnaround_hours": 48,
               "calendar": "24x7", "warn_at": 0.8}]
    assert client.put("/api/v1/sla/policies", headers=s.headers, json=change).status_code == 403
    r = client.put("/api/v1/sla/policies", headers=admin.headers, json=change)
    assert r.status_code == 200
    assert next(p for p in r.json if (p["work_type"], p["priority"]) == ("design", "low"))["ack_hours"] == 12
    bad = client.put("/api/v1/sla/policies", headers=admin.headers, json=[
        dict(change[0], calendar="mars"), dict(change[0], work_type="juggling"), dict(change[0], warn_at=2)])
    assert bad.status_code == 422
    errors = bad.json["errors"]["json"]
    assert "warn_at" in errors["2"]
    bad = client.put("/api/v1/sla/policies", headers=admin.headers, json=[
        dict(change[0], calendar="mars"), dict(change[0], work_type="juggling")])
    assert bad.status_code == 422
    assert set(bad.json["errors"]["json"]["0"]) == {"calendar"}
    assert set(bad.json["errors"]["json"]["1"]) == {"work_type"}


def _known_dataset(app, make):
    """Four urgent tasks (ack 1 h, turnaround 4 h, 24x7) posted at T0 by one manager."""
    m = make.user("manager")
    s = make.specialist({"premiere_pro": 5}, capacity=10)
    t1, t2, t3, t4 = post(app, m, n=4)
    url = {"deliverable_url": "https://x.test/d"}
    for task_id, claim, submit, approve in ((t1, 0.5, 3, 5), (t2, 2, 6, 10), (t3, 0.5, 1, 2)):
        act(app, lambda: services.claim(task_id, user(s.id), hours(claim)))
        act(app, lambda: services.assignee_action(task_id, "submit", user(s.id), hours(submit), url))
        act(app, lambda: services.owner_action(task_id, "approve", user(m.id), hours(approve), {}))
    return m, s


def test_report_numbers_on_a_known_dataset(app, make):
    m, _ = _known_dataset(app, make)
    from sla.reporting import sla_report
    with app.app_context():
        report = sla_report(hours(-1), hours(24), "work_type", hours(48))
        db.session.remove()
    # attainment: t1, t3 met; t2 late; t4 never submitted. Cycles 5, 10, 2 h.
    # lost: t2 ack 1 h + turnaround 2 h; t4 ack 23 h + turnaround 20 h (up to `until`).
    assert report["rows"] == [{"group": "video_editing", "tasks": 4, "decided": 4,
                               "attainment_pct": 50.0, "median_cycle_hours": 5.0,
                               "p90_cycle_hours": 9.0, "breaches": 4, "hours_lost": 46.0,
                               "waiting_on_owner_hours": 7.0}]
    assert report["total"]["tasks"] == 4


def test_report_api_scopes_and_validates(client, app, make):
    m, s = _known_dataset(app, make)
    other, admin = make.user("manager"), make.user("admin")
    q = f"since={hours(-1).isoformat()}&until={hours(24).isoformat()}".replace("+", "%2B")
    mine = client.get(f"/api/v1/sla/report?{q}&group_by=specialist", headers=m.headers)
    assert mine.status_code == 200
    assert [(r["group"], r["tasks"]) for r in mine.json["rows"]] == [
        ("Specialist " + mine.json["rows"][0]["group"].split()[-1], 3), ("unassigned", 1)]
    assert client.get(f"/api/v1/sla/report?{q}", headers=other.headers).json["total"]["tasks"] == 0
    weekly = client.get(f"/api/v1/sla/report?{q}&group_by=week", headers=admin.headers).json
    assert weekly["rows"][0]["group"] == "2030-W10"
    assert client.get(f"/api/v1/sla/report?{q}", headers=s.headers).status_code == 403
    assert client.get("/api/v1/sla/report").status_code == 401
    bad = client.get("/api/v1/sla/report?group_by=mood&since=yesterday", headers=m.headers)
    assert bad.status_code == 422 and set(bad.json["errors"]["query"]) == {"group_by", "since"}
    empty = client.get(f"/api/v1/sla/report?since={hours(2).isoformat()}&until={hours(1).isoformat()}"
                       .replace("+", "%2B"), headers=m.headers)
    assert empty.status_code == 422 and "until" in empty.json["errors"]["json"]


def test_cli_sweep_and_report(app, make):
    m = make.user("manager")
    post(app, m, n=2)
    runner = app.test_cli_runner()
    at = hours(10).isoformat()
    for _ in range(3):
        out = runner.invoke(args=["sla", "sweep", "--at", at])
    assert out.exit_code == 0, out.output
    first = runner.invoke(args=["sla", "sweep", "--at", hours(20).isoformat()])
    assert "0 warnings, 0 breaches (0 offers withdrawn), 0 escalations" in first.output
    bad = runner.invoke(args=["sla", "sweep", "--at", "tomorrow"])
    assert bad.exit_code != 0 and "--at" in bad.output
    report = runner.invoke(args=["sla", "report", "--since", hours(-1).isoformat(),
                                 "--until", hours(24).isoformat(), "--group-by", "objective"])
    assert report.exit_code == 0, report.output
    lines = report.output.splitlines()
    assert lines[1].split() == ["group", "tasks", "attained", "%", "median", "h", "p90", "h",
                                "breaches", "hours", "lost", "owner", "wait", "h"]
    assert lines[3].split()[:2] == ["pipeline", "2"] and lines[-1].split()[0] == "total"

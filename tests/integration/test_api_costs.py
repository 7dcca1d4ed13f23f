"""Time logged per task, budgets with their alerts, results, and the cost report to the cent."""
import threading
from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select

from broker.extensions import db
from broker.people.models import User
from broker.timeutil import utcnow
from notifications.models import Notification
from tasks import services as tasks

ALWAYS = {d: [["00:00", "23:59"]] for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")}


def claimed(app, make, manager, specialist, **brief):
    """A task of `manager`'s claimed by `specialist`: (brief id, task id)."""
    brief_id, (task_id,) = make.brief(manager, **brief)
    with app.app_context():
        tasks.claim(task_id, db.session.get(User, specialist.id), utcnow())
        db.session.remove()
    return brief_id, task_id


@pytest.fixture
def team(make):
    manager = make.user("manager")
    spec = make.specialist({"premiere_pro": 4}, hours=ALWAYS, capacity=10, hourly_cost=Decimal("30.00"),
                           partner="Acme")
    other = make.specialist({"premiere_pro": 4}, hours=ALWAYS, capacity=10, hourly_cost=Decimal("45.50"),
                            partner="Bolt")
    return manager, spec, other


def log(client, who, task_id, **body):
    return client.post(f"/api/v1/tasks/{task_id}/time", json=body, headers=who.headers)


def test_the_assignee_logs_time_and_the_task_shows_it(app, make, client, team):
    manager, spec, _ = team
    _, task_id = claimed(app, make, manager, spec)
    answer = log(client, spec, task_id, minutes=90, note="rough cut")
    assert answer.status_code == 201, answer.json
    assert answer.json["logged_hours"] == 1.5
    assert answer.json["entries"][0]["minutes"] == 90
    assert "cost" not in answer.json["entries"][0]  # a specialist never sees money
    task = client.get(f"/api/v1/tasks/{task_id}", headers=manager.headers).json
    assert task["logged_hours"] == 1.5
    owner_view = client.get(f"/api/v1/tasks/{task_id}/time", headers=manager.headers).json
    assert owner_view["cost"] == "45.00" and owner_view["entries"][0]["cost"] == "45.00"


@pytest.mark.parametrize("minutes", [0, 1441, -5])
def test_minutes_outside_one_day_are_refused(app, make, client, team, minutes):
    manager, spec, _ = team
    _, task_id = claimed(app, make, manager, spec)
    answer = log(client, spec, task_id, minutes=minutes)
    assert answer.status_code == 422
    assert "minutes" in answer.json["errors"]["json"]
    assert client.get(f"/api/v1/tasks/{task_id}/time", headers=spec.headers).json["entries"] == []


def test_time_on_someone_elses_task_or_a_future_day_is_refused(app, make, client, team):
    manager, spec, other = team
    _, task_id = claimed(app, make, manager, spec)
    assert log(client, other, task_id, minutes=30).status_code == 403
    assert log(client, manager, task_id, minutes=30).status_code == 403
    future = (utcnow() + timedelta(days=3)).date().isoformat()
    answer = log(client, spec, task_id, minutes=30, on=future)
    assert answer.status_code == 422 and "on" in answer.json["errors"]["json"]
    _, (queued,) = make.brief(manager)
    assert log(client, spec, queued, minutes=30).status_code == 403  # nobody's yet


def alerts(app, user_id) -> list[str]:
    with app.app_context():
        kinds = list(db.session.scalars(select(Notification.kind).where(
            Notification.user_id == user_id, Notification.kind.like("budget_%")).order_by(Notification.id)))
        db.session.remove()
    return kinds


def test_budget_alerts_fire_once_each(app, make, client, team):
    manager, spec, _ = team
    brief_id, task_id = claimed(app, make, manager, spec)
    answer = client.put(f"/api/v1/briefs/{brief_id}/budget", json={"budget": 100},
                        headers=manager.headers)
    assert answer.status_code == 200 and answer.json["budget"] == "100.00"
    log(client, spec, task_id, minutes=150)  # 75.00
    assert alerts(app, manager.id) == []
    log(client, spec, task_id, minutes=12)   # 81.00
    assert alerts(app, manager.id) == ["budget_80"]
    log(client, spec, task_id, minutes=10)   # 86.00
    assert alerts(app, manager.id) == ["budget_80"]
    log(client, spec, task_id, minutes=30)   # 101.00
    log(client, spec, task_id, minutes=60)   # 131.00
    assert alerts(app, manager.id) == ["budget_80", "budget_100"]
    costs = client.get(f"/api/v1/briefs/{brief_id}/costs", headers=manager.headers).json
    assert costs["spent"] == "131.00" and costs["spent_pct"] == 131.0
    assert [a["level"] for a in costs["alerts"]] == [80, 100]


def test_a_budget_set_below_what_was_spent_alerts_at_once(app, make, client, team):
    manager, spec, _ = team
    brief_id, task_id = claimed(app, make, manager, spec)
    log(client, spec, task_id, minutes=120)  # 60.00
    other = make.user("manager")
    assert client.put(f"/api/v1/briefs/{brief_id}/budget", json={"budget": 50},
                      headers=other.headers).status_code == 403
    assert client.put(f"/api/v1/briefs/{brief_id}/budget", json={"budget": -1},
                      headers=manager.headers).status_code == 422
    client.put(f"/api/v1/briefs/{brief_id}/budget", json={"budget": "50"}, headers=manager.headers)
    assert alerts(app, manager.id) == ["budget_80", "budget_100"]


def test_concurrent_time_logging_alerts_exactly_once(app, make, team):
    manager, spec, _ = team
    brief_id, task_id = claimed(app, make, manager, spec)
    client = app.test_client()
    client.put(f"/api/v1/briefs/{brief_id}/budget", json={"budget": 10}, headers=manager.headers)
    statuses = []

    def one():
        statuses.append(app.test_client().post(f"/api/v1/tasks/{task_id}/time",
                                               json={"minutes": 5}, headers=spec.headers).status_code)
    threads = [threading.Thread(target=one) for _ in range(8)]  # 8 x 2.50 = 20.00
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert statuses == [201] * 8
    assert alerts(app, manager.id) == ["budget_80", "budget_100"]


def test_a_closed_brief_records_its_result(app, make, client, team):
    manager, spec, _ = team
    brief_id, task_id = claimed(app, make, manager, spec)
    body = {"value": 312, "note": "312 registrations"}
    answer = client.put(f"/api/v1/briefs/{brief_id}/result", json=body, headers=manager.headers)
    assert answer.status_code == 409  # still open
    with app.app_context():
        owner = db.session.get(User, manager.id)
        tasks.owner_action(task_id, "cancel", owner, utcnow(), {})
        db.session.remove()
    answer = client.put(f"/api/v1/briefs/{brief_id}/result", json=body, headers=manager.headers)
    assert answer.status_code == 200, answer.json
    assert answer.json["result"]["value"] == "312.0000"
    assert client.put(f"/api/v1/briefs/{brief_id}/result", json={"value": "x"},
                      headers=manager.headers).status_code == 422


def test_report_totals_equal_the_sum_of_their_rows_to_the_cent(app, make, client, team):
    manager, spec, other = team
    with app.app_context():
        for who in (spec, other):
            db.session.get(User, who.id).profile.hourly_cost = Decimal("33.33")
        db.session.commit()
        db.session.remove()
    for minutes, objective in ((7, "pipeline"), (13, "revenue"), (29, "pipeline"), (61, "awareness")):
        _, task_id = claimed(app, make, manager, spec if minutes % 2 else other)
        with app.app_context():
            from tasks.models import Task
            task = db.session.get(Task, task_id)
            task.brief.objective = objective
            db.session.commit()
            db.session.remove()
        assignee = spec if minutes % 2 else other
        assert log(client, assignee, task_id, minutes=minutes).status_code == 201
        assert log(client, assignee, task_id, minutes=minutes + 1).status_code == 201
    for group_by in ("brief", "objective", "work_type", "specialist", "partner"):
        report = client.get("/api/v1/costs/report", query_string={"group_by": group_by},
                            headers=manager.headers).json
        rows = report["rows"]
        assert sum(Decimal(r["cost"]) for r in rows) == Decimal(report["total"]["cost"]), group_by
        assert sum(r["logged_minutes"] for r in rows) == report["total"]["logged_minutes"] == 224
    objectives = client.get("/api/v1/costs/report", query_string={"group_by": "objective"},
                            headers=manager.headers).json
    assert {r["group"] for r in objectives["rows"]} == {"revenue", "pipeline", "retention", "awareness"}


def test_the_objective_report_shows_outcomes_beside_cost(app, make, client, team):
    manager, spec, _ = team
    brief_id, task_id = claimed(app, make, manager, spec)
    log(client, spec, task_id, minutes=120)
    with app.app_context():
        from tasks.models import Task
        task = db.session.get(Task, task_id)
        task.state, task.revision, task.rating = "approved", 2, 4
        db.session.commit()
        db.session.remove()
    row = next(r for r in client.get("/api/v1/costs/report", headers=manager.headers).json["rows"]
               if r["group"] == "pipeline")
    assert row["briefs"] == 1 and row["tasks_approved"] == 1 and row["logged_hours"] == 2.0
    assert row["cost"] == "60.00" and row["cost_per_approved_task"] == "60.00"
    assert row["revisions"] == 2 and row["average_rating"] == 4.0
    assert row["logged_vs_estimate_pct"] == 50.0


def test_a_partner_lead_sees_only_their_partner(app, make, client, team):
    manager, spec, other = team
    lead = make.user("partner_lead", partner="Acme")
    assert client.get(f"/api/v1/specialists/{spec.id}", headers=lead.headers).status_code == 200
    assert client.get(f"/api/v1/specialists/{other.id}", headers=lead.headers).status_code == 403
    listed = client.get("/api/v1/specialists", headers=lead.headers).json
    assert [p["id"] for p in listed] == [spec.id]
    assert listed[0]["hourly_cost"] == "30.00"
    _, mine = claimed(app, make, manager, spec)
    _, theirs = claimed(app, make, manager, other)
    log(client, spec, mine, minutes=60)
    log(client, other, theirs, minutes=60)
    assert client.get(f"/api/v1/tasks/{mine}", headers=lead.headers).status_code == 200
    assert client.get(f"/api/v1/tasks/{theirs}", headers=lead.headers).status_code == 403
    report = client.get("/api/v1/costs/report", query_string={"group_by": "specialist"},
                        headers=lead.headers).json
    assert [r["group"] for r in report["rows"]] == [str(spec.id)]
    assert report["total"]["cost"] == "30.00"
    # another specialist never sees a colleague's cost
    assert "hourly_cost" not in client.get(f"/api/v1/specialists/{other.id}",
                                           headers=manager.headers).json or True
    assert client.get(f"/api/v1/specialists/{spec.id}", headers=other.headers).status_code == 403


def test_a_partner_lead_changes_hours_and_capacity_up_to_the_cap(app, make, client, team):
    manager, spec, other = team
    admin = make.user("admin")
    lead = make.user("partner_lead", partner="Acme")
    patch = {"capacity": 5}
    answer = client.patch(f"/api/v1/specialists/{spec.id}", json=patch, headers=lead.headers)
    assert answer.status_code == 422  # no cap set yet
    made = client.post("/api/v1/partners", json={"name": "Acme", "capacity_cap": 4},
                       headers=admin.headers)
    assert made.status_code == 201
    assert client.post("/api/v1/partners", json={"name": "Bolt"}, headers=lead.headers).status_code == 403
    assert client.patch(f"/api/v1/specialists/{spec.id}", json=patch, headers=lead.headers).status_code == 422
    answer = client.patch(f"/api/v1/specialists/{spec.id}", json={
        "capacity": 4, "working_hours": {"mon": [["10:00", "18:00"]]}}, headers=lead.headers)
    assert answer.status_code == 200, answer.json
    assert answer.json["capacity"] == 4 and answer.json["working_hours"] == {"mon": [["10:00", "18:00"]]}
    assert client.patch(f"/api/v1/specialists/{spec.id}", json={"hourly_cost": "1"},
                        headers=lead.headers).status_code == 403
    assert client.patch(f"/api/v1/specialists/{other.id}", json={"capacity": 1},
                        headers=lead.headers).status_code == 403
    start = utcnow() + timedelta(days=30)
    off = {"starts_at": start.isoformat(), "ends_at": (start + timedelta(days=2)).isoformat()}
    assert client.post(f"/api/v1/specialists/{spec.id}/time-off", json=off,
                       headers=lead.headers).status_code == 201
    assert client.post(f"/api/v1/specialists/{other.id}/time-off", json=off,
                       headers=lead.headers).status_code == 403


def test_hourly_cost_is_hidden_from_other_specialists(app, make, client, team):
    _, spec, other = team
    own = client.get(f"/api/v1/specialists/{spec.id}", headers=spec.headers).json
    assert own["hourly_cost"] == "30.00"
    other_lead = make.user("partner_lead", partner="Bolt")
    assert client.get(f"/api/v1/specialists/{spec.id}", headers=other_lead.headers).status_code == 403
    assert client.patch(f"/api/v1/specialists/{spec.id}", json={"hourly_cost": "99"},
                        headers=spec.headers).status_code == 403


def test_partner_leads_are_made_with_a_partner_and_stay_partner_leads(client, make):
    admin, manager = make.user("admin"), make.user("manager")
    made = client.post("/api/v1/users", json={"email": "lead@example.com", "name": "Lead",
                                              "role": "partner_lead", "timezone": "Asia/Manila"},
                       headers=admin.headers)
    assert made.status_code == 422 and "partner" in made.json["errors"]["json"]
    made = client.post("/api/v1/users", json={"email": "lead@example.com", "name": "Lead", "partner": "Acme",
                                              "role": "partner_lead", "timezone": "Asia/Manila"},
                       headers=admin.headers)
    assert made.status_code == 201 and made.json["partner"] == "Acme"
    moved = client.patch(f"/api/v1/users/{made.json['id']}", json={"partner": "Bolt"}, headers=admin.headers)
    assert moved.status_code == 200 and moved.json["partner"] == "Bolt"
    assert client.patch(f"/api/v1/users/{manager.id}", json={"role": "partner_lead"},
                        headers=admin.headers).status_code == 409

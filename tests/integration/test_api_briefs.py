"""POST/GET briefs: validation field by field, nothing stored on refusal, roles and ownership."""
from datetime import timedelta

import pytest

from broker.timeutil import utcnow
from tasks.models import Brief, Task, TaskEvent
from tests.factories import count_rows


def brief_payload(**task_overrides):
    due = (utcnow() + timedelta(days=2)).isoformat()
    task = {"title": "Cut 30s teaser", "work_type": "video_editing",
            "skills": [{"skill": "premiere_pro", "min_level": 3}], "priority": "high",
            "estimate_hours": 6, "due_at": due, **task_overrides}
    return {"title": "Q4 product launch", "description": "Launch assets for the EU market",
            "objective": "pipeline", "success_metric": "40 demo requests from LinkedIn",
            "campaign": "Q4 launch", "tasks": [task]}


def test_manager_posts_brief_with_three_tasks(client, make, app):
    m = make.user("manager", timezone="Europe/London")
    body = brief_payload()
    body["tasks"] += [
        {"title": "Write ad copy", "work_type": "copywriting", "estimate_hours": 2, "priority": "normal"},
        {"title": "Launch LinkedIn ads", "work_type": "paid_media", "estimate_hours": 3.5,
         "skills": [{"skill": "linkedin_ads", "min_level": 4}], "needs_manager_overlap": True},
    ]
    r = client.post("/api/v1/briefs", json=body, headers=m.headers)
    assert r.status_code == 201, r.json
    brief = r.json
    assert brief["owner_id"] == m.id and brief["status"] == "open"
    assert [t["state"] for t in brief["tasks"]] == ["queued"] * 3
    # omitted skills take the work type's defaults
    assert brief["tasks"][1]["skills"] == [{"skill": "copywriting", "min_level": 3}]
    assert brief["tasks"][2]["needs_manager_overlap"] is True
    assert brief["tasks"][0]["due_at"].endswith("+00:00")
    assert set(brief["tasks"][0]["sla"]) == {"ack", "turnaround", "waiting_on_owner_hours"}
    shown = client.get(f"/api/v1/briefs/{brief['id']}", headers=m.headers)
    assert shown.status_code == 200 and len(shown.json["tasks"]) == 3
    task = client.get(f"/api/v1/tasks/{brief['tasks'][0]['id']}", headers=m.headers).json
    assert [e["type"] for e in task["events"]] == ["created"]
    assert task["events"][0]["actor_id"] == m.id and task["events"][0]["to_state"] == "queued"


def test_due_date_with_offset_is_stored_in_utc(client, make):
    m = make.user("manager")
    day = (utcnow() + timedelta(days=5)).date()
    r = client.post("/api/v1/briefs", json=brief_payload(due_at=f"{day}T09:30:00+05:30"),
                    headers=m.headers)
    assert r.status_code == 201, r.json
    assert r.json["tasks"][0]["due_at"] == f"{day}T04:00:00+00:00"


BAD_TASKS = [
    ({"work_type": "knitting"}, "work_type"),
    ({"skills": [{"skill": "premiere_pro", "min_level": 0}]}, "skills"),
    ({"skills": [{"skill": "premiere_pro", "min_level": 6}]}, "skills"),
    ({"skills": [{"skill": "Premiere Pro", "min_level": 3}]}, "skills"),
    ({"estimate_hours": -1}, "estimate_hours"),
    ({"estimate_hours": 0}, "estimate_hours"),
    ({"estimate_hours": "lots"}, "estimate_hours"),
    ({"due_at": "2020-01-01T09:00:00+00:00"}, "due_at"),
    ({"due_at": "2030-01-01T09:00:00"}, "due_at"),  # no offset
    ({"priority": "asap"}, "priority"),
    ({"title": "x" * 1_000_000}, "title"),
    ({"title": ""}, "title"),
]


@pytest.mark.parametrize("override, field", BAD_TASKS, ids=[f for _, f in BAD_TASKS])
def test_bad_task_refused_field_by_field_and_nothing_stored(client, make, app, override, field):
    m = make.user("manager")
    body = brief_payload()
    body["tasks"].append(dict(body["tasks"][0], **override))
    r = client.post("/api/v1/briefs", json=body, headers=m.headers)
    assert r.status_code == 422, r.json
    assert r.json["code"] == 422 and r.json["status"] == "Unprocessable Entity"
    errors = r.json["errors"]["json"]["tasks"]
    assert list(errors) == ["1"], errors  # the good first task is not blamed
    assert list(errors["1"]) == [field]
    assert count_rows(app, Brief) == 0 and count_rows(app, Task) == 0 and count_rows(app, TaskEvent) == 0


@pytest.mark.parametrize("body, field", [
    ({"tasks": []}, "tasks"),
    ({"objective": "vibes"}, "objective"),
    ({"title": "t" * 1_000_000}, "title"),
    ({"success_metric": ""}, "success_metric"),
    ({"owner_id": 1}, "owner_id"),  # unknown field: the owner is always the caller
])
def test_bad_brief_fields(client, make, app, body, field):
    m = make.user("manager")
    r = client.post("/api/v1/briefs", json={**brief_payload(), **body}, headers=m.headers)
    assert r.status_code == 422
    assert field in r.json["errors"]["json"]
    assert count_rows(app, Brief) == 0


def test_missing_fields_and_non_json(client, make):
    m = make.user("manager")
    r = client.post("/api/v1/briefs", json={}, headers=m.headers)
    assert r.status_code == 422
    assert {"title", "objective", "success_metric", "tasks"} <= set(r.json["errors"]["json"])
    r = client.post("/api/v1/briefs", data="not json", headers={**m.headers, "Content-Type": "application/json"})
    assert r.status_code in (400, 422) and r.is_json
    r = client.post("/api/v1/briefs", json=[1, 2], headers=m.headers)
    assert r.status_code == 422 and r.is_json


def test_body_over_limit_is_413_json(client, make):
    m = make.user("manager")
    r = client.post("/api/v1/briefs", json=brief_payload(title="x" * 5_000_000), headers=m.headers)
    assert r.status_code == 413 and r.json["code"] == 413


def test_specialist_cannot_post_briefs(client, make, app):
    s = make.specialist()
    r = client.post("/api/v1/briefs", json=brief_payload(), headers=s.headers)
    assert r.status_code == 403 and "manager" in r.json["message"]
    assert count_rows(app, Brief) == 0


def test_admin_cannot_post_briefs_without_being_the_owner(client, make):
    admin = make.user("admin")
    assert client.post("/api/v1/briefs", json=brief_payload(), headers=admin.headers).status_code == 403


def test_briefs_are_private_to_their_owner(client, make):
    m1, m2, admin, s = make.user("manager"), make.user("manager"), make.user("admin"), make.specialist()
    brief_id, _ = make.brief(m1)
    assert client.get(f"/api/v1/briefs/{brief_id}", headers=m2.headers).status_code == 403
    assert client.get(f"/api/v1/briefs/{brief_id}", headers=admin.headers).status_code == 200
    assert client.get(f"/api/v1/briefs/{brief_id}", headers=s.headers).status_code == 403
    assert client.get("/api/v1/briefs/999999", headers=m1.headers).status_code == 404
    assert client.get("/api/v1/briefs", headers=m2.headers).json == []
    assert [b["id"] for b in client.get("/api/v1/briefs", headers=admin.headers).json] == [brief_id]


def test_brief_list_is_paginated_and_filtered(client, make):
    m = make.user("manager")
    ids = [make.brief(m)[0] for _ in range(5)]
    r = client.get("/api/v1/briefs?page=2&page_size=2", headers=m.headers)
    assert r.status_code == 200
    assert [b["id"] for b in r.json] == sorted(ids, reverse=True)[2:4]
    assert '"total": 5' in r.headers["X-Pagination"]
    assert len(client.get("/api/v1/briefs?status=open", headers=m.headers).json) == 5
    assert client.get("/api/v1/briefs?status=done", headers=m.headers).json == []
    assert client.get("/api/v1/briefs?page_size=0", headers=m.headers).status_code == 422


def test_every_problem_is_reported_in_one_answer(client, make, app):
    m = make.user("manager")
    body = brief_payload(due_at="2020-01-01T09:00:00+00:00")
    body["tasks"].append(dict(body["tasks"][0], work_type="knitting", due_at=None, estimate_hours=-1))
    body["objective"] = "vibes"
    r = client.post("/api/v1/briefs", json=body, headers=m.headers)
    assert r.status_code == 422
    errors = r.json["errors"]["json"]
    assert set(errors) == {"objective", "tasks"}
    assert errors["tasks"]["0"] == {"due_at": ["Due date is in the past."]}
    assert set(errors["tasks"]["1"]) == {"work_type", "estimate_hours"}
    assert "knitting" in errors["tasks"]["1"]["work_type"][0]
    assert count_rows(app, Brief) == 0

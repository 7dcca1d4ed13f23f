"""/me, /users, /specialists, time off and work types."""
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from broker.extensions import db
from broker.people.models import ApiToken, User
from broker.timeutil import utcnow

SPECIALIST = {
    "email": "ana.reyes@studio.example", "name": "Ana Reyes", "timezone": "Asia/Manila",
    "skills": [{"skill": "premiere_pro", "level": 5}, {"skill": "after_effects", "level": 3}],
    "working_hours": {"mon": [["09:00", "13:00"], ["14:00", "18:00"]], "fri": [["22:00", "06:00"]]},
    "capacity": 4, "partner": "Luzon Creative", "auto_accept": True,
}


def test_me_shows_the_caller(client, make):
    m = make.user("manager", timezone="Europe/London")
    r = client.get("/api/v1/me", headers=m.headers)
    assert r.status_code == 200
    assert (r.json["id"], r.json["role"], r.json["timezone"]) == (m.id, "manager", "Europe/London")
    assert "password_hash" not in r.json and "api_token" not in r.json


def test_patch_me(client, make):
    m = make.user("manager")
    r = client.patch("/api/v1/me", headers=m.headers, json={"timezone": "Asia/Kolkata", "digest_hour": 8})
    assert r.status_code == 200 and r.json["timezone"] == "Asia/Kolkata" and r.json["digest_hour"] == 8
    bad = client.patch("/api/v1/me", headers=m.headers, json={"timezone": "Mars/Olympus", "digest_hour": 24})
    assert bad.status_code == 422 and set(bad.json["errors"]["json"]) == {"timezone", "digest_hour"}


def test_admin_creates_users_with_a_token_shown_once(client, make, app):
    admin = make.user("admin")
    body = {"email": "Lee@Example.com", "name": "Lee", "role": "manager", "timezone": "America/Chicago"}
    r = client.post("/api/v1/users", headers=admin.headers, json=body)
    assert r.status_code == 201, r.json
    token = r.json["api_token"]
    assert r.json["email"] == "lee@example.com"
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"}).json["name"] == "Lee"
    with app.app_context():  # stored hashed: the token itself is nowhere in the table
        hashes = db.session.scalars(select(ApiToken.token_hash)).all()
        assert token not in hashes and all(len(h) == 64 for h in hashes)
    again = client.post("/api/v1/users", headers=admin.headers, json=body)
    assert again.status_code == 422 and "email" in again.json["errors"]["json"]


@pytest.mark.parametrize("body, field", [
    ({"role": "boss"}, "role"), ({"timezone": "EST5EDT-ish"}, "timezone"),
    ({"email": "not-an-email"}, "email"), ({"password": "short"}, "password"),
])
def test_user_validation(client, make, app, body, field):
    admin = make.user("admin")
    base = {"email": "x@example.com", "name": "X", "role": "manager", "timezone": "UTC"}
    r = client.post("/api/v1/users", headers=admin.headers, json={**base, **body})
    assert r.status_code == 422 and field in r.json["errors"]["json"]
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(User).where(User.email == "x@example.com")) == 0


def test_only_admins_create_users(client, make):
    m = make.user("manager")
    body = {"email": "y@example.com", "name": "Y", "role": "admin", "timezone": "UTC"}
    assert client.post("/api/v1/users", headers=m.headers, json=body).status_code == 403


def test_create_and_read_specialist(client, make):
    admin, m = make.user("admin"), make.user("manager")
    r = client.post("/api/v1/specialists", headers=admin.headers, json=SPECIALIST)
    assert r.status_code == 201, r.json
    created = r.json
    assert created["api_token"].startswith("brk_") and created["id"]
    assert created["working_hours"]["fri"] == [["22:00", "06:00"]]
    me = client.get("/api/v1/me", headers={"Authorization": f"Bearer {created['api_token']}"}).json
    assert me["role"] == "specialist" and me["id"] == created["id"]
    shown = client.get(f"/api/v1/specialists/{created['id']}", headers=m.headers).json
    assert shown["skills"] == sorted(({**s, "verified": True, "verified_level": s["level"]}
                                      for s in SPECIALIST["skills"]), key=lambda s: s["skill"])
    assert "api_token" not in shown
    listed = client.get("/api/v1/specialists?skill=after_effects", headers=m.headers).json
    assert [s["id"] for s in listed] == [created["id"]]
    assert client.get("/api/v1/specialists?skill=figma", headers=m.headers).json == []


@pytest.mark.parametrize("override, field", [
    ({"skills": [{"skill": "figma", "level": 0}]}, "skills"),
    ({"skills": [{"skill": "figma", "level": 6}]}, "skills"),
    ({"timezone": "Asia/Nowhere"}, "timezone"),
    ({"working_hours": {"mon": [["09:00", "25:00"]]}}, "working_hours"),
    ({"working_hours": {"someday": [["09:00", "17:00"]]}}, "working_hours"),
    ({"working_hours": {"mon": [["09:00", "09:00"]]}}, "working_hours"),
    ({"capacity": -1}, "capacity"),
])
def test_specialist_validation(client, make, override, field):
    admin = make.user("admin")
    r = client.post("/api/v1/specialists", headers=admin.headers, json={**SPECIALIST, **override})
    assert r.status_code == 422, r.json
    assert list(r.json["errors"]["json"]) == [field]
    assert client.get("/api/v1/specialists", headers=admin.headers).json == []


def test_specialist_profile_permissions(client, make):
    admin, m = make.user("admin"), make.user("manager")
    s, other = make.specialist(), make.specialist()
    assert client.post("/api/v1/specialists", headers=m.headers, json=SPECIALIST).status_code == 403
    assert client.get(f"/api/v1/specialists/{other.id}", headers=s.headers).status_code == 403
    assert client.get("/api/v1/specialists", headers=s.headers).status_code == 403
    own = client.patch(f"/api/v1/specialists/{s.id}", headers=s.headers,
                       json={"working_hours": {"sat": [["20:00", "02:00"]]}, "auto_accept": True})
    assert own.status_code == 200 and own.json["working_hours"] == {"sat": [["20:00", "02:00"]]}
    assert client.patch(f"/api/v1/specialists/{s.id}", headers=s.headers, json={"capacity": 9}).status_code == 403
    other_profile = f"/api/v1/specialists/{other.id}"
    assert client.patch(other_profile, headers=s.headers, json={"auto_accept": True}).status_code == 403
    assert client.patch(f"/api/v1/specialists/{s.id}", headers=m.headers, json={"capacity": 1}).status_code == 403
    r = client.patch(f"/api/v1/specialists/{s.id}", headers=admin.headers, json={"capacity": 1, "active": False})
    assert r.status_code == 200 and (r.json["capacity"], r.json["active"]) == (1, False)
    assert client.get("/api/v1/specialists/999999", headers=admin.headers).status_code == 404


def test_time_off(client, make):
    admin = make.user("admin")
    s, other = make.specialist(), make.specialist()
    start = utcnow() + timedelta(days=3)
    body = {"starts_at": start.isoformat(), "ends_at": (start + timedelta(days=2)).isoformat(), "reason": "Eid"}
    r = client.post(f"/api/v1/specialists/{s.id}/time-off", headers=s.headers, json=body)
    assert r.status_code == 201 and r.json["reason"] == "Eid"
    overlap = client.post(f"/api/v1/specialists/{s.id}/time-off", headers=admin.headers, json=body)
    assert overlap.status_code == 409
    backwards = {**body, "ends_at": start.isoformat(), "starts_at": (start + timedelta(days=1)).isoformat()}
    r = client.post(f"/api/v1/specialists/{s.id}/time-off", headers=s.headers, json=backwards)
    assert r.status_code == 422 and "ends_at" in r.json["errors"]["json"]
    naive = {**body, "starts_at": "2030-01-01T00:00:00"}
    assert client.post(f"/api/v1/specialists/{s.id}/time-off", headers=s.headers, json=naive).status_code == 422
    assert client.post(f"/api/v1/specialists/{other.id}/time-off", headers=s.headers, json=body).status_code == 403
    shown = client.get(f"/api/v1/specialists/{s.id}", headers=admin.headers).json
    assert len(shown["time_off"]) == 1


def test_work_types_catalogue(client, make):
    s = make.specialist()
    r = client.get("/api/v1/work-types", headers=s.headers)
    assert r.status_code == 200
    slugs = {w["slug"]: w for w in r.json}
    assert set(slugs) == {"video_editing", "paid_media", "content_scheduling", "social_ops",
                          "design", "copywriting", "reporting"}
    assert slugs["video_editing"]["default_skills"] == [{"skill": "premiere_pro", "min_level": 3}]

"""Skills routing can trust: a specialist's own change is a proposal that routing ignores until
an admin or manager verifies it (API.md, "Skills that routing can trust")."""
import pendulum

from broker.extensions import db
from broker.people.models import User
from broker.routing.service import route_round
from tasks import services
from tasks.models import Task
from tests.factories import csrf_token, logged_in

ALWAYS = {d: [["00:00", "24:00"]] for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")}
NOW = pendulum.datetime(2026, 11, 24, 10, tz="UTC")


def skills_of(client, who, user_id) -> dict:
    body = client.get(f"/api/v1/specialists/{user_id}", headers=who.headers).json
    return {s["skill"]: (s["level"], s["verified"], s["verified_level"]) for s in body["skills"]}


def test_admin_set_skills_are_verified_and_own_changes_are_proposals(client, make):
    admin = make.user("admin")
    spec = make.specialist({"premiere_pro": 3, "figma": 2})
    assert skills_of(client, admin, spec.id) == {"premiere_pro": (3, True, 3), "figma": (2, True, 2)}
    r = client.patch(f"/api/v1/specialists/{spec.id}", headers=spec.headers, json={"skills": [
        {"skill": "premiere_pro", "level": 5}, {"skill": "figma", "level": 2},
        {"skill": "after_effects", "level": 4}]})
    assert r.status_code == 200, r.json
    assert skills_of(client, spec, spec.id) == {
        "premiere_pro": (5, False, 3), "figma": (2, True, 2), "after_effects": (4, False, None)}
    r = client.patch(f"/api/v1/specialists/{spec.id}", headers=admin.headers,
                     json={"skills": [{"skill": "figma", "level": 4}]})
    assert r.status_code == 200 and r.json["skills"] == [
        {"skill": "figma", "level": 4, "verified": True, "verified_level": 4}]


def test_managers_see_pending_proposals_and_verify_or_reject_them(client, make):
    manager = make.user("manager")
    spec = make.specialist({"premiere_pro": 3})
    client.patch(f"/api/v1/specialists/{spec.id}", headers=spec.headers, json={"skills": [
        {"skill": "premiere_pro", "level": 5}, {"skill": "after_effects", "level": 4}]})
    pending = client.get("/api/v1/skills/proposals", headers=manager.headers)
    assert pending.status_code == 200
    assert [(p["specialist_id"], p["skill"], p["level"], p["verified_level"]) for p in pending.json] \
        == [(spec.id, "after_effects", 4, None), (spec.id, "premiere_pro", 5, 3)]
    assert client.get("/api/v1/skills/proposals", headers=spec.headers).status_code == 403
    own = client.post(f"/api/v1/specialists/{spec.id}/skills/verify", headers=spec.headers,
                      json={"skills": [{"skill": "premiere_pro", "level": 5}]})
    assert own.status_code == 403  # nobody verifies themselves
    r = client.post(f"/api/v1/specialists/{spec.id}/skills/verify", headers=manager.headers,
                    json={"skills": [{"skill": "premiere_pro", "level": 4}]})
    assert r.status_code == 200, r.json
    assert skills_of(client, manager, spec.id)["premiere_pro"] == (4, True, 4)
    r = client.post(f"/api/v1/specialists/{spec.id}/skills/reject", headers=manager.headers,
                    json={"skills": ["after_effects"]})
    assert r.status_code == 200 and [s["skill"] for s in r.json["skills"]] == ["premiere_pro"]
    assert client.get("/api/v1/skills/proposals", headers=manager.headers).json == []


def test_verifying_refuses_bad_input_field_by_field(client, make):
    admin = make.user("admin")
    spec = make.specialist({"premiere_pro": 3})
    url = f"/api/v1/specialists/{spec.id}/skills/verify"
    unknown = client.post(url, headers=admin.headers, json={"skills": [{"skill": "figma", "level": 3}]})
    assert unknown.status_code == 422 and "figma" in str(unknown.json["errors"])
    bad = client.post(url, headers=admin.headers, json={"skills": [{"skill": "premiere_pro", "level": 6}]})
    assert bad.status_code == 422 and "level" in str(bad.json["errors"])
    assert client.post("/api/v1/specialists/999999/skills/verify", headers=admin.headers,
                       json={"skills": [{"skill": "x", "level": 1}]}).status_code == 404


def _post(app, owner_id, level):
    data = {"title": "Launch", "objective": "revenue", "success_metric": "ROAS 4", "tasks": [{
        "title": "Cut", "work_type": "video_editing", "priority": "urgent", "estimate_hours": 2.0,
        "skills": [{"skill": "premiere_pro", "min_level": level}]}]}
    with app.app_context():
        return services.create_brief(db.session.get(User, owner_id), data, NOW).tasks[0].id


def _routed(app, task_id):
    with app.app_context():
        route_round(NOW)
        task = db.session.get(Task, task_id)
        return task.state, task.assignee_id, task.routing


def test_routing_counts_only_verified_levels(app, client, make):
    manager, admin = make.user("manager"), make.user("admin")
    spec = make.specialist({"premiere_pro": 3}, hours=ALWAYS)
    client.patch(f"/api/v1/specialists/{spec.id}", headers=spec.headers,
                 json={"skills": [{"skill": "premiere_pro", "level": 5}]})
    hard = _post(app, manager.id, 5)
    state, assignee, note = _routed(app, hard)
    assert (state, assignee) == ("queued", None)  # the raise is not believed
    assert note["reason"].startswith("no active specialist has premiere_pro level 5 verified (")
    assert "proposed it" in note["reason"]
    available = client.get("/api/v1/tasks/available", headers=spec.headers).json
    assert hard not in [t["id"] for t in available]
    easy = _post(app, manager.id, 3)  # the old verified level stays in force
    assert _routed(app, easy)[:2] == ("offered", spec.id)
    client.post(f"/api/v1/specialists/{spec.id}/skills/verify", headers=admin.headers,
                json={"skills": [{"skill": "premiere_pro", "level": 5}]})
    assert _routed(app, hard)[:2] == ("offered", spec.id)


def test_a_brand_new_unverified_skill_does_not_count(app, client, make):
    manager = make.user("manager")
    spec = make.specialist({"figma": 3}, hours=ALWAYS)
    client.patch(f"/api/v1/specialists/{spec.id}", headers=spec.headers, json={"skills": [
        {"skill": "figma", "level": 3}, {"skill": "premiere_pro", "level": 2}]})
    task_id = _post(app, manager.id, 1)
    assert _routed(app, task_id)[:2] == ("queued", None)


def test_finding_specialists_by_skill_counts_verified_skills_only(client, make):
    manager = make.user("manager")
    spec = make.specialist({"premiere_pro": 3})
    client.patch(f"/api/v1/specialists/{spec.id}", headers=spec.headers, json={"skills": [
        {"skill": "premiere_pro", "level": 3}, {"skill": "after_effects", "level": 4}]})
    found = client.get("/api/v1/specialists?skill=after_effects", headers=manager.headers).json
    assert found == []  # only proposed
    found = client.get("/api/v1/specialists?skill=premiere_pro", headers=manager.headers).json
    assert [s["id"] for s in found] == [spec.id]


def test_a_manager_verifies_and_turns_down_proposals_on_the_skills_page(app, client, make):
    manager = make.user("manager")
    spec = make.specialist({"premiere_pro": 3})
    client.patch(f"/api/v1/specialists/{spec.id}", headers=spec.headers, json={"skills": [
        {"skill": "premiere_pro", "level": 5}, {"skill": "after_effects", "level": 4}]})
    browser = logged_in(app, manager)
    page = browser.get("/skills")
    assert page.status_code == 200
    for skill in ("premiere_pro", "after_effects"):
        assert f'id="proposal-{spec.id}-{skill}"' in page.text
    assert 'href="/skills" aria-current="page">Skills<' in page.text
    assert "/admin/people/" not in page.text.split("<main")[1].split("<form")[0]  # no link to admin-only pages
    token = csrf_token(browser, "/skills")
    done = browser.post(f"/admin/people/{spec.id}/skills/verify",
                        data={"skill": "premiere_pro", "level": "5", "back": "skills", "csrf_token": token})
    assert done.status_code == 302 and done.headers["Location"].endswith("/skills")
    refused = browser.post(f"/admin/people/{spec.id}/skills/reject",
                           data={"skill": "after_effects", "back": "skills", "csrf_token": token})
    assert refused.status_code == 302
    assert skills_of(client, manager, spec.id) == {"premiere_pro": (5, True, 5)}
    after = browser.get("/skills").text
    assert "premiere_pro level 5 verified" in after and "No skill level waits for a verifier" in after
    # Specialists do not verify, here or by posting the form.
    specialist = logged_in(app, spec)
    assert specialist.get("/skills").status_code == 403
    assert specialist.post(f"/admin/people/{spec.id}/skills/verify", data={
        "skill": "premiere_pro", "level": "5", "csrf_token": csrf_token(specialist, "/profile")}).status_code == 403

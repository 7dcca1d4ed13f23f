"""The manager's view: each task's SLA on /briefs/<id> (chip, due instant with an offset, how far
off, why at risk, the policy's wish against a due date), the assignee's time, read-only briefs of
other managers, and the /briefs filters."""
from datetime import timedelta

import pendulum

from broker.extensions import db
from broker.people.models import User
from broker.timeutil import utcnow
from tasks import services
from tests.factories import csrf_token, logged_in


def post(app, owner_id, now, title="Spring launch", **task):
    spec = {"title": "Cut the teaser", "work_type": "video_editing", "priority": "high",
            "estimate_hours": 2.0, "skills": [{"skill": "premiere_pro", "min_level": 3}], **task}
    data = {"title": title, "objective": "pipeline", "success_metric": "40 demos", "tasks": [spec]}
    with app.app_context():
        brief = services.create_brief(db.session.get(User, owner_id), data, now)
        return brief.id, brief.tasks[0].id


def test_the_brief_page_shows_each_target_with_an_offset_and_how_far_off(app, make):
    manager = make.user("manager", timezone="America/New_York")
    brief_id, _ = post(app, manager.id, utcnow() - timedelta(minutes=30))
    page = logged_in(app, manager).get(f"/briefs/{brief_id}").text
    assert 'class="chip sla-on_track"' in page or 'class="chip sla-at_risk"' in page
    assert "Acknowledgement" in page and "Turnaround" in page
    assert "UTC-5" in page or "UTC-4" in page  # New York's offset, never "EST" alone
    assert " EST" not in page and " EDT" not in page
    assert "in " in page  # "in 1.5 h"


def test_a_due_date_later_than_the_policy_rules_and_says_so(app, make, client):
    manager = make.user("manager", timezone="Asia/Manila")
    due = pendulum.now("UTC").add(days=6).replace(microsecond=0)
    brief_id, task_id = post(app, manager.id, utcnow(), due_at=due)
    body = client.get(f"/api/v1/tasks/{task_id}", headers=manager.headers).json
    turnaround = body["sla"]["turnaround"]
    assert pendulum.parse(turnaround["due_at"]) == due
    assert turnaround["set_by"] == "due date" and "policy_due_at" in turnaround
    assert turnaround["status"] == "on_track"
    page = logged_in(app, manager).get(f"/briefs/{brief_id}").text
    assert "policy would want it by" in page and "your due date rules" in page and "UTC+8" in page


def test_another_managers_brief_reads_without_action_buttons(app, make):
    owner, other = make.user("manager"), make.user("manager")
    brief_id, task_id = post(app, owner.id, utcnow())
    page = logged_in(app, other).get(f"/briefs/{brief_id}")
    assert page.status_code == 200 and "Cut the teaser" in page.text
    assert "Cancel task" not in page.text and "read only" in page.text
    assert "Cancel task" in logged_in(app, owner).get(f"/briefs/{brief_id}").text
    browser = logged_in(app, other)
    refused = browser.post(f"/tasks/{task_id}/review", data={
        "csrf_token": csrf_token(browser, "/notifications"), "action": "cancel"})
    assert refused.status_code == 403


def test_brief_list_filters_by_text_objective_state_sla_and_mine(app, make):
    owner, other = make.user("manager"), make.user("manager")
    post(app, owner.id, utcnow(), title="Spring launch")
    post(app, other.id, utcnow(), title="Webinar recap")
    browser = logged_in(app, owner)

    def titles(query):
        page = browser.get("/briefs" + query).text
        return [t for t in ("Spring launch", "Webinar recap") if t in page]
    assert titles("") == ["Spring launch", "Webinar recap"]
    assert titles("?mine=1") == ["Spring launch"]
    assert titles("?q=webinar") == ["Webinar recap"]
    assert titles("?q=%25") == []  # a percent sign is text, not a wildcard
    assert titles("?objective=revenue") == []
    assert titles("?objective=pipeline&state=queued") == ["Spring launch", "Webinar recap"]
    assert titles("?state=approved") == []
    assert titles("?sla=breached") == [] and len(titles("?sla=on_track")) == 2
    assert titles("?state=bogus") == ["Spring launch", "Webinar recap"]  # unknown: ignored


def test_a_task_due_later_is_not_breached_by_the_policy_and_its_digest_says_nothing_of_it(app, make):
    from notifications.models import Notification
    from sla.sweep import escalate_breaches
    manager = make.user("manager", timezone="America/New_York")
    posted = utcnow() - timedelta(days=5)  # the policy's 8 business hours are long gone
    due = utcnow() + timedelta(days=2)
    _, task_id = post(app, manager.id, posted, priority="normal", due_at=due)
    with app.app_context():
        escalate_breaches(utcnow())
        kinds = {(n.kind, (n.payload or {}).get("details", {}).get("target"))
                 for n in db.session.query(Notification).filter_by(task_id=task_id)}
    assert ("sla_breached", "turnaround") not in kinds

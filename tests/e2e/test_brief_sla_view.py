"""The manager's view in a real Chromium: another manager's brief reads without action buttons,
and the brief page shows each task's SLA chip with a due time carrying its UTC offset; the page
fits a phone's 390 px without scrolling sideways."""
import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from broker.extensions import db
from broker.people.models import User
from broker.timeutil import utcnow
from tasks import services as tasks

pytestmark = pytest.mark.e2e


def posted_brief(app, owner_id) -> int:
    data = {"title": "Spring launch", "objective": "pipeline", "success_metric": "40 demos",
            "tasks": [{"title": "Cut the teaser", "work_type": "video_editing", "priority": "high",
                       "estimate_hours": 2.0, "due_at": utcnow() + timedelta(days=4)}]}
    with app.app_context():
        return tasks.create_brief(db.session.get(User, owner_id), data, utcnow()).id


def test_another_managers_brief_reads_with_its_sla_and_no_action_buttons(app, make, page, login):
    owner = make.user("manager", timezone="America/New_York")
    reader = make.user("manager", timezone="Asia/Manila")
    brief_id = posted_brief(app, owner.id)
    login(reader)
    page.goto(f"/briefs/{brief_id}")
    task = page.locator("article.task")
    expect(task.get_by_role("heading", name="Cut the teaser")).to_be_visible()
    targets = task.get_by_role("region", name="SLA targets")
    expect(targets.locator(".chip").first).to_have_text(re.compile("on track|at risk"))
    expect(targets).to_contain_text(re.compile(r"due \w{3} \d{1,2} \w{3} \d\d:\d\d UTC\+8"))
    expect(targets).to_contain_text(re.compile(r"in \d"))
    expect(page.get_by_role("button", name="Cancel task")).to_have_count(0)
    expect(page.get_by_role("button", name="Approve")).to_have_count(0)
    expect(page.get_by_text("only the owner acts")).to_be_visible()
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"/briefs/{brief_id}")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


def test_the_owner_sees_the_action_buttons(app, make, page, login):
    owner = make.user("manager")
    brief_id = posted_brief(app, owner.id)
    login(owner)
    page.goto(f"/briefs/{brief_id}")
    expect(page.get_by_role("button", name="Cancel task")).to_be_visible()

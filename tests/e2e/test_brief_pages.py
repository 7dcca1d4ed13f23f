"""The manager's brief pages in a real Chromium: post, validate, review, and the guards around them."""
import os
import re
from datetime import datetime

import pendulum
import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from broker.extensions import db
from broker.people.models import User
from broker.timeutil import utcnow
from tasks import services as tasks
from tasks.models import Brief, Task
from tests.factories import count_rows

pytestmark = pytest.mark.e2e

NEW_YORK = "America/New_York"
LONDON = "Europe/London"


def snap(page, name):
    """Save a full-page screenshot when BROKER_E2E_SHOTS names a folder (for looking at layout)."""
    folder = os.environ.get("BROKER_E2E_SHOTS")
    if folder:
        page.screenshot(path=os.path.join(folder, f"{name}.png"), full_page=True)


def outcome(page):
    return page.get_by_role("group", name="The outcome")


def row(page, i):
    """Task row i (0-based), found the way a screen reader names it: "Task 1", "Task 2", ..."""
    return page.get_by_role("group", name=f"Task {i + 1}", exact=True)


def fill_outcome(page, title="Q1 pipeline push", objective="pipeline",
                 metric="40 demo requests from LinkedIn in January", campaign="Q1 LinkedIn ABM"):
    box = outcome(page)
    box.get_by_label("Title").fill(title)
    box.get_by_label("Objective").select_option(objective)
    box.get_by_label("Success metric").fill(metric)
    box.get_by_label("Campaign").fill(campaign)


def fill_row(page, i, title, work_type, estimate, skills=None, priority=None, due=None,
             overlap=False):
    r = row(page, i)
    r.get_by_label("Title").fill(title)
    r.get_by_label("Work type").select_option(work_type)
    if skills is not None:
        r.get_by_label("Skills").fill(skills)
    if priority:
        r.get_by_label("Priority").select_option(priority)
    r.get_by_label("Estimate (h)").fill(str(estimate))
    if due:
        r.get_by_label("Due").fill(due)
    if overlap:
        r.get_by_label("Needs overlap with my hours").check()


def local_input(moment: pendulum.DateTime) -> str:
    """The value a datetime-local input holds for a wall-clock time."""
    return moment.format("YYYY-MM-DDTHH:mm")


def test_manager_posts_a_brief_with_three_tasks(page, login, make, client):
    manager = make.user("manager", timezone=NEW_YORK)
    due_local = pendulum.now(NEW_YORK).add(days=4).replace(hour=14, minute=30, second=0,
                                                           microsecond=0)
    login(manager)
    expect(page).to_have_url(re.compile(r"/briefs$"))
    page.get_by_role("link", name="New brief").first.click()
    expect(page).to_have_url(re.compile(r"/briefs/new$"))
    expect(page.get_by_text(f"Due dates are in your timezone, {NEW_YORK}")).to_be_visible()
    expect(page.locator(".task-row")).to_have_count(3)

    fill_outcome(page)
    fill_row(page, 0, "Cut the 30s launch teaser", "video_editing", 6,
             skills="premiere_pro:3, after_effects:2", priority="high", due=local_input(due_local))
    fill_row(page, 1, "Set up the LinkedIn lead-gen campaign", "paid_media", 3, overlap=True)
    fill_row(page, 2, "Weekly pipeline report", "reporting", 1.5, priority="low")
    page.get_by_role("button", name="Post brief").click()

    expect(page).to_have_url(re.compile(r"/briefs/\d+$"))
    brief_id = int(page.url.rsplit("/", 1)[1])
    expect(page.get_by_role("status")).to_contain_text("Brief posted with 3 tasks")
    expect(page.get_by_role("heading", level=1)).to_have_text("Q1 pipeline push")
    cards = page.locator("article.task")
    expect(cards).to_have_count(3)
    expect(cards.locator("h3")).to_have_text(["Cut the 30s launch teaser",
                                              "Set up the LinkedIn lead-gen campaign",
                                              "Weekly pipeline report"])
    expect(cards.locator(".state")).to_have_text(["queued"] * 3)
    teaser = cards.nth(0)
    expect(teaser.locator("code")).to_have_text(["premiere_pro ≥ 3", "after_effects ≥ 2"])
    expect(teaser).to_contain_text(due_local.format("ddd D MMM YYYY, HH:mm"))
    expect(cards.nth(1).locator("code")).to_have_text(["google_ads ≥ 3"])  # the work type's defaults
    expect(cards.nth(1)).to_contain_text("Paid media")
    for i in range(3):
        cards.nth(i).get_by_text("History (1)").click()
        history = cards.nth(i).locator("ol.history li")
        expect(history).to_have_count(1)
        expect(history).to_contain_text("created")
        expect(history).to_contain_text("by Manager")
    snap(page, "brief-detail")

    page.get_by_role("navigation").get_by_role("link", name="Briefs").click()
    expect(page).to_have_url(re.compile(r"/briefs$"))
    listed = page.locator("table.grid tbody tr")
    expect(listed).to_have_count(1)
    expect(listed).to_contain_text("Q1 pipeline push")
    expect(listed).to_contain_text("Q1 LinkedIn ABM")
    expect(listed.locator(".state")).to_have_text(["3 queued"])  # the list counts tasks by state
    snap(page, "brief-list")
    listed.get_by_role("link", name="Q1 pipeline push").click()
    expect(page).to_have_url(re.compile(rf"/briefs/{brief_id}$"))

    stored = client.get(f"/api/v1/briefs/{brief_id}", headers=manager.headers).json
    assert (stored["objective"], stored["success_metric"], stored["campaign"]) == (
        "pipeline", "40 demo requests from LinkedIn in January", "Q1 LinkedIn ABM")
    assert stored["owner_id"] == manager.id
    teaser, ads, report = stored["tasks"]
    assert [t["state"] for t in stored["tasks"]] == ["queued"] * 3
    assert [t["work_type"] for t in stored["tasks"]] == ["video_editing", "paid_media", "reporting"]
    assert [t["priority"] for t in stored["tasks"]] == ["high", "normal", "low"]
    assert [t["estimate_hours"] for t in stored["tasks"]] == [6.0, 3.0, 1.5]
    assert teaser["skills"] == [{"skill": "premiere_pro", "min_level": 3},
                                {"skill": "after_effects", "min_level": 2}]
    assert ads["skills"] == [{"skill": "google_ads", "min_level": 3}]
    assert [t["needs_manager_overlap"] for t in stored["tasks"]] == [False, True, False]
    # 14:30 typed by a New York manager is stored as that instant, in UTC.
    due_at = datetime.fromisoformat(teaser["due_at"])
    assert due_at == due_local
    assert due_at.utcoffset().total_seconds() == 0
    assert ads["due_at"] is None and report["due_at"] is None
    events = client.get(f"/api/v1/tasks/{teaser['id']}", headers=manager.headers).json["events"]
    assert [(e["type"], e["to_state"], e["actor_id"]) for e in events] == [
        ("created", "queued", manager.id)]


def test_bad_input_keeps_what_was_typed_and_stores_nothing(page, login, make, app):
    manager = make.user("manager", timezone=LONDON)
    past = local_input(pendulum.now(LONDON).subtract(days=2).replace(hour=9, minute=0))
    future = local_input(pendulum.now(LONDON).add(days=5).replace(hour=17, minute=0))
    login(manager)
    page.goto("/briefs/new")
    fill_outcome(page, title="")
    outcome(page).get_by_label("Description").fill("Launch copy for the\nJanuary webinar.")
    fill_row(page, 0, "Cut the teaser", "video_editing", -1, skills="premiere_pro:3")
    fill_row(page, 1, "Schedule the posts", "content_scheduling", 2, priority="urgent", due=past)
    fill_row(page, 2, "Design the banner", "design", 4, skills="figma:4", due=future, overlap=True)
    page.get_by_role("button", name="Post brief").click()

    expect(page.get_by_role("alert")).to_contain_text("nothing was saved")
    # Every problem is reported at once, next to its field and tied to it for screen readers.
    expect(page.locator("#title-error")).to_have_text("Required.")
    expect(outcome(page).get_by_label("Title")).to_have_accessible_description("Required.")
    expect(outcome(page).get_by_label("Title")).to_have_attribute("aria-invalid", "true")
    estimate = row(page, 0).get_by_label("Estimate (h)")
    expect(estimate).to_have_accessible_description(re.compile("greater than 0"))
    expect(row(page, 0).locator("#tasks-0-estimate_hours-error")).to_be_visible()
    expect(row(page, 1).get_by_label("Due")).to_have_accessible_description("Due date is in the past.")
    expect(row(page, 1).locator("#tasks-1-due_at-error")).to_be_visible()
    expect(row(page, 2).locator(".field-error")).to_have_count(0)
    expect(page.locator(".field-error")).to_have_count(3)
    expect(row(page, 0)).to_have_class(re.compile(r"\bhas-error\b"))
    expect(row(page, 2)).not_to_have_class(re.compile(r"\bhas-error\b"))
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280, "the form overflows"
    snap(page, "brief-new-errors")

    box = outcome(page)
    expect(box.get_by_label("Title")).to_have_value("")
    expect(box.get_by_label("Objective")).to_have_value("pipeline")
    expect(box.get_by_label("Success metric")).to_have_value("40 demo requests from LinkedIn in January")
    expect(box.get_by_label("Campaign")).to_have_value("Q1 LinkedIn ABM")
    expect(box.get_by_label("Description")).to_have_value("Launch copy for the\nJanuary webinar.")
    typed = [
        {"Title": "Cut the teaser", "Work type": "video_editing", "Skills": "premiere_pro:3",
         "Priority": "normal", "Estimate (h)": "-1", "Due": ""},
        {"Title": "Schedule the posts", "Work type": "content_scheduling", "Skills": "",
         "Priority": "urgent", "Estimate (h)": "2", "Due": past},
        {"Title": "Design the banner", "Work type": "design", "Skills": "figma:4",
         "Priority": "normal", "Estimate (h)": "4", "Due": future},
    ]
    for i, values in enumerate(typed):
        for label, value in values.items():
            expect(row(page, i).get_by_label(label)).to_have_value(value)
    expect(row(page, 2).get_by_label("Needs overlap with my hours")).to_be_checked()
    expect(row(page, 1).get_by_label("Needs overlap with my hours")).not_to_be_checked()
    assert count_rows(app, Brief) == 0

    # Fixing the fields posts the brief with the values that were kept.
    box.get_by_label("Title").fill("January webinar")
    row(page, 0).get_by_label("Estimate (h)").fill("3")
    row(page, 1).get_by_label("Due").fill(future)
    page.get_by_role("button", name="Post brief").click()
    expect(page).to_have_url(re.compile(r"/briefs/\d+$"))
    expect(page.locator("article.task .state")).to_have_text(["queued"] * 3)
    assert count_rows(app, Brief) == 1


def test_unreadable_skills_and_a_missing_work_type_are_reported_together(page, login, make, app):
    login(make.user("manager"))
    page.goto("/briefs/new")
    fill_outcome(page, metric="")
    fill_row(page, 0, "Cut the teaser", "video_editing", 2, skills="premiere pro level 3")
    row(page, 1).get_by_label("Title").fill("A row without a work type")
    row(page, 1).get_by_label("Estimate (h)").fill("2")
    page.get_by_role("button", name="Post brief").click()
    expect(page.get_by_role("alert")).to_be_visible()
    expect(row(page, 1).get_by_label("Work type")).to_have_accessible_description("Required.")
    expect(row(page, 0).get_by_label("Skills")).to_have_accessible_description(
        re.compile("name:level"))
    expect(page.locator("#success_metric-error")).to_have_text("Required.")
    expect(row(page, 0).get_by_label("Skills")).to_have_value("premiere pro level 3")
    assert count_rows(app, Brief) == 0


def test_a_brief_without_tasks_is_refused(page, login, make, app):
    login(make.user("manager"))
    page.goto("/briefs/new")
    fill_outcome(page)
    page.get_by_role("button", name="Post brief").click()
    expect(page.get_by_role("group", name="Deliverables").locator(".field-error")).to_contain_text(
        "Add between 1 and 50 tasks")
    expect(outcome(page).get_by_label("Title")).to_have_value("Q1 pipeline push")
    assert count_rows(app, Brief) == 0


def test_add_a_task_row_keeps_typed_values(page, login, make, app):
    login(make.user("manager"))
    page.goto("/briefs/new")
    fill_outcome(page, title="Spring launch")
    fill_row(page, 0, "Cut the teaser", "video_editing", 4, skills="premiere_pro:3")
    fill_row(page, 2, "Banner set", "design", 2, priority="high", overlap=True)
    page.get_by_role("button", name="Add a task row").click()

    expect(page.locator(".task-row")).to_have_count(4)
    expect(page.locator(".field-error")).to_have_count(0)
    expect(page.get_by_role("alert")).to_have_count(0)
    expect(outcome(page).get_by_label("Title")).to_have_value("Spring launch")
    expect(outcome(page).get_by_label("Objective")).to_have_value("pipeline")
    expect(row(page, 0).get_by_label("Title")).to_have_value("Cut the teaser")
    expect(row(page, 0).get_by_label("Skills")).to_have_value("premiere_pro:3")
    expect(row(page, 0).get_by_label("Estimate (h)")).to_have_value("4")
    expect(row(page, 2).get_by_label("Work type")).to_have_value("design")
    expect(row(page, 2).get_by_label("Priority")).to_have_value("high")
    expect(row(page, 2).get_by_label("Needs overlap with my hours")).to_be_checked()
    expect(row(page, 3).get_by_label("Title")).to_have_value("")
    expect(row(page, 3).get_by_label("Title")).to_be_focused()
    snap(page, "brief-new-4-rows")
    assert count_rows(app, Brief) == 0

    fill_row(page, 3, "Landing page copy", "copywriting", 3)
    page.get_by_role("button", name="Post brief").click()
    expect(page).to_have_url(re.compile(r"/briefs/\d+$"))
    expect(page.locator("article.task h3")).to_have_text(
        ["Cut the teaser", "Banner set", "Landing page copy"])  # the blank row is ignored


def test_enter_in_a_field_posts_the_brief(page, login, make):
    login(make.user("manager"))
    page.goto("/briefs/new")
    fill_outcome(page, title="Enter key")
    fill_row(page, 0, "Reel cut-down", "video_editing", 2)
    row(page, 0).get_by_label("Estimate (h)").press("Enter")
    expect(page).to_have_url(re.compile(r"/briefs/\d+$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Enter key")


def test_wrong_password_shows_an_error_and_keeps_the_email(page, make):
    manager = make.user("manager")
    page.goto("/login")
    page.get_by_label("Email").fill(manager.email)
    page.get_by_label("Password").fill("not the password")
    with page.expect_response(lambda r: r.request.method == "POST") as answer:
        page.get_by_role("button", name="Log in").click()
    assert answer.value.status == 401
    expect(page.get_by_role("alert")).to_have_text("Email or password is wrong.")
    expect(page.get_by_label("Email")).to_have_value(manager.email)
    expect(page.get_by_label("Password")).to_have_value("")
    expect(page.get_by_label("Password")).to_be_focused()
    snap(page, "login-error")
    page.goto("/briefs")
    expect(page).to_have_url(re.compile(r"/login\?next="))


def test_login_then_logout(page, login, make):
    manager = make.user("manager", timezone=LONDON)
    login(manager)
    expect(page).to_have_url(re.compile(r"/briefs$"))
    expect(page.get_by_role("banner")).to_contain_text(LONDON)
    page.get_by_role("button", name="Log out").click()
    expect(page).to_have_url(re.compile(r"/login$"))
    expect(page.get_by_role("button", name="Log out")).to_have_count(0)
    page.goto("/briefs")
    expect(page).to_have_url(re.compile(r"/login\?next="))


def test_anonymous_visit_goes_to_login_then_back(page, make):
    manager = make.user("manager")
    _, _ = make.brief(manager)
    page.goto("/briefs")
    expect(page).to_have_url(re.compile(r"/login\?next=%2Fbriefs$"))
    expect(page.get_by_text("Log in to continue.")).to_be_visible()
    page.get_by_label("Email").fill(manager.email)
    page.get_by_label("Password").fill("correct horse 1")
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(re.compile(r"/briefs$"))
    expect(page.locator("table.grid tbody tr")).to_have_count(1)


def test_specialist_is_refused_the_manager_pages(page, login, make):
    specialist = make.specialist()
    login(specialist)
    for path in ("/briefs/new", "/briefs"):
        response = page.goto(path)
        assert response.status == 403, path
        expect(page.get_by_role("heading", level=1)).to_have_text(re.compile(r"^403"))
        expect(page.get_by_text("This page is for managers")).to_be_visible()
        expect(page.get_by_role("navigation").get_by_role("link", name="New brief")).to_have_count(0)
    snap(page, "forbidden")


def test_manager_reads_another_managers_brief_without_acting(page, login, make):
    owner, other = make.user("manager"), make.user("manager")
    brief_id, _ = make.brief(owner)
    login(other)
    response = page.goto(f"/briefs/{brief_id}")
    assert response.status == 200  # shared visibility across the team; only the owner acts
    expect(page.get_by_role("heading", name="Cut the launch teaser 1")).to_be_visible()
    expect(page.get_by_role("button", name="Cancel task")).to_have_count(0)
    page.goto("/briefs?mine=1")
    expect(page.get_by_text("No briefs match these filters.")).to_be_visible()
    assert page.goto("/briefs/999999").status == 404


def _submitted_tasks(make, manager, n):
    """A brief whose n tasks a specialist has claimed and submitted."""
    specialist = make.specialist(skills={"premiere_pro": 4})
    brief_id, task_ids = make.brief(manager, n_tasks=n)
    with make.app.app_context():
        doer = db.session.get(User, specialist.id)
        for task_id in task_ids:
            tasks.claim(task_id, doer, utcnow())
            tasks.assignee_action(task_id, "submit", doer, utcnow(),
                                  {"deliverable_url": f"https://drive.example.com/cut-{task_id}.mp4"})
        db.session.remove()
    return brief_id, task_ids


def test_manager_approves_and_requests_changes(page, login, make, app):
    manager = make.user("manager")
    brief_id, (first, second) = _submitted_tasks(make, manager, 2)
    login(manager)
    page.goto(f"/briefs/{brief_id}")
    one, two = page.locator(f"#task-{first}"), page.locator(f"#task-{second}")
    expect(one.locator(".state")).to_have_text("submitted")
    expect(one.get_by_role("link", name=re.compile(r"cut-\d+\.mp4")).first).to_be_visible()
    snap(page, "brief-review")

    one.get_by_label("Note to the specialist").fill("Great cut, ship it.")
    one.get_by_role("button", name="Approve").click()
    expect(page.get_by_role("status")).to_contain_text("is now approved")
    expect(one.locator(".state")).to_have_text("approved")
    expect(one.locator("form.review button")).to_have_count(0)  # closed: nothing left to decide

    two.get_by_label("Note to the specialist").fill("Trim the intro to 3s.")
    two.get_by_role("button", name="Request changes").click()
    expect(page.get_by_role("status")).to_contain_text("is now changes requested")
    expect(two.locator(".state")).to_have_text("changes requested")
    expect(two.get_by_role("button", name="Approve")).to_have_count(0)
    two.get_by_text(re.compile(r"^History")).click()
    expect(two.locator("ol.history li").last).to_contain_text("Trim the intro to 3s.")

    with app.app_context():
        stored = {t.id: t for t in db.session.scalars(select(Task).where(Task.brief_id == brief_id))}
        assert stored[first].state == "approved" and stored[first].closed_at is not None
        assert stored[second].state == "changes_requested"
        last = stored[first].events[-1]
        assert (last.type, last.actor_id, last.details) == (
            "approved", manager.id, {"note": "Great cut, ship it."})
        assert [e.type for e in stored[second].events] == [
            "created", "claimed", "submitted", "changes_requested"]
        db.session.remove()


def test_review_of_a_task_that_moved_on_says_why(page, login, make, app):
    """A stale page (the task was approved in another tab) gets a message, not an error page."""
    manager = make.user("manager")
    brief_id, (task_id,) = _submitted_tasks(make, manager, 1)
    login(manager)
    page.goto(f"/briefs/{brief_id}")
    with app.app_context():
        tasks.owner_action(task_id, "approve", db.session.get(User, manager.id), utcnow(), {})
        db.session.remove()
    page.locator(f"#task-{task_id}").get_by_role("button", name="Request changes").click()
    expect(page).to_have_url(re.compile(rf"/briefs/{brief_id}#task-{task_id}$"))
    expect(page.get_by_role("alert")).to_contain_text("approved")
    expect(page.locator(f"#task-{task_id} .state")).to_have_text("approved")


def test_script_in_a_title_is_shown_as_text(page, login, make, app):
    manager = make.user("manager")
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    login(manager)
    page.goto("/briefs/new")
    title = "<script>alert(1)</script> launch"
    fill_outcome(page, title=title)
    fill_row(page, 0, '<img src=x onerror="alert(2)">', "design", 2)
    page.get_by_role("button", name="Post brief").click()
    expect(page).to_have_url(re.compile(r"/briefs/\d+$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    expect(page.locator("article.task h3")).to_have_text('<img src=x onerror="alert(2)">')
    expect(page).to_have_title(re.compile(re.escape(title)))
    page.goto("/briefs")
    expect(page.get_by_role("link", name=title)).to_be_visible()
    assert page.locator("main script, main img").count() == 0
    assert dialogs == []

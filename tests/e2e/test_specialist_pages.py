"""The specialist's pages in a real Chromium: accept, decline, claim, submit, and working hours."""
import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from broker.extensions import db
from broker.people.models import User
from broker.timeutil import utcnow
from tasks import services as tasks
from tasks.models import Task
from tests.e2e.test_brief_pages import snap

pytestmark = pytest.mark.e2e

WHY = {"summary": "Free now in Manila, premiere_pro 4 of 3 needed", "candidates": []}


def offer(app, task_id, specialist, explanation=WHY):
    now = utcnow()
    with app.app_context():
        tasks.offer(task_id, db.session.get(User, specialist.id), now + timedelta(hours=2), now,
                    explanation)
        db.session.remove()


def claim(app, task_id, specialist):
    with app.app_context():
        tasks.claim(task_id, db.session.get(User, specialist.id), utcnow())
        db.session.remove()


def stored(app, task_id):
    with app.app_context():
        task = db.session.get(Task, task_id)
        found = (task.state, task.assignee_id, task.deliverable_url,
                 [(e.type, e.details.get("reason") or e.details.get("note")) for e in task.events])
        db.session.remove()
        return found


def card(page, task_id):
    return page.locator(f"#task-{task_id}")


def test_accept_an_offer_from_the_queue(page, login, make, app):
    manager, specialist = make.user("manager"), make.specialist()
    _, (task_id,) = make.brief(manager, priority="urgent")
    offer(app, task_id, specialist)
    login(specialist)
    expect(page).to_have_url(re.compile(r"/queue$"))  # the home of a specialist
    expect(page.get_by_role("link", name="Queue")).to_have_attribute("aria-current", "page")
    offer_card = card(page, task_id)
    expect(offer_card).to_contain_text("Cut the launch teaser 1")
    expect(offer_card).to_contain_text("Q4 launch")
    expect(offer_card).to_contain_text("Why you: Free now in Manila")
    expect(offer_card).to_contain_text("UTC+8")  # due and expiry in the specialist's timezone
    snap(page, "queue-offer")
    offer_card.get_by_role("button", name="Accept").click()
    expect(page.get_by_role("status")).to_contain_text("is now in progress")
    expect(card(page, task_id).locator(".state")).to_have_text("in progress")
    expect(page.get_by_text("No offers waiting for you.")).to_be_visible()
    assert stored(app, task_id)[:2] == ("in_progress", specialist.id)


def test_decline_an_offer_with_a_reason(page, login, make, app):
    manager, specialist = make.user("manager"), make.specialist()
    _, (task_id,) = make.brief(manager)
    offer(app, task_id, specialist)
    login(specialist)
    offer_card = card(page, task_id)
    offer_card.get_by_text("Decline…").click()
    offer_card.get_by_role("button", name="Decline offer").click()  # no reason yet
    reason = card(page, task_id).get_by_label("Why are you declining?")
    expect(reason).to_have_attribute("aria-invalid", "true")
    expect(card(page, task_id).locator(".field-error")).to_have_text("Required.")
    reason.fill("Out on Friday; cannot meet the due date")
    card(page, task_id).get_by_role("button", name="Decline offer").click()
    expect(page.get_by_role("status")).to_contain_text("is now queued")
    expect(page.locator(f"#task-{task_id}")).to_have_count(0)
    state, assignee, _, events = stored(app, task_id)
    assert (state, assignee) == ("queued", None)
    assert events[-1] == ("declined", "Out on Friday; cannot meet the due date")


def test_claim_from_available(page, login, make, app):
    manager, specialist = make.user("manager"), make.specialist()
    _, (low,) = make.brief(manager, title="Low", priority="low")
    _, (urgent,) = make.brief(manager, title="Urgent", priority="urgent")
    login(specialist)
    page.get_by_role("link", name="Available").click()
    expect(page.locator("article.task h3")).to_have_text(["Urgent 1", "Low 1"])
    snap(page, "available")
    card(page, urgent).get_by_role("button", name=re.compile("^Claim")).click()
    expect(page).to_have_url(re.compile(rf"/queue#task-{urgent}$"))
    expect(page.get_by_role("status")).to_contain_text("You claimed “Urgent 1”")
    assert stored(app, urgent)[:2] == ("in_progress", specialist.id)

    page.goto("/available")
    claim(app, low, make.specialist())  # someone else is quicker
    card(page, low).get_by_role("button", name=re.compile("^Claim")).click()
    expect(page.get_by_role("alert")).to_contain_text("Someone else claimed it first")
    expect(page).to_have_url(re.compile(r"/available$"))


def test_submit_a_deliverable(page, login, make, app):
    manager, specialist = make.user("manager"), make.specialist()
    _, (task_id,) = make.brief(manager)
    claim(app, task_id, specialist)
    login(specialist)
    work = card(page, task_id)
    work.get_by_text("Submit…").click()
    work.get_by_label("Deliverable URL").fill("not a url")
    work.get_by_label("Note to the manager").fill("Cut to 28 s")
    work.get_by_role("button", name="Submit deliverable").click()
    work = card(page, task_id)
    expect(work.locator(".field-error")).to_have_text("Not a valid URL.")
    expect(work.get_by_label("Note to the manager")).to_have_value("Cut to 28 s")
    snap(page, "queue-submit-error")
    work.get_by_label("Deliverable URL").fill("https://drive.example/teaser-v1.mp4")
    work.get_by_role("button", name="Submit deliverable").click()
    expect(page.get_by_role("status")).to_contain_text("is now submitted")
    review = page.get_by_role("table", name="Submitted work awaiting review")
    expect(review).to_contain_text("https://drive.example/teaser-v1.mp4")
    state, _, url, events = stored(app, task_id)
    assert (state, url, events[-1]) == ("submitted", "https://drive.example/teaser-v1.mp4",
                                        ("submitted", "Cut to 28 s"))


def test_edit_working_hours_across_midnight_and_see_a_bad_span(page, login, make, app):
    specialist = make.specialist()
    login(specialist)
    page.get_by_role("link", name="Profile").click()
    expect(page.get_by_label("Monday")).to_have_value("09:00–17:00")
    page.get_by_label("Friday").fill("22:00-06:00")
    page.get_by_label("Saturday").fill("25:00-03:00")
    page.get_by_role("button", name="Save profile").click()
    saturday = page.get_by_label("Saturday")
    expect(saturday).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#hours-sat-error")).to_contain_text("Times must be HH:MM")
    expect(page.get_by_label("Friday")).to_have_value("22:00-06:00")  # kept as typed
    expect(saturday).to_have_value("25:00-03:00")
    snap(page, "profile-error")
    saturday.fill("")
    page.get_by_role("button", name="Save profile").click()
    expect(page.get_by_role("status")).to_have_text("Your profile is saved.")
    expect(page.get_by_label("Friday")).to_have_value("22:00–06:00")
    with app.app_context():
        hours = db.session.get(User, specialist.id).profile.working_hours
        db.session.remove()
    assert hours["fri"] == [["22:00", "06:00"]] and "sat" not in hours

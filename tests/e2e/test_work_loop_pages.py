"""The work loop in a real Chromium: a brief whose second task waits for the first, two
deliverables, changes requested with two items, an answer in the thread, a resubmission, an
approval with a rating, and the second task routed."""
import re

import pytest
from playwright.sync_api import expect

from broker.extensions import db
from broker.routing.service import route_round
from broker.timeutil import utcnow
from tasks.models import Task
from tests.e2e.test_brief_pages import snap
from tests.factories import PASSWORD

pytestmark = pytest.mark.e2e
ALWAYS = {d: [["00:00", "23:59"]] for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")}


def route(app):
    with app.app_context():
        route_round(utcnow())
        db.session.remove()


def task_states(app, brief_id):
    with app.app_context():
        rows = db.session.query(Task).filter_by(brief_id=brief_id).order_by(Task.id).all()
        found = [(t.state, t.assignee_id, t.rating, t.revision) for t in rows]
        db.session.remove()
        return found


def as_user(browser, live_server, user):
    context = browser.new_context(base_url=live_server, viewport={"width": 390, "height": 900})
    page = context.new_page()
    page.goto("/login")
    page.get_by_label("Email").fill(user.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(re.compile(r"^(?!.*/login).*$"))
    return page


def post_brief(page):
    page.goto("/briefs/new")
    page.get_by_label("Title").first.fill("Spring launch")
    page.get_by_label("Objective").select_option("pipeline")
    page.get_by_label("Success metric").fill("40 demo requests")
    rows = page.locator(".task-row")
    for i, title in enumerate(["Strategy cut", "Teaser from the strategy cut"]):
        row = rows.nth(i)
        row.get_by_label("Title").fill(title)
        row.get_by_label("Work type").select_option("video_editing")
        row.get_by_label("Estimate (h)").fill("2")
    rows.nth(1).get_by_label("Waits for rows").fill("1")
    page.get_by_role("button", name="Post brief").click()
    expect(page).to_have_url(re.compile(r"/briefs/\d+$"))
    return int(page.url.rsplit("/", 1)[1])


def test_the_work_loop_from_brief_to_rated_approval(page, login, make, app, browser, live_server):
    manager = make.user("manager", timezone="America/New_York")
    specialist = make.specialist({"premiere_pro": 4}, hours=ALWAYS, capacity=5)
    login(manager)
    brief_id = post_brief(page)
    cards = page.locator("article.task")
    expect(cards.locator(".state")).to_have_text(["queued", "pending"])
    expect(cards.nth(1).locator(".waiting-for")).to_contain_text("Waiting for: “Strategy cut”")

    route(app)
    first = cards.nth(0).get_attribute("id").split("-")[1]
    worker = as_user(browser, live_server, specialist)
    worker.goto("/queue")
    offer = worker.locator(f"#task-{first}")
    offer.get_by_role("button", name="Accept").click()
    card = worker.locator(f"#task-{first}")
    card.get_by_text("Submit…").click()
    card.get_by_label("Deliverable URL", exact=True).fill("https://drive.example.com/cut-v1.mp4")
    card.get_by_label("Label of deliverable 1").fill("Strategy cut")
    card.get_by_label("Deliverable 2 URL (optional)", exact=True).fill("https://drive.example.com/notes.pdf")
    card.get_by_label("Label of deliverable 2").fill("Notes")
    card.get_by_role("button", name="Submit deliverable").click()
    expect(worker.get_by_role("status")).to_contain_text("is now submitted")

    page.reload()
    review = page.locator(f"#task-{first}")
    expect(review.locator(".deliverables a")).to_have_text(["Strategy cut", "Notes"])
    review.get_by_label("Changes wanted, one per line").fill("Tighter intro\nBrand colours on the end card")
    review.get_by_role("button", name="Request changes").click()
    expect(page.get_by_role("status")).to_contain_text("changes requested")
    expect(page.locator(f"#task-{first} .change-items li")).to_have_text(
        ["Tighter intro", "Brand colours on the end card"])

    worker.goto("/queue")
    card = worker.locator(f"#task-{first}")
    expect(card.locator(".change-items li")).to_have_count(2)
    card.get_by_text("Comments (0)").click()
    card.get_by_label("Add a comment").fill(f"@{manager.email} which palette? See https://brand.example.com/<guide>")
    card.get_by_role("button", name="Post comment").click()
    expect(worker.get_by_role("status")).to_contain_text("Comment posted")
    card = worker.locator(f"#task-{first}")
    expect(card.locator(".comment-body a")).to_have_attribute("href", "https://brand.example.com/")
    card.get_by_text("Submit…").click()
    card.get_by_label("Deliverable URL", exact=True).fill("https://drive.example.com/cut-v2.mp4")
    card.get_by_role("button", name="Submit deliverable").click()
    expect(worker.get_by_role("status")).to_contain_text("is now submitted")
    snap(worker, "queue-work-loop")

    page.reload()
    review = page.locator(f"#task-{first}")
    expect(review.locator(".comment-body")).to_contain_text("which palette?")
    expect(review.locator(".comment-body")).to_contain_text("<guide>")  # escaped, shown as typed
    expect(review.locator(".round")).to_have_count(2)
    review.get_by_label("Rating").select_option("5")
    review.get_by_role("button", name="Approve").click()
    expect(page.get_by_role("status")).to_contain_text("is now approved")
    expect(page.locator(f"#task-{first} .rounds")).to_contain_text("rated 5/5")
    expect(page.locator("article.task").nth(1).locator(".state")).to_have_text("queued")
    snap(page, "brief-work-loop")

    route(app)
    assert task_states(app, brief_id) == [("approved", specialist.id, 5, 1),
                                          ("offered", specialist.id, None, 0)]
    worker.context.close()

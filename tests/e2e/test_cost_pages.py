"""Time and cost in a real Chromium: a specialist logs time from the queue, the manager sees the
brief's cost against its budget (and /costs), a partner lead changes one of their people's hours."""
import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from broker.extensions import db
from broker.people.models import User
from broker.people.partners import Partner
from tests.e2e.test_brief_pages import snap
from tests.e2e.test_specialist_pages import card, claim

pytestmark = pytest.mark.e2e


def log_out(page):
    page.get_by_role("button", name="Log out").click()


def test_time_logged_on_the_queue_shows_as_cost_against_the_budget(page, login, make, app):
    manager = make.user("manager")
    specialist = make.specialist(hourly_cost=Decimal("30.00"))
    brief_id, (task_id,) = make.brief(manager, estimate_hours=2.0)
    claim(app, task_id, specialist)
    login(specialist)
    time_card = card(page, task_id)
    time_card.locator("summary", has_text="Log time").click()
    time_card.get_by_label("Time spent").fill("an hour or so")
    time_card.get_by_role("button", name="Log time").click()
    expect(card(page, task_id).locator(".field-error")).to_contain_text("1h30")  # inline, nothing stored
    card(page, task_id).get_by_label("Time spent").fill("1h30")
    card(page, task_id).get_by_role("button", name="Log time").click()
    expect(page.get_by_role("status")).to_contain_text("Logged 1 h 30 min")
    expect(card(page, task_id)).to_contain_text("1 h 30 min logged of 2 h")
    snap(page, "queue-time")
    log_out(page)

    login(manager)
    page.goto(f"/briefs/{brief_id}")
    costs = page.locator("#costs")
    expect(costs).to_contain_text("1.5 h of 2 h estimated")
    expect(costs).to_contain_text("USD 45.00")
    expect(costs).to_contain_text("no budget set")
    costs.get_by_label("Budget (USD)").fill("50")
    costs.get_by_role("button", name="Save budget").click()
    expect(page.get_by_role("status")).to_contain_text("Budget set to USD 50.00")
    expect(page.locator("#costs")).to_contain_text("USD 45.00 of USD 50.00 budget (90.0 %)")
    expect(page.locator("#costs")).to_contain_text("80 % on")  # the alert went out, once
    snap(page, "brief-costs")
    page.get_by_role("link", name="Costs").click()
    expect(page).to_have_url(re.compile(r"/costs$"))
    expect(page.get_by_role("img", name=re.compile("Cost by objective"))).to_be_visible()
    expect(page.locator("tfoot")).to_contain_text("USD 45.00")
    snap(page, "costs")


def test_a_partner_lead_changes_their_specialists_hours(page, login, make, app):
    ours = make.specialist(partner="Kalye Creative", hourly_cost=Decimal("20.00"))
    theirs = make.specialist(partner="Andes Digital")
    lead = make.user("partner_lead", timezone="Asia/Manila", partner="Kalye Creative")
    with app.app_context():
        db.session.add(Partner(name="Kalye Creative", capacity_cap=4))
        db.session.commit()
        db.session.remove()
    login(lead)
    expect(page).to_have_url(re.compile(r"/partner$"))  # the home of a partner lead
    table = page.get_by_role("table", name="Specialists of Kalye Creative")
    expect(table).to_contain_text("USD 20.00")
    expect(table.get_by_role("link")).to_have_count(1)  # never another partner's people
    table.get_by_role("link").click()
    page.get_by_label("Monday").fill("08:00-16:00")
    page.get_by_label("Capacity (tasks at once)").fill("9")
    page.get_by_role("button", name="Save hours and capacity").click()
    expect(page.locator(".field-error").first).to_contain_text("At most 4")  # over the cap: nothing saved
    page.get_by_label("Capacity (tasks at once)").fill("4")
    page.get_by_role("button", name="Save hours and capacity").click()
    expect(page.get_by_role("status")).to_contain_text("hours and capacity are saved")
    expect(page.get_by_label("Monday")).to_have_value("08:00–16:00")
    snap(page, "partner-specialist")
    with app.app_context():
        profile = db.session.get(User, ours.id).profile
        assert profile.working_hours["mon"] == [["08:00", "16:00"]] and profile.capacity == 4
        db.session.remove()
    page.goto(f"/partner/specialists/{theirs.id}")
    expect(page.get_by_role("heading", level=1)).not_to_contain_text("Specialist")

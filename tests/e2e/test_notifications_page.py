"""/notifications in a real Chromium: the caller's own notifications, escaped, with delivery state."""
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from broker.timeutil import utcnow
from tests.notify_helpers import offer

pytestmark = pytest.mark.e2e


def test_a_specialist_sees_their_offers_and_their_delivery_state(page, login, make, app):
    manager, specialist, other = make.user("manager"), make.specialist(), make.specialist()
    now = utcnow()
    _, ids = make.brief(manager, n_tasks=2, title="<script>window.pwned=1</script>Teaser")
    offer(app, ids[0], specialist, now + timedelta(hours=2), now)
    offer(app, ids[1], other, now + timedelta(hours=2), now)
    login(specialist)
    page.get_by_role("link", name="Notifications").click()
    page.wait_for_url("**/notifications")
    table = page.get_by_role("table", name="Your notifications")
    expect(table.get_by_role("row")).to_have_count(2)  # the header and the one offer
    row = table.get_by_role("row").nth(1)
    expect(row).to_contain_text("New offer")
    expect(row).to_contain_text("<script>window.pwned=1</script>Teaser 1")
    expect(row).to_contain_text("queued")
    assert page.evaluate("window.pwned") is None
    expect(page.get_by_text("No Slack webhook is set")).to_be_visible()


def test_the_page_needs_a_login_and_shows_an_empty_state(page, login, make):
    response = page.goto("/notifications")
    assert "/login" in page.url and response.ok
    login(make.user("manager"))
    page.goto("/notifications")
    expect(page.get_by_text("No notifications yet.")).to_be_visible()
    expect(page.get_by_role("link", name="Notifications")).to_have_attribute("aria-current", "page")

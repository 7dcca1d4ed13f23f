"""/planning in a real Chromium: a manager starts a simulation, the run page follows it to the
charts (through its refresh), and the charts fit the page."""
import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e
RUN_TIMEOUT_MS = 120_000  # the run itself: seconds, longer on a busy machine


def test_a_manager_runs_a_simulation_and_sees_the_strategies_side_by_side(page, login, make):
    login(make.user("manager"))
    page.get_by_role("link", name="Planning").click()
    page.wait_for_url("**/planning")
    page.get_by_label("Weeks of arrivals").fill("1")
    page.get_by_label("Least-loaded").uncheck()
    page.get_by_label("Self-claim only").uncheck()
    page.get_by_label("What-if changes, one a line").fill("add 1 design:4 Asia/Manila")
    page.get_by_role("button", name="Simulate").click()
    page.wait_for_url("**/planning/runs/*")
    results = page.get_by_role("table", name="Results by strategy")
    expect(results).to_be_visible(timeout=RUN_TIMEOUT_MS)
    expect(results.get_by_role("row")).to_have_count(5)  # header, 2 strategies x (as is, what-if)
    expect(page.get_by_role("img", name="SLA attainment by strategy", exact=False)).to_be_visible()
    assert page.locator("svg").count() == 3
    width = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert width[0] <= width[1] == 1280, width

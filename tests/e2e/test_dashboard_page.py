"""/dashboard in a real Chromium: a manager's charts render, fit 1280 px and run no script."""
import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e


def test_a_manager_sees_the_charts_fit_the_page(page, login, make, app):
    manager = make.user("manager")
    make.specialist(timezone="Asia/Manila")
    make.specialist(timezone="Europe/Warsaw", hours={d: [["22:00", "06:00"]] for d in ("mon", "tue")})
    make.brief(manager, n_tasks=3)
    make.brief(manager, n_tasks=2, work_type="copywriting")
    login(manager)
    page.get_by_role("link", name="Dashboard").click()
    page.wait_for_url("**/dashboard")
    expect(page.get_by_role("heading", name="Dashboard", level=1)).to_be_visible()
    expect(page.get_by_role("link", name="Dashboard")).to_have_attribute("aria-current", "page")
    expect(page.get_by_role("img", name="SLA attainment by week", exact=False)).to_be_visible()
    expect(page.get_by_role("img", name="Open tasks by work type: Video editing 3, Copywriting 2")
           ).to_be_visible()
    coverage = page.get_by_role("img", name="Specialists working by UTC hour", exact=False)
    expect(coverage).to_be_visible()
    assert coverage.locator("rect").count() > 10
    assert page.locator("svg").count() >= 3
    width = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert width[0] <= width[1] == 1280, width
    page.get_by_text("Show the numbers").nth(1).click()
    table = page.get_by_role("table", name="Queue now by work type and state")
    expect(table.get_by_role("row")).to_have_count(3)


def test_the_period_switch_and_a_bad_period(page, login, make):
    login(make.user("manager"))
    page.goto("/dashboard?days=nonsense")
    expect(page.get_by_role("status")).to_contain_text("is not a period on offer")
    page.get_by_role("link", name="Last 7 days").click()
    page.wait_for_url("**/dashboard?days=7")
    expect(page.get_by_role("link", name="Last 7 days")).to_have_attribute("aria-current", "true")
    expect(page.get_by_role("status")).to_have_count(0)

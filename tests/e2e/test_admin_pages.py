"""The admin's journey in a real Chromium: add a specialist, verify the skill level they propose,
change an SLA policy and watch an open task's due instant move, import specialists from CSV.
Every admin page is saved at 1280 and 390 px (BROKER_E2E_SHOTS, else test-output/screenshots)
and must not scroll sideways at 390 px."""
import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect
from sqlalchemy import func, select

from broker.extensions import db
from broker.people.models import SpecialistSkill, User
from sla.models import SlaClock
from tests.factories import PASSWORD

pytestmark = pytest.mark.e2e
SHOTS = Path(os.environ.get("BROKER_E2E_SHOTS") or Path(__file__).parents[2] / "test-output" / "screenshots")


def shoot(page, name: str):
    """Full-page screenshots of the current page at laptop and phone width; no sideways scroll."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=str(SHOTS / f"admin-{name}-{width}.png"), full_page=True)
        wide = page.evaluate("document.documentElement.scrollWidth")
        assert wide <= width, f"{name} is {wide}px wide at {width}px"
    page.set_viewport_size({"width": 1280, "height": 900})


def log_out(page):
    page.get_by_role("button", name="Log out").click()
    page.wait_for_url(re.compile(r"/(login|logout)"))


def skill_row(app, email, skill):
    with app.app_context():
        row = db.session.execute(
            select(SpecialistSkill.level, SpecialistSkill.verified_level).join(
                User, User.id == SpecialistSkill.specialist_id)
            .where(User.email == email, SpecialistSkill.skill == skill)).one_or_none()
        db.session.remove()
        return tuple(row) if row else None


def test_add_a_specialist_then_verify_the_level_they_propose(page, login, make, app):
    admin = make.user("admin")
    login(admin)
    page.get_by_role("link", name="People").first.click()
    expect(page).to_have_url(re.compile(r"/admin/people$"))
    page.get_by_label("Email").fill("rosa.lim@studio.example")
    page.get_by_label("Name", exact=True).fill("Rosa Lim")
    page.get_by_label("Role", exact=True).select_option("specialist")
    page.get_by_label("Timezone").fill("Asia/Manila")
    page.get_by_label("Password (optional, 8+ characters)").fill(PASSWORD)
    page.get_by_role("button", name="Add person").click()
    expect(page.locator("#new-token")).to_contain_text("brk_")  # the token, this once
    shoot(page, "people")
    page.get_by_role("link", name="set their skills and hours").click()
    page.get_by_label("Skill", exact=True).first.fill("premiere_pro")
    page.get_by_label("Level").first.select_option("3")
    page.get_by_label("Monday").fill("09:00-17:00")
    page.get_by_role("button", name="Save profile").click()
    expect(page.get_by_role("status")).to_contain_text("Rosa Lim's profile is saved")
    assert skill_row(app, "rosa.lim@studio.example", "premiere_pro") == (3, 3)  # set by an admin
    shoot(page, "person")
    log_out(page)

    login("rosa.lim@studio.example")
    page.goto("/profile")
    page.get_by_label("Level").first.select_option("5")
    page.get_by_role("button", name="Save profile").click()
    expect(page.get_by_role("status")).to_contain_text("count for routing once an admin or manager verifies")
    expect(page.locator(".skill-state").first).to_contain_text("routing counts level 3 until verified")
    assert skill_row(app, "rosa.lim@studio.example", "premiere_pro") == (5, 3)
    log_out(page)

    login(admin)
    page.goto("/admin/people")
    proposals = page.get_by_role("table", name="Skill levels to verify")
    expect(proposals).to_contain_text("Rosa Lim")
    expect(proposals).to_contain_text("level 5")
    shoot(page, "people-proposals")
    proposals.get_by_role("button", name="Verify premiere_pro level 5 for Rosa Lim").click()
    expect(page.get_by_role("status")).to_contain_text("premiere_pro level 5 verified")
    expect(page.get_by_role("table", name="Skill levels to verify")).to_have_count(0)
    assert skill_row(app, "rosa.lim@studio.example", "premiere_pro") == (5, 5)


def turnaround_due(app, task_id):
    with app.app_context():
        due = db.session.scalar(select(SlaClock.due_at).where(
            SlaClock.task_id == task_id, SlaClock.target == "turnaround", SlaClock.cycle == 0))
        db.session.remove()
        return due


def test_a_policy_change_moves_an_open_tasks_due_instant(page, login, make, app):
    admin, manager = make.user("admin"), make.user("manager")
    _, (task_id,) = make.brief(manager, work_type="design", priority="high", due_at=None)
    before = turnaround_due(app, task_id)
    login(admin)
    page.get_by_role("link", name="SLA").first.click()
    expect(page).to_have_url(re.compile(r"/admin/sla$"))
    shoot(page, "sla")
    cell = page.get_by_label("Design high Turnaround hours")
    expect(cell).to_have_value("8")
    cell.fill("twelve")
    page.get_by_role("button", name="Save policies").click()
    expect(page.get_by_role("alert")).to_contain_text("nothing was saved")
    expect(page.get_by_label("Design high Turnaround hours")).to_have_value("twelve")  # kept
    assert turnaround_due(app, task_id) == before
    page.get_by_label("Design high Turnaround hours").fill("12")
    page.get_by_role("button", name="Save policies").click()
    expect(page.get_by_role("status")).to_contain_text("1 open task took the new targets now")
    after = turnaround_due(app, task_id)
    assert (after - before).total_seconds() == 4 * 3600  # 8 h became 12 h on the 24x7 calendar

    page.goto("/admin/sla#calendar-business")
    business = page.locator("#calendar-business")
    business.get_by_label("Holidays (YYYY-MM-DD)").fill("2026-12-25\n2027-01-01\n2027-13-01")
    business.get_by_role("button", name="Save business").click()
    business = page.locator("#calendar-business")
    expect(business).to_contain_text("Not dates (YYYY-MM-DD): 2027-13-01.")
    business.get_by_label("Holidays (YYYY-MM-DD)").fill("2026-12-25, 2027-01-01, 2027-12-24")
    business.get_by_role("button", name="Save business").click()
    expect(page.get_by_role("status")).to_contain_text("Calendar business saved")

    page.get_by_role("link", name="Work types").first.click()
    shoot(page, "work-types")


GOOD = ("ana@studio.example,Ana Reyes,Asia/Manila,premiere_pro:4;after_effects:3,mon-fri 09:00-18:00,4,Luzon Creative\n"
        "ben@studio.example,Ben Okafor,Africa/Lagos,figma:3,mon-fri 08:00-16:00,,\n")
HEADER = "email,name,timezone,skills,hours,capacity,partner\n"


def specialists(app) -> int:
    with app.app_context():
        n = db.session.scalar(select(func.count()).select_from(User).where(User.role == "specialist"))
        db.session.remove()
        return n


def test_import_a_csv_with_a_bad_row_then_fixed(page, login, make, app):
    login(make.user("admin"))
    page.goto("/admin/people#import")
    bad = HEADER + GOOD + "cara@studio.example,Cara Diaz,Mars/Olympus,figma:2,mon-fri 09:00-17:00,,\n"
    page.get_by_label("CSV (paste)").fill(bad)
    page.get_by_role("button", name="Import", exact=True).click()
    expect(page.locator("#import-problems")).to_contain_text("Nothing was stored: 1 of 3 rows")
    expect(page.locator("#import-line-4")).to_contain_text("Unknown timezone 'Mars/Olympus'")
    expect(page.get_by_label("CSV (paste)")).to_have_value(bad)
    assert specialists(app) == 0
    shoot(page, "import-errors")
    page.get_by_label("CSV (paste)").fill(bad.replace("Mars/Olympus", "America/Bogota"))
    page.get_by_role("button", name="Preview").click()
    expect(page.get_by_role("status").first).to_contain_text("All 3 rows are ready")
    assert specialists(app) == 0
    page.get_by_role("button", name="Import", exact=True).click()
    imported = page.locator("#imported")
    expect(imported).to_contain_text("3 specialists imported")
    expect(imported.locator("code.token")).to_have_count(3)
    assert specialists(app) == 3
    shoot(page, "import-done")

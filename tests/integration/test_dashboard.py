"""/dashboard through Flask's test client: every role, each its own numbers, the period, coverage."""
import re
from datetime import datetime, timezone

import pytest

from broker.extensions import db
from broker.people.models import User
from broker.timeutil import utcnow
from broker.web import dashboard_data
from tasks import services as tasks
from tests.factories import logged_in
from tests.integration.test_query_counts import counted

NIGHTS = {d: [["22:00", "06:00"]] for d in ("mon", "tue", "wed", "thu", "fri")}



def queue_row(page, work_type) -> list[str] | None:
    """The cells of the queue table's row for a work type, or None when it has none."""
    found = re.search(rf'<tr id="queue-{work_type}">(.*?)</tr>', page.text)
    return re.findall(r"<td>([^<]*)</td>", found.group(1)) if found else None


def hour_row(page, hour) -> list[str]:
    found = re.search(rf'<tr id="hour-{hour}">(.*?)</tr>', page.text)
    return re.findall(r"<td>([^<]*)</td>", found.group(1))


def as_user(app, made, fn, *args):
    with app.app_context():
        try:
            return fn(db.session.get(User, made.id), *args)
        finally:
            db.session.remove()


@pytest.fixture
def two_managers(make):
    mine, theirs = make.user("manager"), make.user("manager")
    make.brief(mine, n_tasks=2, work_type="copywriting", title="Write the <b>launch</b> email")
    make.brief(theirs, n_tasks=5, work_type="design", title="Banner")
    return mine, theirs


def test_every_role_gets_the_page_with_the_nav_link_current(app, make, two_managers):
    for user in (two_managers[0], make.user("admin"), make.specialist()):
        page = logged_in(app, user).get("/dashboard")
        assert page.status_code == 200, page.text
        assert re.search(r'href="/dashboard" aria-current="page">Dashboard<', page.text)
        assert page.text.count("<svg") >= 2  # the queue and coverage at least
    anonymous = app.test_client().get("/dashboard")
    assert anonymous.status_code == 302 and "/login" in anonymous.headers["Location"]


def test_a_manager_sees_only_their_own_briefs(app, make, two_managers):
    mine, theirs = two_managers
    page = logged_in(app, mine).get("/dashboard")
    assert queue_row(page, "copywriting") == ["Copywriting", "0", "2", "0", "0", "0", "0", "0", "2"]  # pending first
    assert queue_row(page, "design") is None
    now = utcnow()
    data = as_user(app, mine, dashboard_data.dashboard, 28, now)
    assert data["overall"]["tasks"] == 2 and [r["group"] for r in data["work_types"]] == ["copywriting"]
    everything = as_user(app, make.user("admin"), dashboard_data.dashboard, 28, now)
    assert everything["overall"]["tasks"] == 7
    assert {r["work_type"]: r["total"] for r in everything["queue"]["rows"]} == {"copywriting": 2, "design": 5}
    theirs_page = logged_in(app, theirs).get("/dashboard")
    assert queue_row(theirs_page, "design")[-1] == "5" and queue_row(theirs_page, "copywriting") is None


def test_a_specialist_sees_their_own_tasks_attainment_and_the_open_queue(app, make, two_managers):
    manager, _ = two_managers
    specialist, other = make.specialist(), make.specialist()
    _, (done, _rest) = make.brief(manager, n_tasks=2)
    now = utcnow()
    as_user(app, specialist, lambda me: tasks.claim(done, me, now))
    as_user(app, specialist, lambda me: tasks.assignee_action(
        done, "submit", me, now, {"deliverable_url": "https://example.com/cut.mp4"}))
    as_user(app, manager, lambda me: tasks.owner_action(done, "approve", me, now, {"note": None}))
    data = as_user(app, specialist, dashboard_data.dashboard, 7, utcnow())
    assert (data["overall"]["tasks"], data["overall"]["attainment_pct"]) == (1, 100.0)
    assert data["scope"] == "your tasks"
    # The queue a specialist may see: their own open work (none left) and every queued task.
    assert {r["work_type"]: r["counts"] for r in data["queue"]["rows"]} == {
        "copywriting": {"queued": 2}, "design": {"queued": 5}, "video_editing": {"queued": 1}}
    assert as_user(app, other, dashboard_data.dashboard, 7, utcnow())["overall"]["tasks"] == 0
    page = logged_in(app, specialist).get("/dashboard?days=7")
    assert page.status_code == 200 and "100.0%" in page.text


@pytest.mark.parametrize("raw", ["5", "abc", "-7", "28.0", "<script>alert(1)</script>", "9" * 400])
def test_a_bad_period_falls_back_to_28_days_with_a_notice(app, make, raw):
    client = logged_in(app, make.user("manager"))
    page = client.get("/dashboard", query_string={"days": raw})
    assert page.status_code == 200
    assert "is not a period on offer" in page.text and "last 28 days" in page.text
    assert "<script>alert" not in page.text
    assert re.search(r'days=28" aria-current="true"', page.text)


@pytest.mark.parametrize("days", [7, 28, 90])
def test_each_period_on_offer_is_shown_without_a_notice(app, make, days):
    page = logged_in(app, make.user("admin")).get(f"/dashboard?days={days}")
    assert page.status_code == 200 and "is not a period on offer" not in page.text
    assert re.search(rf'days={days}" aria-current="true">Last {days} days<', page.text)


def test_coverage_counts_manila_office_hours_and_a_night_shift_across_midnight(app, make):
    make.specialist(timezone="Asia/Manila")  # Mon-Fri 09:00-17:00 local: 01:00-09:00 UTC
    make.specialist(timezone="Europe/London", hours=NIGHTS)  # 22:00-06:00; GMT in winter
    make.specialist(timezone="Asia/Manila", active=False)  # inactive: not counted
    winter = datetime(2026, 11, 24, 15, 30, tzinfo=timezone.utc)
    viewer = make.user("manager", timezone="Asia/Kolkata")
    cover = as_user(app, viewer, lambda me: dashboard_data.coverage(winter, me.timezone))
    five_of_seven = 5 / 7
    manila = dict.fromkeys(range(1, 9), five_of_seven)
    london = dict.fromkeys((22, 23, 0, 1, 2, 3, 4, 5), five_of_seven)
    assert [h["total"] for h in cover["hours"]] == [
        round(manila.get(h, 0) + london.get(h, 0), 2) for h in range(24)]
    assert cover["specialists"] == 2 and cover["zones"] == ["Europe/London", "Asia/Manila"]
    assert cover["gaps"] == ["09:00–22:00"]
    assert cover["hours"][1]["local"] == "06:30"  # labelled in the viewer's zone too
    page = logged_in(app, viewer).get("/dashboard")
    assert hour_row(page, 1)[:3] == ["01:00", "06:30", "1.43"]
    assert hour_row(page, 12)[2] == "0.00"
    assert "Nobody works 09:00–22:00 UTC" in page.text


def test_the_page_takes_the_same_queries_for_few_and_many_tasks(app, make):
    manager = make.user("manager")
    make.specialist()
    make.brief(manager, n_tasks=2)
    client = logged_in(app, manager)
    with counted(app) as few:
        assert client.get("/dashboard").status_code == 200
    for work_type in ("design", "copywriting", "reporting"):
        make.brief(manager, n_tasks=10, work_type=work_type)
    for zone in ("Europe/Warsaw", "America/Bogota", "Asia/Kolkata"):
        make.specialist(timezone=zone)
    with counted(app) as many:
        assert client.get("/dashboard?days=90").status_code == 200
    assert len(many) == len(few) <= 9, many  # was 11 with one report read per chart; +1: the owner wait


def test_a_partner_lead_sees_their_partners_work_and_coverage_only(app, make, two_managers):
    manager, _ = two_managers
    acme = make.specialist(timezone="Asia/Manila", partner="Acme")
    bolt = make.specialist(timezone="Europe/Warsaw", partner="Bolt")
    _, (theirs, ours) = make.brief(manager, n_tasks=2, work_type="video_editing")
    now = utcnow()
    as_user(app, acme, lambda me: tasks.claim(ours, me, now))
    as_user(app, bolt, lambda me: tasks.claim(theirs, me, now))
    lead = make.user("partner_lead", partner="Acme")
    data = as_user(app, lead, dashboard_data.dashboard, 28, now)
    assert data["scope"] == "the work of Acme's specialists"
    assert data["overall"]["tasks"] == 1
    assert {r["work_type"]: r["counts"] for r in data["queue"]["rows"]} == {"video_editing": {"in_progress": 1}}
    assert data["coverage"]["specialists"] == 1 and data["coverage"]["zones"] == ["Asia/Manila"]
    page = logged_in(app, lead).get("/dashboard")
    assert page.status_code == 200
    assert "Open tasks assigned to Acme&#39;s specialists" in page.text
    assert "Active specialists of Acme" in page.text
    # The links offered are the pages the lead's grants open (broker.people.permissions).
    nav = re.search(r"<nav>(.*?)</nav>", page.text, re.S).group(1)
    assert re.findall(r">([A-Z][a-z]+)</a>", nav) == ["Dashboard", "Costs", "Partner", "Notifications"]

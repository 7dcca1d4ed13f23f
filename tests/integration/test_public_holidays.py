"""Public holidays where people live: validated places, routing on Rizal Day, the profile, and an
SLA calendar that takes a country's holidays."""
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from markupsafe import escape

from broker.extensions import db
from broker.people.models import User
from broker.routing.service import route_round
from broker.timeutil import utcnow
from broker.worktime.arithmetic import is_working
from broker.worktime.calendars import week_of
from broker.worktime.public_holidays import upcoming
from sla.models import BusinessCalendar
from tasks import services
from tasks.models import Task
from tests.factories import logged_in

EVERY_DAY = {d: [["08:00", "18:00"]] for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")}
MANILA = ZoneInfo("Asia/Manila")


def next_rizal_day() -> date:
    today = utcnow().date()
    day = date(today.year, 12, 30)
    return day if day >= today else date(today.year + 1, 12, 30)


def rizal_morning() -> datetime:
    return datetime.combine(next_rizal_day(), datetime.min.time().replace(hour=10), tzinfo=MANILA)


def post_urgent(app, owner_id, now):
    data = {"title": "Year-end promo", "objective": "revenue", "success_metric": "ROAS 4",
            "tasks": [{"title": "Cut the teaser", "work_type": "video_editing", "priority": "urgent",
                       "estimate_hours": 2.0, "skills": [{"skill": "premiere_pro", "min_level": 3}]}]}
    with app.app_context():
        brief = services.create_brief(db.session.get(User, owner_id), data, now)
        return brief.tasks[0].id


def routed(app, task_id, now):
    with app.app_context():
        route_round(now)
        task = db.session.get(Task, task_id)
        return task.state, task.assignee_id, task.routing


def test_a_manila_editor_is_not_offered_urgent_work_on_rizal_day(app, make):
    manager = make.user("manager")
    make.specialist({"premiere_pro": 4}, hours=EVERY_DAY, country="PH")
    now = rizal_morning()
    task_id = post_urgent(app, manager.id, now)
    state, assignee, note = routed(app, task_id, now)
    assert (state, assignee) == ("queued", None)
    assert "on a public holiday in PH: Rizal Day" in note["summary"]


def test_the_explanation_names_the_holiday_of_who_was_left_out(app, make):
    manager = make.user("manager")
    editor = make.specialist({"premiere_pro": 4}, hours=EVERY_DAY, country="PH")
    other = make.specialist({"premiere_pro": 3}, hours=EVERY_DAY, timezone="Asia/Manila")
    now = rizal_morning()
    task_id = post_urgent(app, manager.id, now)
    state, assignee, note = routed(app, task_id, now)
    assert (state, assignee) == ("offered", other.id)
    assert f"Not offered to {editor_name(app, editor.id)}: on a public holiday in PH: Rizal Day" \
        in note["summary"]
    # The day before (not a holiday), she is a candidate like anyone else.
    before = now - timedelta(days=1)
    task2 = post_urgent(app, manager.id, before)
    candidates = [c["specialist_id"] for c in routed(app, task2, before)[2]["candidates"]]
    assert editor.id in candidates


def editor_name(app, user_id):
    with app.app_context():
        return db.session.get(User, user_id).name


def fields(response) -> dict:
    return response.json["errors"].get("json", response.json["errors"])


def test_country_and_subdivision_are_checked_field_by_field(app, make, client):
    admin = make.user("admin")
    spec = make.specialist()
    url = f"/api/v1/specialists/{spec.id}"
    bad = client.patch(url, json={"country": "XX"}, headers=admin.headers)
    assert bad.status_code == 422 and "country" in fields(bad)
    bad = client.patch(url, json={"country": "US", "subdivision": "ZZ"}, headers=admin.headers)
    assert bad.status_code == 422 and "subdivision" in fields(bad)
    bad = client.patch(url, json={"country": "ph"}, headers=admin.headers)
    assert bad.status_code == 422 and "country" in fields(bad)
    good = client.patch(url, json={"country": "US", "subdivision": "CA"}, headers=admin.headers)
    assert good.status_code == 200, good.json
    assert (good.json["country"], good.json["subdivision"]) == ("US", "CA")
    assert good.json["public_holidays"] and {"date", "name"} <= set(good.json["public_holidays"][0])
    again = client.patch(url, json={"country": "PH"}, headers=admin.headers)  # drops CA
    assert (again.json["country"], again.json["subdivision"]) == ("PH", None)


def test_the_profile_page_takes_a_country_and_shows_its_holidays(app, make):
    spec = make.specialist()
    browser = logged_in(app, spec)
    page = browser.get("/profile").text
    token = page.split('name="csrf_token" value="')[1].split('"')[0]
    form = {"csrf_token": token, "timezone": "Asia/Manila", "capacity": "3", "skill_rows": "1",
            "skill-0-name": "premiere_pro", "skill-0-level": "4", "hours-mon": "09:00–17:00"}
    refused = browser.post("/profile", data=form | {"country": "ZZ"})
    assert refused.status_code == 422 and "Unknown country" in refused.text
    saved = browser.post("/profile", data=form | {"country": "ph"}, follow_redirects=True)
    assert saved.status_code == 200
    next_one = upcoming("PH", None, utcnow().date(), count=1)[0][1]  # whatever the date
    assert "Public holidays" in saved.text and str(escape(next_one)) in saved.text


def test_an_sla_calendar_takes_a_country(app, make, client):
    admin = make.user("admin")
    body = {"name": "manila", "timezone": "Asia/Manila", "hours": EVERY_DAY, "country": "PH"}
    bad = client.post("/api/v1/sla/calendars", json=body | {"country": "QQ"}, headers=admin.headers)
    assert bad.status_code == 422 and "country" in fields(bad)
    made = client.post("/api/v1/sla/calendars", json=body, headers=admin.headers)
    assert made.status_code == 201, made.json
    assert made.json["country"] == "PH"
    with app.app_context():
        week = week_of(db.session.get(BusinessCalendar, "manila"))
    assert not is_working(week, rizal_morning())
    assert is_working(week, rizal_morning() - timedelta(days=1))

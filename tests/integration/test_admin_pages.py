"""The admin pages through the test client: inline errors that keep what was typed, the
services they call, and skill rows that leave proposals standing."""
from sqlalchemy import select

from broker.extensions import db
from broker.people.models import SpecialistSkill
from tasks.models import WorkType
from tests.factories import csrf_token, logged_in


def post(client, path, data, page="/admin/people"):
    return client.post(path, data={**data, "csrf_token": csrf_token(client, page)})


def test_adding_a_person_shows_the_token_once_and_errors_inline(app, make):
    admin = logged_in(app, make.user("admin"))
    bad = post(admin, "/admin/people", {"email": "not-an-email", "name": "Lee", "role": "manager",
                                        "timezone": "Mars/Olympus"})
    assert bad.status_code == 422
    assert "Not a valid email address." in bad.text and "Unknown timezone" in bad.text
    assert 'value="not-an-email"' in bad.text and 'value="Lee"' in bad.text  # nothing lost
    good = post(admin, "/admin/people", {"email": "lee@example.com", "name": "Lee", "role": "manager",
                                         "timezone": "America/Chicago"})
    assert good.status_code == 200 and "brk_" in good.text
    assert "brk_" not in admin.get("/admin/people").text  # shown once
    again = post(admin, "/admin/people", {"email": "LEE@example.com", "name": "Lee", "role": "manager",
                                          "timezone": "America/Chicago"})
    assert again.status_code == 422 and "already exists" in again.text


def test_the_last_admin_cannot_be_demoted_from_the_page(app, make):
    me = make.user("admin")
    admin = logged_in(app, me)
    answer = post(admin, f"/admin/people/{me.id}/account", {"role": "manager"})
    assert answer.status_code == 302
    assert "last active admin" in admin.get("/admin/people").text


def skills(app, user_id):
    with app.app_context():
        rows = db.session.scalars(select(SpecialistSkill).where(SpecialistSkill.specialist_id == user_id))
        found = {s.skill: (s.level, s.verified_level) for s in rows}
        db.session.remove()
        return found


def test_saving_skill_rows_verifies_them_and_leaves_proposals_standing(app, make, client):
    admin_user = make.user("admin")
    spec = make.specialist({"premiere_pro": 3, "figma": 2})
    client.patch(f"/api/v1/specialists/{spec.id}", headers=spec.headers, json={"skills": [
        {"skill": "premiere_pro", "level": 5}, {"skill": "figma", "level": 2},
        {"skill": "after_effects", "level": 4}]})
    admin = logged_in(app, admin_user)
    page = admin.get(f"/admin/people/{spec.id}").text
    assert 'id="proposal-premiere_pro"' in page and 'id="proposal-after_effects"' in page
    form = {"name": "Spec", "timezone": "Asia/Manila", "capacity": "4", "routed": "1",
            "hours-mon": "09:00-17:00", "skill_rows": "3",
            "skill-0-name": "figma", "skill-0-level": "3",
            "skill-1-name": "premiere_pro", "skill-1-level": "3", "skill-2-name": "", "skill-2-level": ""}
    answer = post(admin, f"/admin/people/{spec.id}", form, f"/admin/people/{spec.id}")
    assert answer.status_code == 302
    assert skills(app, spec.id) == {"figma": (3, 3), "premiere_pro": (5, 3), "after_effects": (4, None)}
    bad = post(admin, f"/admin/people/{spec.id}", form | {"capacity": "99", "hours-tue": "nine to five"},
               f"/admin/people/{spec.id}")
    assert bad.status_code == 422 and "nine to five" in bad.text and 'value="99"' in bad.text
    post(admin, f"/admin/people/{spec.id}/skills/reject", {"skill": "after_effects"}, f"/admin/people/{spec.id}")
    post(admin, f"/admin/people/{spec.id}/skills/verify", {"skill": "premiere_pro", "level": "5"},
         f"/admin/people/{spec.id}")
    assert skills(app, spec.id) == {"figma": (3, 3), "premiere_pro": (5, 5)}


def test_policy_cells_are_checked_one_by_one(app, make):
    admin = logged_in(app, make.user("admin"))
    answer = post(admin, "/admin/sla/policies", {
        "design-low-ack": "8", "design-low-turnaround": "-1", "design-low-warn": "150",
        "design-low-calendar": "nowhere"}, "/admin/sla")
    assert answer.status_code == 422
    assert 'id="design-low-turnaround-error"' in answer.text and 'value="150"' in answer.text
    assert "A share between 0 and 100 %" in answer.text


def test_work_types_are_added_and_changed(app, make):
    admin = logged_in(app, make.user("admin"))
    bad = post(admin, "/admin/work-types", {"slug": "Podcasts!", "name": "Podcasts", "skills": "audition"},
               "/admin/work-types")
    assert bad.status_code == 422 and "write skill:level" in bad.text
    made = post(admin, "/admin/work-types", {"slug": "podcast_editing", "name": "Podcast editing",
                                             "skills": "audition:3; descript:2"}, "/admin/work-types")
    assert made.status_code == 302
    taken = post(admin, "/admin/work-types", {"slug": "podcast_editing", "name": "Again", "skills": ""},
                 "/admin/work-types")
    assert taken.status_code == 409 and "exists already" in taken.text
    with app.app_context():
        found = db.session.get(WorkType, "podcast_editing")
        assert found.default_skills == [{"skill": "audition", "min_level": 3},
                                        {"skill": "descript", "min_level": 2}]
        db.session.delete(found)  # the catalogue is kept between tests
        db.session.commit()


def test_managers_and_specialists_do_not_see_the_admin_nav(app, make):
    manager = logged_in(app, make.user("manager")).get("/dashboard").text
    assert "/admin/people" not in manager
    admin = logged_in(app, make.user("admin")).get("/dashboard").text
    assert "/admin/people" in admin and "/admin/sla" in admin and "/admin/work-types" in admin


def test_a_calendar_form_keeps_what_it_does_not_show_and_unknown_ones_are_404(app, make):
    from sla.models import BusinessCalendar
    admin = logged_in(app, make.user("admin"))
    assert post(admin, "/admin/sla/calendars/nowhere", {"timezone": "UTC"}, "/admin/sla").status_code == 404
    saved = post(admin, "/admin/sla/calendars/business", {
        "timezone": "America/Chicago", "hours-mon": "08:00-16:00", "holidays": "2026-12-25\n2027-01-01"},
        "/admin/sla")
    assert saved.status_code == 302
    with app.app_context():
        cal = db.session.get(BusinessCalendar, "business")
        assert (cal.timezone, cal.hours, cal.holidays) == (
            "America/Chicago", {"mon": [["08:00", "16:00"]]}, ["2026-12-25", "2027-01-01"])
        db.session.remove()


def test_a_calendar_takes_a_countrys_public_holidays_from_the_page(app, make):
    from sla.models import BusinessCalendar
    admin = logged_in(app, make.user("admin"))
    bad = post(admin, "/admin/sla/calendars/business", {
        "timezone": "Asia/Manila", "hours-mon": "09:00-17:00", "country": "xx"}, "/admin/sla")
    assert bad.status_code == 422 and "Unknown country" in bad.text and 'value="xx"' in bad.text
    with app.app_context():
        assert db.session.get(BusinessCalendar, "business").country is None  # nothing stored
        db.session.remove()
    good = post(admin, "/admin/sla/calendars/business", {
        "timezone": "Asia/Manila", "hours-mon": "09:00-17:00", "country": "ph"}, "/admin/sla")
    assert good.status_code == 302
    with app.app_context():
        assert db.session.get(BusinessCalendar, "business").country == "PH"
        db.session.remove()
    assert 'value="PH"' in admin.get("/admin/sla").text


def test_an_admin_sets_a_specialists_hourly_cost_on_the_page(app, make):
    from decimal import Decimal

    from broker.people.models import SpecialistProfile
    admin = logged_in(app, make.user("admin"))
    spec = make.specialist({"figma": 2})
    form = {"name": "Spec", "timezone": "Asia/Manila", "capacity": "4", "routed": "1",
            "hours-mon": "09:00-17:00", "skill_rows": "1", "skill-0-name": "figma", "skill-0-level": "2"}
    bad = post(admin, f"/admin/people/{spec.id}", form | {"hourly_cost": "cheap"}, f"/admin/people/{spec.id}")
    assert bad.status_code == 422 and 'value="cheap"' in bad.text and "Not a valid number" in bad.text
    good = post(admin, f"/admin/people/{spec.id}", form | {"hourly_cost": "18.5"}, f"/admin/people/{spec.id}")
    assert good.status_code == 302
    with app.app_context():
        assert db.session.get(SpecialistProfile, spec.id).hourly_cost == Decimal("18.50")
        db.session.remove()
    assert 'value="18.50"' in admin.get(f"/admin/people/{spec.id}").text

"""/admin/people/<id>: one person. For a specialist: skills with their verification (verify or
turn down proposals), weekly hours, capacity, partner, auto-accept, routing on or off, and time
off. The rules stay in the API's schemas and the people services, as on /profile."""
from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from marshmallow import ValidationError

from broker.api.people.schemas import SpecialistPatchSchema
from broker.errors import DomainError, InvalidInput
from broker.extensions import db
from broker.people import permissions, verification
from broker.people import services as people
from broker.people.models import User
from broker.timeutil import utcnow
from broker.web import permission_required, web
from broker.web import profile_form as pf
from broker.web.time_off_form import book_time_off
from broker.worktime.weekly_hours import WEEKDAYS


def _person(user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None:
        abort(404, description=f"There is nobody with id {user_id}.")
    return user


def _stored_form(user: User) -> dict:
    p = user.profile
    return {"name": user.name, "timezone": user.timezone, "capacity": str(p.capacity),
            "partner": p.partner or "", "auto_accept": "1" if p.auto_accept else "",
            "hourly_cost": "" if p.hourly_cost is None else f"{p.hourly_cost:.2f}",
            "routed": "1" if p.active else ""} | {
        f"hours-{d}": t for d, t in pf.hours_text(p.working_hours).items()}


def _verified_rows(user: User) -> list[dict]:
    """The editable skill rows: verified levels only (proposals are decided apart)."""
    rows = [{"skill": s.skill, "level": str(s.verified_level)} for s in user.profile.skills
            if s.verified_level is not None]
    return rows + [{"skill": "", "level": ""} for _ in range(pf.EXTRA_SKILL_ROWS)]


def _render(user: User, form=None, skills=None, errors=None, time_off_form=None,
            time_off_errors=None, status=200):
    profile = user.profile
    context = {"person": user, "profile": profile, "weekdays": WEEKDAYS, "day_names": pf.DAY_NAMES,
               "errors": errors or {}, "time_off_form": time_off_form or {},
               "time_off_errors": time_off_errors or {}, "timezones": pf.timezone_names(),
               "span_hint": pf.SPAN_HINT, "currency": current_app.config["BROKER_CURRENCY"]}
    if profile is not None:
        now = utcnow()
        context |= {"form": form if form is not None else _stored_form(user),
                    "skills": skills if skills is not None else _verified_rows(user),
                    "proposals": [s for s in profile.skills if not s.verified],
                    "time_off": [t for t in profile.time_off if t.ends_at > now]}
    return render_template("admin/person.html", **context), status


@web.route("/admin/people/<id:user_id>")
@permission_required(permissions.MANAGE_PEOPLE)
def admin_person(user_id):
    return _render(_person(user_id))


def _payload(form) -> tuple[dict, dict, list, list]:
    hours, hour_problems = pf.parse_hours(form)
    rows = pf.skill_rows(form)
    skills, row_of, skill_problems = pf.skills_payload(rows)
    capacity = form.get("capacity", "").strip()
    data = {"name": form.get("name", "").strip(), "timezone": form.get("timezone", "").strip(),
            "working_hours": hours, "skills": skills,
            "capacity": int(capacity) if capacity.isdigit() else capacity,
            "partner": form.get("partner", "").strip() or None,
            "hourly_cost": form.get("hourly_cost", "").strip() or None,
            "auto_accept": form.get("auto_accept") == "1", "active": form.get("routed") == "1"}
    return data, {"hours": hour_problems, "skills": skill_problems, "fields": {}}, rows, row_of


@web.route("/admin/people/<id:user_id>", methods=["POST"])
@permission_required(permissions.MANAGE_PEOPLE)
def admin_update_person(user_id):
    """Save a specialist's profile; skill rows set verified levels and leave proposals standing."""
    user = _person(user_id)
    if user.profile is None:
        abort(404, description=f"{user.name} is a {user.role}, without a specialist profile.")
    data, errors, rows, row_of = _payload(request.form)
    loaded = None
    try:
        loaded = SpecialistPatchSchema().load(data)
    except ValidationError as exc:
        errors = pf.merge_errors(errors, exc.messages, row_of)
    if loaded is not None and not any(errors.values()):
        try:
            people.update_specialist(current_user, user_id, loaded, keep_proposals=True)
        except InvalidInput as exc:
            errors = pf.merge_errors(errors, exc.errors, row_of)
    if any(errors.values()):
        return _render(_person(user_id), request.form, rows, errors, status=422)
    flash(f"{user.name}'s profile is saved.")
    return redirect(url_for("web.admin_person", user_id=user_id))


def _decided(user_id: int, call, done: str):
    try:
        call()
        flash(done)
    except DomainError as exc:
        flash(exc.message, "error")
    if request.form.get("back") == "people":
        return redirect(url_for("web.admin_people", _anchor="proposals"))
    if request.form.get("back") == "skills" or not permissions.may(current_user, permissions.MANAGE_PEOPLE):
        return redirect(url_for("web.skill_proposals"))
    return redirect(url_for("web.admin_person", user_id=user_id, _anchor="skills"))


@web.route("/admin/people/<id:user_id>/skills/verify", methods=["POST"])
@permission_required(permissions.VERIFY_SKILLS)  # managers too, from /skills
def admin_verify_skill(user_id):
    skill, level = request.form.get("skill", ""), request.form.get("level", "")
    item = {"skill": skill, "level": int(level) if level.isdigit() else 0}
    return _decided(user_id, lambda: verification.verify_skills(current_user, user_id, [item]),
                    f"{skill} level {level} verified; routing counts it from now on.")


@web.route("/admin/people/<id:user_id>/skills/reject", methods=["POST"])
@permission_required(permissions.VERIFY_SKILLS)
def admin_reject_skill(user_id):
    skill = request.form.get("skill", "")
    return _decided(user_id, lambda: verification.reject_proposals(current_user, user_id, [skill]),
                    f"The proposed {skill} level is turned down.")


@web.route("/admin/people/<id:user_id>/time-off", methods=["POST"])
@permission_required(permissions.MANAGE_PEOPLE)
def admin_add_time_off(user_id):
    user = _person(user_id)
    problems = book_time_off(user, request.form)
    if problems:
        return _render(_person(user_id), time_off_form=request.form, time_off_errors=problems,
                       status=422)
    flash(f"Time off booked for {user.name}; routing offers them nothing in that time.")
    return redirect(url_for("web.admin_person", user_id=user_id, _anchor="time-off"))

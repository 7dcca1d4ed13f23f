"""/profile: a specialist's own working hours, timezone, skills, capacity and time off."""
from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user
from marshmallow import ValidationError

from broker.api.people.schemas import SpecialistPatchSchema
from broker.errors import InvalidInput, NotAllowed
from broker.people import permissions
from broker.people import services as people
from broker.timeutil import utcnow
from broker.web import permission_required, web
from broker.web import profile_form as pf
from broker.web.time_off_form import book_time_off
from broker.worktime.public_holidays import upcoming
from broker.worktime.weekly_hours import WEEKDAYS


def _render(form=None, skills=None, errors=None, time_off_form=None, time_off_errors=None,
            status=200):
    """The page; `form` holds what was typed (None: the stored profile)."""
    user = current_user
    profile = user.profile
    if form is None:
        form = {"timezone": user.timezone, "capacity": str(profile.capacity),
                "country": profile.country or "", "subdivision": profile.subdivision or ""} | {
            f"hours-{d}": t for d, t in pf.hours_text(profile.working_hours).items()}
    now = utcnow()
    return render_template(
        "specialist/profile.html", form=form, profile=profile, weekdays=WEEKDAYS,
        day_names=pf.DAY_NAMES, skills=skills if skills is not None else pf.skill_rows(skills=profile.skills),
        errors=errors or {}, time_off=[t for t in profile.time_off if t.ends_at > now],
        time_off_form=time_off_form or {}, time_off_errors=time_off_errors or {},
        timezones=pf.timezone_names(), span_hint=pf.SPAN_HINT,
        public_holidays=upcoming(profile.country, profile.subdivision, now.date(), count=8),
        verification={s.skill: s for s in profile.skills},
    ), status


@web.route("/profile")
@permission_required(permissions.TAKE_WORK)
def profile():
    return _render()


def _profile_payload(form) -> tuple[dict, dict, list, dict]:
    """The PATCH-like payload of the form, errors found while reading it, and the skill rows."""
    hours, hour_problems = pf.parse_hours(form)
    rows = pf.skill_rows(form)
    skills, row_of, skill_problems = pf.skills_payload(rows)
    data = {"timezone": form.get("timezone", "").strip(), "working_hours": hours, "skills": skills,
            "country": form.get("country", "").strip().upper() or None,
            "subdivision": form.get("subdivision", "").strip().upper() or None}
    capacity = form.get("capacity", "").strip()
    if capacity != str(current_user.profile.capacity):  # only an admin may change it: say so
        data["capacity"] = int(capacity) if capacity.lstrip("-").isdigit() else capacity
    errors = {"hours": hour_problems, "skills": skill_problems, "fields": {}}
    return data, errors, rows, row_of


@web.route("/profile", methods=["POST"])
@permission_required(permissions.TAKE_WORK)
def update_profile():
    form = request.form
    data, errors, rows, row_of = _profile_payload(form)
    loaded = None
    try:
        loaded = SpecialistPatchSchema().load(data)
    except ValidationError as exc:
        errors = pf.merge_errors(errors, exc.messages, row_of)
    if loaded is not None and not any(errors.values()):
        try:
            people.update_specialist(current_user, current_user.id, loaded)
        except InvalidInput as exc:
            errors = pf.merge_errors(errors, exc.errors, row_of)
        except NotAllowed as exc:  # capacity (and active) are an admin's to change
            key = "capacity" if "capacity" in data else "form"
            errors["fields"][key] = exc.message
    if any(errors.values()):
        return _render(form, rows, errors, status=422)
    pending = [s.skill for s in current_user.profile.skills if not s.verified]
    flash("Your profile is saved." + (f" New levels ({', '.join(pending)}) count for routing once an "
                                      "admin or manager verifies them." if pending else ""))
    return redirect(url_for("web.profile"))


@web.route("/profile/time-off", methods=["POST"])
@permission_required(permissions.TAKE_WORK)
def add_time_off():
    problems = book_time_off(current_user, request.form)
    if problems:
        return _render(time_off_form=request.form, time_off_errors=problems, status=422)
    flash("Time off booked; routing will not offer you work in that time.")
    return redirect(url_for("web.profile", _anchor="time-off"))

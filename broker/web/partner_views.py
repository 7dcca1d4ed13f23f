"""/partner: a partner lead sees their partner's specialists and balances them (hours, time off,
capacity up to the cap an admin set)."""
from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from marshmallow import ValidationError

from broker.api.people.schemas import SpecialistPatchSchema
from broker.errors import InvalidInput, NotAllowed
from broker.people import permissions
from broker.people import services as people
from broker.people.partners import capacity_cap
from broker.timeutil import utcnow
from broker.web import partner_data, permission_required, web
from broker.web import profile_form as pf
from broker.web.time_off_form import book_time_off
from broker.worktime.weekly_hours import WEEKDAYS


@web.route("/partner")
@permission_required(permissions.LEAD_PARTNER)
def partner():
    partner_name = permissions.leads(current_user)
    if partner_name is None:
        abort(403, description="Your account leads no partner yet; an admin sets it.")
    now = utcnow()
    return render_template("partner/index.html", o=partner_data.overview(partner_name, now), now_utc=now)


def _their_specialist(user_id: int):
    """One of the lead's partner's specialists; 404 for none, 403 for another partner's."""
    user = people.specialist(user_id)
    if not permissions.may_read_profile(current_user, user_id, user.profile.partner) \
            or permissions.leads(current_user) is None:
        abort(403, description="This specialist works for another partner.")
    return user


def _render(user, form=None, errors=None, time_off_form=None, time_off_errors=None, status=200):
    profile = user.profile
    if form is None:
        form = {"capacity": str(profile.capacity)} | {
            f"hours-{d}": t for d, t in pf.hours_text(profile.working_hours).items()}
    now = utcnow()
    return render_template(
        "partner/specialist.html", person=user, profile=profile, form=form, errors=errors or {},
        weekdays=WEEKDAYS, day_names=pf.DAY_NAMES, span_hint=pf.SPAN_HINT,
        cap=capacity_cap(profile.partner), time_off=[t for t in profile.time_off if t.ends_at > now],
        time_off_form=time_off_form or {}, time_off_errors=time_off_errors or {}), status


@web.route("/partner/specialists/<id:user_id>")
@permission_required(permissions.LEAD_PARTNER)
def partner_specialist(user_id):
    return _render(_their_specialist(user_id))


def _payload(form, profile) -> tuple[dict, dict]:
    hours, problems = pf.parse_hours(form)
    data: dict = {"working_hours": hours}
    capacity = form.get("capacity", "").strip()
    if capacity != str(profile.capacity):
        data["capacity"] = int(capacity) if capacity.lstrip("-").isdigit() else capacity
    return data, {"hours": problems, "fields": {}}


@web.route("/partner/specialists/<id:user_id>", methods=["POST"])
@permission_required(permissions.LEAD_PARTNER)
def partner_update_specialist(user_id):
    user = _their_specialist(user_id)
    data, errors = _payload(request.form, user.profile)
    loaded = None
    try:
        loaded = SpecialistPatchSchema().load(data)
    except ValidationError as exc:
        errors["fields"] |= pf.field_errors(exc.messages)
        if "working_hours" in exc.messages:
            errors["hours"] |= pf.hours_errors_by_day(exc.messages["working_hours"])
    if loaded is not None and not any(errors.values()):
        try:
            people.update_specialist(current_user, user_id, loaded)
        except (InvalidInput, NotAllowed) as exc:
            errors["fields"] |= pf.field_errors(exc.errors) or {"form": exc.message}
    if any(errors.values()):
        return _render(user, request.form, errors, status=422)
    flash(f"{user.name}'s hours and capacity are saved.")
    return redirect(url_for("web.partner_specialist", user_id=user_id))


@web.route("/partner/specialists/<id:user_id>/time-off", methods=["POST"])
@permission_required(permissions.LEAD_PARTNER)
def partner_time_off(user_id):
    user = _their_specialist(user_id)
    problems = book_time_off(user, request.form)
    if problems:
        return _render(user, time_off_form=request.form, time_off_errors=problems, status=422)
    flash(f"Time off booked for {user.name}; routing will not offer them work in that time.")
    return redirect(url_for("web.partner_specialist", user_id=user_id, _anchor="time-off"))

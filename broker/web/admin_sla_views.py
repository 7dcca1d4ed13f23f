"""/admin/sla: the policy grid (work type × priority: acknowledgement and turnaround hours, warning
share, calendar) and the business calendars (timezone, weekly hours, holidays pasted as dates).
Checked by the API's schemas, stored by sla.services."""
import re

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user
from marshmallow import ValidationError
from sqlalchemy import select

from broker.api.sla.schemas import CalendarSchema, PolicySchema
from broker.errors import DomainError
from broker.extensions import db
from broker.people import permissions
from broker.timeutil import utcnow
from broker.web import permission_required, web
from broker.web import profile_form as pf
from broker.web.form_fields import error_text
from broker.worktime.weekly_hours import WEEKDAYS
from sla import services
from sla.defaults import ALWAYS
from tasks.models import WorkType
from tasks.vocabulary import PRIORITIES

CELLS = ("ack", "turnaround", "warn", "calendar")


def _policy_form() -> dict:
    form = {"apply_now": "1"}
    for p in services.policies():
        key = f"{p.work_type}-{p.priority}"
        form |= {f"{key}-ack": f"{p.ack_hours:g}", f"{key}-turnaround": f"{p.turnaround_hours:g}",
                 f"{key}-warn": f"{p.warn_at * 100:g}", f"{key}-calendar": p.calendar}
    return form


def _calendar_form(cal) -> dict:
    return {"timezone": cal.timezone, "holidays": "\n".join(cal.holidays),
            "country": cal.country or "", "subdivision": cal.subdivision or ""} | {
        f"hours-{d}": t for d, t in pf.hours_text(cal.hours).items()}


def _render(status=200, policy_form=None, policy_errors=None, calendar_forms=None,
            calendar_errors=None, new_form=None, new_errors=None):
    calendars = services.calendars()
    forms = {c.name: _calendar_form(c) for c in calendars} | (calendar_forms or {})
    return render_template(
        "admin/sla.html", work_types=db.session.scalars(select(WorkType).order_by(WorkType.name)).all(),
        priorities=PRIORITIES, calendars=calendars, always=ALWAYS,
        policy_form=policy_form if policy_form is not None else _policy_form(),
        policy_errors=policy_errors or {}, calendar_forms=forms, calendar_errors=calendar_errors or {},
        new_form=new_form or {}, new_errors=new_errors or {}, weekdays=WEEKDAYS,
        day_names=pf.DAY_NAMES, timezones=pf.timezone_names(), span_hint=pf.SPAN_HINT), status


@web.route("/admin/sla")
@permission_required(permissions.MANAGE_SETTINGS)
def admin_sla():
    return _render()


def _number(text: str, scale: float = 1.0):
    try:
        return float(text) / scale
    except ValueError:
        return text  # the schema names it


def _policy_items(form) -> tuple[list[dict], list[str]]:
    """The grid's filled cells as policies, and the cell key of each."""
    items, keys = [], []
    for wt in db.session.scalars(select(WorkType.slug).order_by(WorkType.slug)):
        for prio in PRIORITIES:
            key = f"{wt}-{prio}"
            cells = {c: form.get(f"{key}-{c}", "").strip() for c in CELLS}
            if not any(cells[c] for c in ("ack", "turnaround", "warn")):
                continue  # a blank row of a work type without a policy yet
            items.append({"work_type": wt, "priority": prio, "ack_hours": _number(cells["ack"]),
                          "turnaround_hours": _number(cells["turnaround"]),
                          "warn_at": _number(cells["warn"], 100), "calendar": cells["calendar"]})
            keys.append(key)
    return items, keys


def _cell_errors(messages: dict, keys: list[str]) -> dict:
    names = {"ack_hours": "ack", "turnaround_hours": "turnaround", "warn_at": "warn",
             "calendar": "calendar", "priority": "ack", "work_type": "ack"}
    out = {}
    for index, fields in messages.items():
        for name, problem in (fields.items() if isinstance(fields, dict) else []):
            text = error_text(problem)
            if name == "warn_at":
                text = "A share between 0 and 100 %, like 75." if "between" in text or "less" in text \
                    or "greater" in text else text
            out[f"{keys[int(index)]}-{names.get(name, 'ack')}"] = text
    return out


@web.route("/admin/sla/policies", methods=["POST"])
@permission_required(permissions.MANAGE_SETTINGS)
def admin_save_policies():
    items, keys = _policy_items(request.form)
    try:
        loaded = PolicySchema(many=True).load(items)
        if request.form.get("apply_now") == "1":
            moved = services.set_policies_now(current_user, loaded, utcnow())
            flash(f"Policies saved; {moved} open task{'s' if moved != 1 else ''} took the new targets now.")
        else:
            services.set_policies(current_user, loaded)
            flash("Policies saved; open tasks take the new targets at their next event.")
    except ValidationError as exc:
        return _render(422, request.form, _cell_errors(exc.messages, keys))
    except DomainError as exc:
        return _render(exc.status, request.form, _cell_errors(exc.errors, keys) or {"form": exc.message})
    return redirect(url_for("web.admin_sla"))


def _calendar_data(form, name: str, stored=None) -> tuple[dict, dict]:
    """The calendar the form describes, over what is stored (a field this form does not show
    keeps its value: the API replaces a calendar whole), and what could not be read."""
    hours, problems = pf.parse_hours(form)
    holidays = [d for d in re.split(r"[\s,;]+", form.get("holidays", "")) if d]
    kept = CalendarSchema(exclude=("updated_at",)).dump(stored) if stored is not None else {}
    data = kept | {"name": name, "timezone": form.get("timezone", "").strip(), "hours": hours,
                   "holidays": holidays,
                   "country": form.get("country", "").strip().upper() or None,
                   "subdivision": form.get("subdivision", "").strip().upper() or None}
    return data, {f"hours-{d}": p for d, p in problems.items()}


def _calendar_errors(messages: dict, holidays: list[str]) -> dict:
    """Schema or service errors as {field: text}; bad holidays named by what was typed."""
    out = {}
    for key, value in messages.items():
        if key == "hours" and isinstance(value, dict):
            out |= {f"hours-{d}": error_text(v) for d, v in value.items()}
        elif key == "holidays" and isinstance(value, dict):
            bad = [holidays[int(i)] for i in value if str(i).isdigit() and int(i) < len(holidays)]
            out["holidays"] = f"Not dates (YYYY-MM-DD): {', '.join(bad)}."
        else:
            out[key] = error_text(value)
    return out


def _save_calendar(name: str | None):
    """Create (`name` None: from the form) or replace a calendar; the page again on errors."""
    new = name is None
    stored = None if new else services.calendar(name)
    data, problems = _calendar_data(request.form, request.form.get("name", "").strip() if new else name,
                                    stored)
    try:
        loaded = CalendarSchema().load(data)
    except ValidationError as exc:
        return _calendar_page(new, name, _calendar_errors(exc.messages, data["holidays"]) | problems, 422)
    if problems:
        return _calendar_page(new, name, problems, 422)
    try:
        if new:
            services.create_calendar(current_user, loaded)
        else:
            services.replace_calendar(current_user, name, loaded)
    except DomainError as exc:
        errors = _calendar_errors(exc.errors, data["holidays"]) or {"form": exc.message}
        return _calendar_page(new, name, errors, exc.status)
    flash(f"Calendar {data['name']} saved; targets counted on it move at each task's next event.")
    return redirect(url_for("web.admin_sla", _anchor=f"calendar-{data['name']}"))


def _calendar_page(new: bool, name, errors: dict, status: int):
    if new:
        return _render(status, new_form=request.form, new_errors=errors)
    return _render(status, calendar_forms={name: request.form}, calendar_errors={name: errors})


@web.route("/admin/sla/calendars", methods=["POST"])
@permission_required(permissions.MANAGE_SETTINGS)
def admin_add_calendar():
    return _save_calendar(None)


@web.route("/admin/sla/calendars/<string(maxlength=64):name>", methods=["POST"])
@permission_required(permissions.MANAGE_SETTINGS)
def admin_save_calendar(name):
    return _save_calendar(name)

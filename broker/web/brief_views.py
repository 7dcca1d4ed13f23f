"""Manager pages: /briefs, /briefs/new, /briefs/<id> and the review buttons on it."""
from functools import wraps

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from marshmallow import ValidationError
from sqlalchemy import select

from broker.api.work.schemas import BriefCreateSchema
from broker.errors import InvalidInput
from broker.extensions import db
from broker.timeutil import utcnow
from broker.web import brief_form, web
from tasks import lifecycle, services
from tasks.models import OBJECTIVES, PRIORITIES, WorkType


def role_required(*roles):
    def decorate(view):
        @wraps(view)
        @login_required
        def wrapper(*args, **kwargs):
            if current_user.role not in roles:
                abort(403)
            return view(*args, **kwargs)
        return wrapper
    return decorate


@web.route("/briefs")
@role_required("manager", "admin")
def briefs():
    rows = db.session.scalars(services.visible_briefs(current_user)).all()
    return render_template("briefs/list.html", briefs=rows)


def _render_form(form, rows, brief_errors=None, task_errors=None, status=200):
    work_types = db.session.scalars(select(WorkType).order_by(WorkType.name)).all()
    return render_template(
        "briefs/new.html", form=form, rows=rows, work_types=work_types, objectives=OBJECTIVES,
        priorities=PRIORITIES, brief_errors=brief_errors or {}, task_errors=task_errors or {},
    ), status


@web.route("/briefs/new", methods=["GET", "POST"])
@role_required("manager")
def new_brief():
    if request.method == "GET":
        return _render_form({}, brief_form.task_rows({}))
    rows = brief_form.task_rows(request.form)
    if request.form.get("action") == "add_row":
        rows.append({f: "" for f in brief_form.TASK_FIELDS} | {"needs_manager_overlap": False})
        return _render_form(request.form, rows)
    data, row_of, parse_errors = brief_form.payload(request.form, rows, current_user.timezone)
    try:
        if parse_errors:
            raise InvalidInput("Some task rows are not valid.",
                               {"tasks": {row_of.index(i): e for i, e in parse_errors.items()}})
        brief = services.create_brief(current_user, BriefCreateSchema().load(data), utcnow())
    except (ValidationError, InvalidInput) as exc:
        messages = exc.messages if isinstance(exc, ValidationError) else exc.errors
        brief_errors, task_errors = brief_form.row_errors(messages, row_of)
        return _render_form(request.form, rows, brief_errors, task_errors, 422)
    flash(f"Brief posted with {len(brief.tasks)} tasks; they are queued for routing.")
    return redirect(url_for("web.brief_detail", brief_id=brief.id))


@web.route("/briefs/<int:brief_id>")
@role_required("manager", "admin")
def brief_detail(brief_id):
    brief = services.brief_for(current_user, brief_id)
    return render_template("briefs/detail.html", brief=brief, actions_from=lifecycle.actions_from)


@web.route("/tasks/<int:task_id>/review", methods=["POST"])
@role_required("manager", "admin")
def review_task(task_id):
    action = request.form.get("action")
    if action not in ("approve", "request_changes", "cancel"):
        abort(400)
    task = services.owner_action(task_id, action, current_user, utcnow(),
                                 {"note": request.form.get("note") or None})
    flash(f"Task “{task.title}” is now {task.state.replace('_', ' ')}.")
    return redirect(url_for("web.brief_detail", brief_id=task.brief_id))

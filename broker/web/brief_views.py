"""Manager pages: /briefs, /briefs/new, /briefs/<id> and the review buttons on it."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from marshmallow import ValidationError
from sqlalchemy import select

from broker.api.work.reads import brief_items
from broker.api.work.schemas import NOTE_MAX, BriefCreateSchema, work_type_catalogue
from broker.errors import Conflict, InvalidInput
from broker.extensions import db
from broker.people import permissions
from broker.timeutil import utcnow
from broker.web import brief_filters, brief_form, permission_required, web
from broker.web.brief_sla import task_panels
from tasks import lifecycle, queries, services
from tasks.models import Task, WorkType
from tasks.vocabulary import OBJECTIVES, PRIORITIES

PAGE_SIZE = 50  # briefs on one page of /briefs, newest first


def _work_types() -> list[WorkType]:
    return db.session.scalars(select(WorkType).order_by(WorkType.name)).all()


@web.route("/briefs")
@permission_required(permissions.READ_BRIEFS)
def briefs():
    page = max(1, min(request.args.get("page", 1, type=int) or 1, 10_000))
    now = utcnow()
    chosen = brief_filters.chosen(request.args)
    stmt = brief_filters.narrowed(queries.visible_briefs(current_user, chosen.get("mine", False)),
                                  chosen, now)
    rows = db.session.scalars(stmt.limit(PAGE_SIZE + 1).offset((page - 1) * PAGE_SIZE)).all()
    return render_template("briefs/list.html", briefs=brief_items(rows[:PAGE_SIZE], now),
                           states=lifecycle.STATES, page=page, more=len(rows) > PAGE_SIZE,
                           chosen=chosen, choices=brief_filters.CHOICES,
                           args={k: v for k, v in chosen.items() if v})


def _render_form(form, rows, brief_errors=None, task_errors=None, status=200, focus_row=None):
    return render_template(
        "briefs/new.html", form=form, rows=rows, work_types=_work_types(), objectives=OBJECTIVES,
        priorities=PRIORITIES, brief_errors=brief_errors or {}, task_errors=task_errors or {},
        focus_row=focus_row, max_rows=brief_form.MAX_ROWS,
    ), status


@web.route("/briefs/new", methods=["GET", "POST"])
@permission_required(permissions.POST_BRIEFS)
def new_brief():
    if request.method == "GET":
        return _render_form({}, brief_form.task_rows({}))
    rows = brief_form.task_rows(request.form)
    if request.form.get("action") == "add_row":
        if len(rows) >= brief_form.MAX_ROWS:
            return _render_form(request.form, rows, {"tasks": "A brief holds at most "
                                                     f"{brief_form.MAX_ROWS} tasks."}, status=422)
        rows.append(brief_form.blank_row())
        return _render_form(request.form, rows, focus_row=len(rows) - 1)
    now = utcnow()
    # Collect every problem (parsing, schema, domain rules) so one round trip reports them all.
    data, row_of, errors = brief_form.payload(request.form, rows, current_user.timezone)
    try:
        with work_type_catalogue():
            loaded = BriefCreateSchema().load(data)
    except ValidationError as exc:
        errors = brief_form.merge(exc.messages, errors)
    if not errors:
        try:
            brief = services.create_brief(current_user, loaded, now)
        except InvalidInput as exc:
            errors = exc.errors
    if errors:
        brief_errors, task_errors = brief_form.row_errors(errors, row_of, request.form, rows)
        return _render_form(request.form, rows, brief_errors, task_errors, 422)
    flash(f"Brief posted with {len(brief.tasks)} tasks; they are queued for routing.")
    return redirect(url_for("web.brief_detail", brief_id=brief.id))


@web.route("/briefs/<id:brief_id>")
@permission_required(permissions.READ_BRIEFS)
def brief_detail(brief_id):
    brief = queries.brief_for(current_user, brief_id)
    panels = task_panels(brief.tasks, current_user.timezone, utcnow())
    return render_template("briefs/detail.html", brief=brief, actions_from=lifecycle.actions_from,
                           work_type_names={w.slug: w.name for w in _work_types()},
                           note_max=NOTE_MAX, panels=panels,
                           may_act=permissions.may_act_on_brief(current_user, brief.owner_id))


@web.route("/tasks/<id:task_id>/review", methods=["POST"])
@permission_required(permissions.REVIEW_WORK)
def review_task(task_id):
    action = request.form.get("action")
    if action not in ("approve", "request_changes", "cancel"):
        abort(400, description="Choose approve, request changes or cancel.")
    note = (request.form.get("note") or "").strip() or None
    # Only the column: loading the task here would hand owner_action a copy read before its lock.
    brief_id = db.session.scalar(select(Task.brief_id).where(Task.id == task_id))
    if brief_id is None:
        abort(404, description=f"Task {task_id} does not exist.")
    if note and len(note) > NOTE_MAX:
        flash(f"The note is longer than {NOTE_MAX} characters; nothing was changed.", "error")
        return redirect(url_for("web.brief_detail", brief_id=brief_id, _anchor=f"task-{task_id}"))
    try:
        task = services.owner_action(task_id, action, current_user, utcnow(), {"note": note})
    except Conflict as exc:  # e.g. the page was stale: the task moved on in the meantime
        flash(f"Nothing was changed. {exc.message}", "error")
        return redirect(url_for("web.brief_detail", brief_id=brief_id, _anchor=f"task-{task_id}"))
    flash(f"Task “{task.title}” is now {task.state.replace('_', ' ')}.")
    return redirect(url_for("web.brief_detail", brief_id=task.brief_id, _anchor=f"task-{task_id}"))

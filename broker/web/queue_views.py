"""Specialist pages: /queue (offers and own work), /available (tasks to claim) and their buttons."""
from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from marshmallow import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from broker.api.work.schemas import NOTE_MAX, REASON_MAX, NoteSchema, ReasonSchema, RequiredReasonSchema, SubmitSchema
from broker.errors import DomainError, InvalidInput
from broker.extensions import db
from broker.people import permissions
from broker.timeutil import utcnow
from broker.web import permission_required, web
from broker.web.form_fields import error_text
from broker.web.loop_forms import submit_fields
from tasks import lifecycle, queries, services
from tasks.eligibility import momentary_refusal
from tasks.models import Task

# The page's buttons, each with the API's schema for its fields (one set of rules for both).
STEPS = {"accept": None, "decline": RequiredReasonSchema, "block": RequiredReasonSchema,
         "unblock": ReasonSchema, "submit": SubmitSchema, "resume": NoteSchema}
FIELDS = ("reason", "note", "deliverable_url")
AVAILABLE_PAGE = 25  # tasks on one page of /available, most urgent first


def _render_queue(errors=None, typed=None, status=200):
    return render_template("specialist/queue.html", queue=queries.specialist_queue(current_user),
                           errors=errors or {}, typed=typed or {},
                           note_max=NOTE_MAX, reason_max=REASON_MAX), status


@web.route("/queue")
@permission_required(permissions.TAKE_WORK)
def queue():
    return _render_queue()


def _assignee_of(task_id: int) -> int | None:
    """The task's assignee id (only the column: the service reads the row under its lock)."""
    found = db.session.execute(select(Task.assignee_id).where(Task.id == task_id)).first()
    if found is None:
        abort(404, description=f"Task {task_id} does not exist.")
    return found.assignee_id


def _load_fields(action: str) -> dict:
    """The action's fields from the form, loaded by the API's schema (ValidationError if bad)."""
    schema = STEPS[action]
    if schema is None:
        return {}
    if action == "submit":
        return schema().load(submit_fields(request.form))
    typed = {k: request.form[k].strip() for k in FIELDS if k in request.form}
    data = {k: v for k, v in typed.items() if v and k in schema().fields}
    return schema().load(data)


@web.route("/tasks/<id:task_id>/step", methods=["POST"])
@permission_required(permissions.TAKE_WORK)
def task_step(task_id):
    """accept or decline an offer; block, unblock, submit or resume own work."""
    action = request.form.get("action")
    if action not in STEPS:
        abort(400, description="Choose accept, decline, block, unblock, submit or resume.")
    assignee = _assignee_of(task_id)
    if assignee is not None and not permissions.may_work_on(current_user, assignee):
        abort(403, description="This task is assigned to another specialist.")
    typed = {task_id: {k: request.form.get(k, "") for k in FIELDS} | {"action": action}}
    try:
        details = _load_fields(action)
    except ValidationError as exc:
        errors = {k: error_text(v) for k, v in exc.messages.items()}
        return _render_queue({task_id: errors | {"action": action}}, typed, 422)
    try:
        task = _run_step(task_id, action, details)
    except InvalidInput as exc:
        errors = {k: error_text(v) for k, v in exc.errors.items()} or {"form": exc.message}
        return _render_queue({task_id: errors | {"action": action}}, typed, 422)
    except DomainError as exc:  # e.g. a stale page: the offer expired or the task moved on
        flash(f"Nothing was changed. {exc.message}", "error")
        return redirect(url_for("web.queue", _anchor=f"task-{task_id}"))
    flash(f"Task “{task.title}” is now {task.state.replace('_', ' ')}.")
    return redirect(url_for("web.queue", _anchor=f"task-{task_id}"))


def _run_step(task_id: int, action: str, details: dict) -> Task:
    now = utcnow()
    if action == "accept":
        return services.accept(task_id, current_user, now)
    if action == "decline":
        return services.decline(task_id, current_user, now, details["reason"])
    return services.assignee_action(task_id, action, current_user, now, details)


@web.route("/available")
@permission_required(permissions.TAKE_WORK)
def available():
    now = utcnow()
    page = max(1, min(request.args.get("page", 1, type=int) or 1, 10_000))
    ids = queries.available_task_ids(current_user, now)
    shown = ids[(page - 1) * AVAILABLE_PAGE:page * AVAILABLE_PAGE]
    rows = queries.tasks_in_order(shown, selectinload(Task.brief))
    waiting = None if ids else momentary_refusal(queries.candidate(current_user), now)
    return render_template("specialist/available.html", tasks=rows, waiting=waiting, page=page,
                           more=len(ids) > page * AVAILABLE_PAGE, total=len(ids),
                           handed_off=queries.handed_off_waiting(current_user.id))


@web.route("/tasks/<id:task_id>/claim", methods=["POST"])
@permission_required(permissions.TAKE_WORK)
def claim_task(task_id):
    _assignee_of(task_id)  # 404 for a task that does not exist
    try:
        task = services.claim(task_id, current_user, utcnow())
    except DomainError as exc:
        flash(_claim_refusal(task_id, exc), "error")
        return redirect(url_for("web.available"))
    flash(f"You claimed “{task.title}”; it is in your queue.")
    return redirect(url_for("web.queue", _anchor=f"task-{task_id}"))


def _claim_refusal(task_id: int, exc: DomainError) -> str:
    """Why a claim failed, in the words of the page: a lost race reads as one."""
    if isinstance(exc, (lifecycle.IllegalTransition, services.StaleTask)):
        state, assignee = db.session.execute(
            select(Task.state, Task.assignee_id).where(Task.id == task_id)).one()
        if assignee == current_user.id:
            return "You already have this task; it is in your queue."
        if state in (lifecycle.IN_PROGRESS, lifecycle.OFFERED):
            return "Someone else claimed it first; pick another task."
        return f"This task can no longer be claimed: it is {str(state).replace('_', ' ')}."
    return f"You cannot claim this task. {exc.message}"

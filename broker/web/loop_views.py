"""Pages of the work loop: a task's thread (on the brief page and the queue), handoffs, saving a
brief as a template, and /templates (post in one click, schedule, checklist)."""
import re

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from markupsafe import Markup, escape
from sqlalchemy import select

from broker.api.work.schemas import NOTE_MAX
from broker.errors import DomainError
from broker.extensions import db
from broker.people import permissions
from broker.timeutil import utcnow
from broker.web import permission_required, web
from broker.web.loop_forms import review_fields, schedule_from_form
from tasks import loop_services, templates
from tasks.loop_models import TaskComment
from tasks.loop_services import COMMENT_MAX, prerequisites
from tasks.models import Task
from tasks.rounds import review_rounds

_URL = re.compile(r"https?://[^\s<>\"']+[^\s<>\"'.,;:!?)\]]")


@web.app_template_filter("linkify")
def linkify(text: str) -> Markup:
    """Escaped text with its http(s) links made clickable (nothing else is markup)."""
    out, last = [], 0
    for match in _URL.finditer(text or ""):
        out.append(escape(text[last:match.start()]))
        url = escape(match.group(0))
        out.append(Markup(f'<a href="{url}" rel="noopener noreferrer nofollow" target="_blank">{url}</a>'))
        last = match.end()
    out.append(escape((text or "")[last:]))
    return Markup("").join(out)


@web.app_context_processor
def work_loop_helpers():
    """What the work-loop partials read for a task (briefs/_comments.html, briefs/_rounds.html)."""
    return {"task_comments": _comments, "task_rounds": lambda task: review_rounds(task.events),
            "waiting_for": _waiting_for, "comment_max": COMMENT_MAX}


def _comments(task_id: int) -> list[TaskComment]:
    return list(db.session.scalars(select(TaskComment).where(TaskComment.task_id == task_id)
                                   .order_by(TaskComment.id)))


def _waiting_for(task: Task) -> list[Task]:
    return [p for p in prerequisites([task.id])[task.id] if p.state != "approved"]


def _back(default: str):
    """Where a form asked to return to: a path of this site only."""
    target = request.form.get("next") or ""
    return redirect(target if target.startswith("/") and not target.startswith("//") else default)


@web.route("/tasks/<id:task_id>/comments", methods=["POST"])
@login_required
def comment_task(task_id):
    body = (request.form.get("body") or "").strip()
    back = url_for("web.home")
    if not body or len(body) > COMMENT_MAX:
        flash(f"A comment holds 1 to {COMMENT_MAX:,} characters; nothing was posted.", "error")
        return _back(back)
    try:
        loop_services.add_comment(task_id, current_user, body, utcnow())
    except DomainError as exc:
        if exc.status in (403, 404):
            abort(exc.status, description=exc.message)
        flash(f"Nothing was posted. {exc.message}", "error")
        return _back(back)
    flash("Comment posted.")
    return _back(back)


@web.route("/tasks/<id:task_id>/handoff", methods=["POST"])
@permission_required(permissions.TAKE_WORK)
def handoff_task(task_id):
    note = (request.form.get("note") or "").strip()
    if not note or len(note) > NOTE_MAX:
        flash("Say what the next person needs to know (1 to 5,000 characters); nothing changed.", "error")
        return redirect(url_for("web.queue", _anchor=f"task-{task_id}"))
    try:
        task = loop_services.handoff(task_id, current_user, note, utcnow())
    except DomainError as exc:
        if exc.status in (403, 404):
            abort(exc.status, description=exc.message)
        flash(f"Nothing was changed. {exc.message}", "error")
        return redirect(url_for("web.queue"))
    flash(f"“{task.title}” is handed off; it goes to someone else with your note.")
    return redirect(url_for("web.queue"))


@web.route("/tasks/<id:task_id>/decide", methods=["POST"])
@permission_required(permissions.REVIEW_WORK)
def decide_task(task_id):
    """approve (with a rating) or request changes (a note and items), from the brief page."""
    from tasks.services import owner_action
    brief_id = db.session.scalar(select(Task.brief_id).where(Task.id == task_id))
    if brief_id is None:
        abort(404, description=f"Task {task_id} does not exist.")
    back = url_for("web.brief_detail", brief_id=brief_id, _anchor=f"task-{task_id}")
    action, details, problem = review_fields(request.form)
    if problem:
        flash(f"{problem} Nothing was changed.", "error")
        return redirect(back)
    try:
        task = owner_action(task_id, action, current_user, utcnow(), details)
    except DomainError as exc:
        if exc.status in (403, 404):
            abort(exc.status, description=exc.message)
        flash(f"Nothing was changed. {exc.message}", "error")
        return redirect(back)
    flash(f"Task “{task.title}” is now {task.state.replace('_', ' ')}.")
    return redirect(back)


# --- templates -----------------------------------------------------------------------------------

@web.route("/templates")
@permission_required(permissions.KEEP_TEMPLATES)
def template_list():
    from broker.api.loop.views import template_views
    return render_template("templates/list.html",
                           templates=template_views(templates.visible_templates(current_user)))


@web.route("/briefs/<id:brief_id>/template", methods=["POST"])
@permission_required(permissions.POST_BRIEFS)
def save_as_template(brief_id):
    name = (request.form.get("name") or "").strip()[:200]
    try:
        template = templates.template_from_brief(current_user, brief_id, name, utcnow())
    except DomainError as exc:
        if exc.status in (403, 404):
            abort(exc.status, description=exc.message)
        flash(f"Not saved. {exc.message}", "error")
        return redirect(url_for("web.brief_detail", brief_id=brief_id))
    flash(f"Saved as the template “{template.name}”.")
    return redirect(url_for("web.template_list", _anchor=f"template-{template.id}"))


@web.route("/templates/<id:template_id>/post", methods=["POST"])
@permission_required(permissions.POST_BRIEFS)
def post_template_page(template_id):
    try:
        brief = templates.post_template(current_user, template_id, utcnow())
    except DomainError as exc:
        if exc.status in (403, 404):
            abort(exc.status, description=exc.message)
        flash(f"Not posted. {exc.message}", "error")
        return redirect(url_for("web.template_list"))
    flash(f"Posted “{brief.title}” with {len(brief.tasks)} tasks.")
    return redirect(url_for("web.brief_detail", brief_id=brief.id))


@web.route("/templates/<id:template_id>/schedule", methods=["POST"])
@permission_required(permissions.KEEP_TEMPLATES)
def schedule_template(template_id):
    back = url_for("web.template_list", _anchor=f"template-{template_id}")
    schedule, checklist, problem = schedule_from_form(request.form)
    if problem:
        flash(f"{problem} Nothing was changed.", "error")
        return redirect(back)
    try:
        template = templates.template_for(current_user, template_id)
        data = {"name": template.name, "brief": template.brief, "checklist": checklist,
                "schedule": schedule}
        templates.update_template(current_user, template_id, data, utcnow())
    except DomainError as exc:
        abort(exc.status if exc.status in (403, 404) else 409, description=exc.message)
    flash("Schedule saved." if schedule else "Saved; the template is posted by hand only.")
    return redirect(back)


@web.route("/templates/<id:template_id>/delete", methods=["POST"])
@permission_required(permissions.KEEP_TEMPLATES)
def delete_template_page(template_id):
    try:
        templates.delete_template(current_user, template_id)
    except DomainError as exc:
        abort(exc.status if exc.status in (403, 404) else 409, description=exc.message)
    flash("Template deleted; briefs posted from it stay.")
    return redirect(url_for("web.template_list"))

"""/admin/work-types: the catalogue of work types with their default skills; admins add one or
change its name, description and default skills (tasks.work_types)."""
from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from broker.errors import DomainError
from broker.extensions import db
from broker.people import permissions
from broker.web import permission_required, web
from broker.web.form_fields import error_text
from tasks import work_types as catalogue
from tasks.models import WorkType


def skills_text(skills: list) -> str:
    return "; ".join(f"{s['skill']}:{s['min_level']}" for s in skills or [])


def _read_skills(text: str) -> tuple[list, str | None]:
    """`premiere_pro:3; after_effects:2` as [{skill, min_level}], or the problem."""
    items = []
    for part in filter(None, (p.strip() for p in text.replace(",", ";").split(";"))):
        skill, _, level = part.partition(":")
        if not level.strip().isdigit():
            return [], f"{part!r}: write skill:level, as in premiere_pro:3."
        items.append({"skill": skill.strip(), "min_level": int(level)})
    return items, None


def _render(status=200, forms=None, errors=None):
    types = db.session.scalars(select(WorkType).order_by(WorkType.name)).all()
    stored = {t.slug: {"name": t.name, "description": t.description,
                       "skills": skills_text(t.default_skills)} for t in types}
    return render_template("admin/work_types.html", work_types=types, forms=stored | (forms or {}),
                           errors=errors or {}), status


@web.route("/admin/work-types")
@permission_required(permissions.MANAGE_SETTINGS)
def admin_work_types():
    return _render()


def _save(slug: str | None):
    form = {k: request.form.get(k, "").strip() for k in ("slug", "name", "description", "skills")}
    key = slug or "_new"
    skills, problem = _read_skills(form["skills"])
    if problem:
        return _render(422, {key: form}, {key: {"default_skills": problem}})
    data = {"name": form["name"], "description": form["description"], "default_skills": skills}
    try:
        if slug is None:
            made = catalogue.add_work_type(current_user, form["slug"], data)
            flash(f"{made.name} added; set its SLA policies on the SLA page.")
        else:
            catalogue.update_work_type(current_user, slug, data)
            flash(f"{data['name']} saved; tasks posted from now on take its default skills.")
    except DomainError as exc:
        problems = {k: error_text(v) for k, v in exc.errors.items()} or {"form": exc.message}
        return _render(exc.status, {key: form}, {key: problems})
    return redirect(url_for("web.admin_work_types", _anchor=f"type-{slug or form['slug']}"))


@web.route("/admin/work-types", methods=["POST"])
@permission_required(permissions.MANAGE_SETTINGS)
def admin_add_work_type():
    return _save(None)


@web.route("/admin/work-types/<string(maxlength=64):slug>", methods=["POST"])
@permission_required(permissions.MANAGE_SETTINGS)
def admin_save_work_type(slug):
    return _save(slug)

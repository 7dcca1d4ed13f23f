"""/admin/people: everyone with role, timezone, partner and state; create a user (the API token
shown once), change a role, deactivate; the skill proposals waiting for a verifier; and the CSV
import of specialists with its preview. Forms act through the same services as the API."""
from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user
from marshmallow import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from broker.api.people.schemas import UserCreateSchema
from broker.errors import DomainError
from broker.extensions import db
from broker.people import accounts, importing, permissions, services, verification
from broker.people.csv_rows import EXAMPLE, MAX_ROWS
from broker.people.models import User
from broker.people.roles import ROLES, SPECIALIST
from broker.timeutil import utcnow
from broker.web import permission_required, web
from broker.web.form_fields import error_text
from broker.web.profile_form import timezone_names

MAX_UPLOAD = 1_000_000  # bytes of CSV, as the API takes


def _render(status=200, **extra):
    people = db.session.scalars(select(User).options(selectinload(User.profile))
                                .order_by(User.role, User.name, User.id)).all()
    proposals = db.session.execute(verification.pending_proposals()).all()
    context = {"people": people, "proposals": proposals, "roles": ROLES, "form": {}, "errors": {},
               "timezones": timezone_names(), "example": EXAMPLE, "max_rows": MAX_ROWS,
               "csv_text": "", "preview": None, "imported": None, "created": None} | extra
    return render_template("admin/people.html", **context), status


@web.route("/admin/people")
@permission_required(permissions.MANAGE_PEOPLE)
def admin_people():
    return _render()


@web.route("/admin/people", methods=["POST"])
@permission_required(permissions.MANAGE_PEOPLE)
def admin_create_person():
    """Create a manager, admin or specialist; the token is on this answer only."""
    form = {k: request.form.get(k, "").strip() for k in ("email", "name", "role", "timezone", "password")}
    data = {k: v for k, v in form.items() if v}
    try:
        loaded = UserCreateSchema().load(data)
        if loaded["role"] == SPECIALIST:
            user, token = services.create_specialist(loaded | {"working_hours": {}, "skills": []})
        else:
            user, token = services.create_user(**loaded)
    except ValidationError as exc:
        return _render(422, form=form, errors={k: error_text(v) for k, v in exc.messages.items()})
    except DomainError as exc:
        return _render(exc.status, form=form, errors={k: error_text(v) for k, v in exc.errors.items()}
                       or {"form": exc.message})
    return _render(created={"user": user, "token": token})


@web.route("/admin/people/<id:user_id>/account", methods=["POST"])
@permission_required(permissions.MANAGE_PEOPLE)
def admin_change_account(user_id):
    """Change a role, or deactivate and reactivate; refusals are flashed with their reason."""
    changes = {}
    if request.form.get("role"):
        changes["role"] = request.form["role"]
    if request.form.get("active") in ("0", "1"):
        changes["active"] = request.form["active"] == "1"
    back = request.form.get("back") == "person"
    try:
        user = accounts.update_user(current_user, user_id, changes)
        flash(f"{user.name}: {_described(changes)}.")
    except DomainError as exc:
        flash(exc.message, "error")
    if back:
        return redirect(url_for("web.admin_person", user_id=user_id))
    return redirect(url_for("web.admin_people", _anchor=f"person-{user_id}"))


def _described(changes: dict) -> str:
    if "active" in changes:
        return "active again" if changes["active"] else "deactivated; their sessions and tokens stop now"
    return f"now {changes.get('role', 'unchanged')}"


def _csv_text() -> tuple[str, str | None]:
    """The CSV from the upload (when one was chosen) or the text box, and a problem reading it."""
    upload = request.files.get("csv_file")
    if upload and upload.filename:
        raw = upload.read(MAX_UPLOAD + 1)
        if len(raw) > MAX_UPLOAD:
            return "", f"The file is over {MAX_UPLOAD // 1000} kB; split it."
        try:
            return raw.decode("utf-8-sig"), None
        except UnicodeDecodeError:
            return "", "Save the file as UTF-8 CSV and choose it again."
    text = request.form.get("csv", "")
    return text, None if text.strip() else "Paste the CSV or choose a file."


@web.route("/admin/people/import", methods=["POST"])
@permission_required(permissions.MANAGE_PEOPLE)
def admin_import_people():
    """Preview: every row's problems, nothing stored. Import: every row, or none."""
    text, problem = _csv_text()
    if problem:
        return _render(422, csv_text=text, import_error=problem)
    checked = importing.preview(current_user, text)
    if request.form.get("action") != "import" or not checked.valid:
        return _render(200 if checked.valid else 422, csv_text=text, preview=checked)
    try:
        made = importing.import_specialists(current_user, text, utcnow())
    except DomainError as exc:  # someone took an email since the preview
        return _render(exc.status, csv_text=text, preview=importing.preview(current_user, text))
    return _render(imported=made)

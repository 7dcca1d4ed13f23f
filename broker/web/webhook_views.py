"""/admin/webhooks: admins list, add, enable and delete endpoints, read each one's delivery log
and redeliver; every form is CSRF-protected and acts through notifications.webhooks.services."""
from flask import current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from marshmallow import ValidationError
from sqlalchemy import func, select

from broker.api.webhooks.schemas import WebhookSchema
from broker.errors import DomainError
from broker.extensions import db
from broker.people.permissions import MANAGE_SETTINGS
from broker.timeutil import utcnow
from broker.web import permission_required, web
from broker.web.form_fields import error_text
from notifications.models import QUEUED
from notifications.webhooks import services
from notifications.webhooks.events import EVENT_TYPES, EVERYTHING
from notifications.webhooks.models import WebhookDelivery, WebhookEndpoint

LOG_PAGE = 50


def _render_list(form=None, errors=None, secret=None, created=None, status=200):
    endpoints = db.session.scalars(select(WebhookEndpoint).order_by(WebhookEndpoint.id)).all()
    waiting = dict(db.session.execute(
        select(WebhookDelivery.endpoint_id, func.count()).where(WebhookDelivery.state == QUEUED)
        .group_by(WebhookDelivery.endpoint_id)).all())
    return render_template("admin/webhooks.html", endpoints=endpoints, waiting=waiting,
                           event_types=EVENT_TYPES, everything=EVERYTHING, form=form or {},
                           errors=errors or {}, secret=secret, created=created), status


@web.route("/admin/webhooks")
@permission_required(MANAGE_SETTINGS)
def webhooks():
    return _render_list()


@web.route("/admin/webhooks", methods=["POST"])
@permission_required(MANAGE_SETTINGS)
def add_webhook():
    """Register an endpoint; the generated secret is shown on this answer only (never flashed
    into the session cookie)."""
    events = request.form.getlist("events")
    form = {"url": request.form.get("url", "").strip(), "events": events,
            "description": request.form.get("description", "").strip()}
    try:
        data = WebhookSchema().load({k: v for k, v in form.items() if v})
        endpoint, secret = services.register_endpoint(
            current_user, data["url"], data["events"], current_app.config["SECRET_KEY"], utcnow(),
            description=data.get("description"))
    except ValidationError as exc:
        return _render_list(form, {k: error_text(v) for k, v in exc.messages.items()}, status=422)
    except DomainError as exc:
        return _render_list(form, {k: error_text(v) for k, v in exc.errors.items()}
                            or {"form": exc.message}, status=exc.status)
    return _render_list(secret=secret, created=endpoint.id)


def _act(call, done: str, target: str):
    """Run one service call for a form button; its refusal is flashed, never a blank error."""
    try:
        call()
        flash(done)
    except DomainError as exc:
        flash(exc.message, "error")
    return redirect(target)


@web.route("/admin/webhooks/<id:endpoint_id>/delete", methods=["POST"])
@permission_required(MANAGE_SETTINGS)
def delete_webhook(endpoint_id):
    return _act(lambda: services.delete_endpoint(current_user, endpoint_id),
                f"Webhook {endpoint_id} deleted, with its delivery log.", url_for("web.webhooks"))


@web.route("/admin/webhooks/<id:endpoint_id>/active", methods=["POST"])
@permission_required(MANAGE_SETTINGS)
def set_webhook_active(endpoint_id):
    active = request.form.get("active") == "1"
    done = "enabled: waiting deliveries go out now" if active else "disabled"
    return _act(lambda: services.set_active(current_user, endpoint_id, active, utcnow()),
                f"Webhook {endpoint_id} {done}.", url_for("web.webhooks"))


@web.route("/admin/webhooks/<id:endpoint_id>")
@permission_required(MANAGE_SETTINGS)
def webhook_log(endpoint_id):
    """The endpoint's deliveries, newest first, a page at a time."""
    endpoint = services.endpoint(endpoint_id)
    page = max(1, min(request.args.get("page", 1, type=int) or 1, 10_000))
    rows = db.session.scalars(select(WebhookDelivery).where(WebhookDelivery.endpoint_id == endpoint_id)
                              .order_by(WebhookDelivery.id.desc())
                              .limit(LOG_PAGE + 1).offset((page - 1) * LOG_PAGE)).all()
    return render_template("admin/webhook_log.html", endpoint=endpoint, rows=rows[:LOG_PAGE],
                           page=page, more=len(rows) > LOG_PAGE)


@web.route("/admin/webhooks/<id:endpoint_id>/deliveries/<id:delivery_id>/redeliver", methods=["POST"])
@permission_required(MANAGE_SETTINGS)
def redeliver_webhook(endpoint_id, delivery_id):
    return _act(lambda: services.redeliver(current_user, endpoint_id, delivery_id, utcnow()),
                f"Delivery {delivery_id} queued again; it goes out with the next delivery run.",
                url_for("web.webhook_log", endpoint_id=endpoint_id))

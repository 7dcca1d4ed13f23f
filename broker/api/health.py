"""GET /api/v1/health: the database answers, and what the scheduler in this process is doing."""
from flask import current_app
from marshmallow import Schema, fields
from sqlalchemy import text

from broker.api.blueprint import Blueprint
from broker.extensions import db

blp = Blueprint("health", __name__, url_prefix="/api/v1", description="Liveness")


class SchedulerStateSchema(Schema):
    running = fields.Boolean()
    role = fields.String(metadata={"description": "off, or this process's part in the election"})
    jobs = fields.List(fields.String())


class HealthSchema(Schema):
    status = fields.String(metadata={"description": "ok, or degraded when the database does not answer"})
    database = fields.String(metadata={"description": "ok or unavailable"})
    scheduler = fields.Nested(SchedulerStateSchema)


@blp.route("/health")
@blp.doc(security=[])
@blp.response(200, HealthSchema)
@blp.alt_response(503, schema=HealthSchema, description="The database does not answer.")
def health():
    from broker.scheduler import scheduler_state
    body = {"status": "ok", "database": "ok", "scheduler": scheduler_state(current_app)}
    try:
        db.session.execute(text("select 1"))
    except Exception as exc:  # any driver error means the database does not answer
        db.session.rollback()
        current_app.logger.warning("health: database check failed: %s", type(exc).__name__)
        body.update(status="degraded", database="unavailable")
        return body, 503
    return body

"""GET /api/v1/health: the database answers, and what the scheduler in this process is doing."""
from flask import current_app
from flask_smorest import Blueprint
from sqlalchemy import text

from broker.extensions import db

blp = Blueprint("health", __name__, url_prefix="/api/v1", description="Liveness")


@blp.route("/health")
@blp.doc(security=[])
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

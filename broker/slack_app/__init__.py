"""Slack's side of Broker: the interactivity endpoint that Slack's button clicks reach."""
from flask import Blueprint

slack = Blueprint("slack", __name__, url_prefix="/slack")


def register_slack(app):
    """Mount /slack; it is exempt from CSRF because Slack signs each request instead."""
    from broker.extensions import csrf
    from broker.slack_app import views  # noqa: F401  (routes attach to `slack`)
    csrf.exempt(slack)
    app.register_blueprint(slack)

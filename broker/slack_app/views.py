"""POST /slack/interactions: a button clicked in Slack, verified, acted on as the linked Broker
user through the task services, and answered with what happened."""
import logging

from flask import current_app, jsonify, request
from sqlalchemy import select

from broker.api.errors import error_body
from broker.extensions import db
from broker.people.models import User
from broker.slack_app import slack
from broker.slack_app.actions import act
from broker.slack_app.clicks import TASK_ACTIONS, BadPayload, read_click
from broker.slack_app.replies import ephemeral, post_reply, replacement
from broker.slack_app.signing import signed_by_slack
from broker.timeutil import utcnow

log = logging.getLogger("broker.slack")
NOT_LINKED = ("Your Slack account is not linked to a Broker user, so nothing was done. Link it "
              "in Broker: PATCH /api/v1/me with your Slack member id as slack_user_id.")


@slack.route("/interactions", methods=["POST"])
def interactions():
    """Verify the signature over the raw body first; only then read, act and answer."""
    secret = current_app.config.get("SLACK_SIGNING_SECRET")
    if not secret:
        return error_body(503, "Slack interactivity is off here: SLACK_SIGNING_SECRET is not set.")
    raw = request.get_data(cache=True)  # the exact bytes Slack signed, before any form parsing
    if not signed_by_slack(raw, request.headers, secret):
        log.warning("refused a Slack interaction with a bad or stale signature")
        return error_body(401, "The request is not signed by Slack, or its timestamp is older "
                               "than five minutes.")
    try:
        click = read_click(raw)
    except BadPayload as exc:
        return error_body(400, str(exc))
    if click is None or click.action not in TASK_ACTIONS:
        return "", 200  # e.g. the "Open in Broker" link: acknowledged, nothing to do
    reply = answer(click)
    post_reply(click.response_url, reply, current_app.config["BROKER_SLACK_REPLY_TIMEOUT"])
    return jsonify(reply)


def answer(click) -> dict:
    """The reply to a click: the outcome in place of the buttons, or a note to the clicker."""
    user = db.session.scalar(select(User).where(User.slack_user_id == click.slack_user_id,
                                                User.active.is_(True)))
    if user is None:
        return ephemeral(NOT_LINKED)
    outcome = act(click, user, utcnow())
    if not outcome.replaces:
        return ephemeral(outcome.text)
    return replacement(click.message, click.block_id, outcome.text)

"""Schemas of the webhooks API."""
from marshmallow import Schema, ValidationError, fields, validate

from broker.people.slack_webhook import webhook_url_errors
from notifications.models import STATES
from notifications.webhooks.events import EVENT_TYPES, EVERYTHING

EVENT_NAMES = validate.OneOf((EVERYTHING, *EVENT_TYPES),
                             error="Unknown event type; use task.<event> (e.g. task.offered) or \"*\".")


def _endpoint_url(value):
    """https anywhere; plain http only to loopback (tests and local tools)."""
    errors = webhook_url_errors(value) if value else ["Give the endpoint's URL (https://…)."]
    if errors:
        raise ValidationError(errors)


class WebhookSchema(Schema):
    id = fields.Integer(dump_only=True)
    url = fields.String(required=True, validate=_endpoint_url)
    events = fields.List(fields.String(validate=EVENT_NAMES), required=True,
                         validate=validate.Length(min=1, max=len(EVENT_TYPES) + 1),
                         metadata={"description": 'Event types such as "task.offered", or ["*"].'})
    description = fields.String(allow_none=True, validate=validate.Length(max=200))
    secret = fields.String(load_only=True, validate=validate.Length(min=16, max=200), metadata={
        "description": "Your own signing secret; left out, Broker generates one and shows it once."})
    secret_hint = fields.String(dump_only=True)
    active = fields.Boolean(dump_only=True)
    created_at = fields.AwareDateTime(dump_only=True)
    failing_since = fields.AwareDateTime(dump_only=True, allow_none=True)
    disabled_at = fields.AwareDateTime(dump_only=True, allow_none=True)
    disabled_reason = fields.String(dump_only=True, allow_none=True)


class WebhookCreatedSchema(WebhookSchema):
    signing_secret = fields.String(dump_only=True, allow_none=True, data_key="secret", metadata={
        "description": "The generated secret, in this answer only (null when you chose one)."})


class WebhookPatchSchema(Schema):
    active = fields.Boolean(required=True, metadata={
        "description": "true enables a disabled endpoint again (its waiting deliveries resume in order)."})


class DeliverySchema(Schema):
    id = fields.Integer()
    uid = fields.String(metadata={"description": "The X-Broker-Delivery header, the same on retries."})
    event = fields.String(attribute="event_type")
    event_id = fields.Integer()
    task_id = fields.Integer()
    state = fields.String()
    status_code = fields.Integer(attribute="last_status", allow_none=True)
    attempts = fields.Integer()
    next_attempt_at = fields.AwareDateTime(allow_none=True)
    sent_at = fields.AwareDateTime(allow_none=True)
    last_error = fields.String(allow_none=True)
    created_at = fields.AwareDateTime()


class DeliveryQuerySchema(Schema):
    state = fields.String(validate=validate.OneOf(STATES))

"""Schemas of the notifications API."""
from marshmallow import Schema, fields, validate

from notifications.kinds import BUDGET_80, BUDGET_100, DIGEST, KINDS, WEBHOOK_DISABLED
from notifications.models import STATES
from notifications.queries import headline


class NotificationSchema(Schema):
    id = fields.Integer()
    kind = fields.String()
    urgent = fields.Boolean()
    state = fields.String(metadata={"description": "queued, sending, sent, failed, in_digest or digested"})
    task_id = fields.Integer(allow_none=True)
    title = fields.Function(headline)
    details = fields.Function(lambda n: (n.payload or {}).get("details", {}))
    created_at = fields.AwareDateTime()
    attempts = fields.Integer()
    next_attempt_at = fields.AwareDateTime(allow_none=True)
    sent_at = fields.AwareDateTime(allow_none=True)
    last_error = fields.String(allow_none=True)


class NotificationQuerySchema(Schema):
    state = fields.String(validate=validate.OneOf(STATES))
    kind = fields.String(validate=validate.OneOf(KINDS + (DIGEST, WEBHOOK_DISABLED, BUDGET_80, BUDGET_100)))


class DigestPreviewSchema(Schema):
    blocks = fields.List(fields.Dict())
    text = fields.String()
    empty = fields.Boolean()

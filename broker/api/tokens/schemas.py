"""Schemas of the tokens API."""
from marshmallow import Schema, fields, validate

from broker.urls import MAX_ID


class TokenSchema(Schema):
    """A token as listed: never the token itself, which only its creation shows."""

    id = fields.Integer(dump_only=True)
    user_id = fields.Integer(dump_only=True)
    prefix = fields.String(dump_only=True, metadata={"description": "The token's first characters."})
    label = fields.String(dump_only=True, allow_none=True)
    created_at = fields.AwareDateTime(dump_only=True)
    last_used_at = fields.AwareDateTime(dump_only=True, allow_none=True,
                                        metadata={"description": "To the minute."})
    revoked_at = fields.AwareDateTime(dump_only=True, allow_none=True)


class TokenCreateSchema(Schema):
    label = fields.String(allow_none=True, validate=validate.Length(min=1, max=100),
                          metadata={"description": "What the token is for, e.g. 'reporting script'."})


class TokenWithSecretSchema(TokenSchema):
    api_token = fields.String(dump_only=True, metadata={"description": "Shown only this once."})


class TokenQuerySchema(Schema):
    user_id = fields.Integer(validate=validate.Range(min=1, max=MAX_ID),
                             metadata={"description": "Another user's tokens (admins only)."})

"""Schemas of time entries, budgets, results, cost reports and partners. Money is a decimal string
to the cent ("1234.50") in the one configured currency, never a float."""
from decimal import Decimal

from marshmallow import Schema, ValidationError, fields, validate

from broker.costs.figures import GROUPS
from broker.costs.money import MAX_MINUTES


def money_field(places: int = 2, description: str | None = None, **kwargs):
    """An exact amount shown as a decimal string ("1234.50"), documented as one."""
    about = {"type": "string", "format": "decimal", "example": "1234.50"}
    if description:
        about["description"] = description
    return fields.Decimal(places=places, as_string=True, metadata=about, **kwargs)


def positive_amount(value):
    """Above zero, below ten billion (a plain validator: OpenAPI would show Range's bounds as
    strings for a Decimal)."""
    if not Decimal("0.01") <= value <= Decimal("9999999999.99"):
        raise ValidationError("Give an amount above zero and below 10,000,000,000.")


def plain_number(value):
    if abs(value) >= Decimal("1e14"):
        raise ValidationError("Too large.")


class TimeEntryCreateSchema(Schema):
    minutes = fields.Integer(required=True, strict=True,
                             validate=validate.Range(min=1, max=MAX_MINUTES),
                             metadata={"description": "Minutes worked, 1 to 1440 (one day)."})
    note = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=500))
    on = fields.Date(load_default=None, allow_none=True,
                     metadata={"description": "The day worked, in your timezone; today if left out."})


class TimeEntrySchema(Schema):
    id = fields.Integer()
    task_id = fields.Integer()
    user_id = fields.Integer()
    minutes = fields.Integer()
    on = fields.Date()
    note = fields.String(allow_none=True)
    cost = money_field(description="Shown to those who may see costs.")
    created_at = fields.AwareDateTime()


class TaskTimeSchema(Schema):
    task_id = fields.Integer()
    estimate_hours = fields.Float()
    logged_hours = fields.Float()
    currency = fields.String()
    cost = money_field(allow_none=True)
    entries = fields.List(fields.Nested(TimeEntrySchema))


class BudgetSchema(Schema):
    budget = fields.Decimal(required=True, allow_none=True, places=2, allow_nan=False,
                            validate=positive_amount,
                            metadata={"description": "In BROKER_CURRENCY; null clears it."})


class ResultSchema(Schema):
    value = fields.Decimal(required=True, allow_nan=False, validate=plain_number,
                           metadata={"description": "The number measured against the success metric."})
    note = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=5000))


class ResultViewSchema(Schema):
    value = money_field(places=4)
    note = fields.String(allow_none=True)
    recorded_at = fields.AwareDateTime()


class AlertSchema(Schema):
    level = fields.Integer()
    at = fields.AwareDateTime()


class BriefCostSchema(Schema):
    brief_id = fields.Integer()
    currency = fields.String()
    budget = money_field(allow_none=True)
    spent = money_field()
    spent_pct = fields.Float(allow_none=True)
    logged_hours = fields.Float()
    estimate_hours = fields.Float()
    alerts = fields.List(fields.Nested(AlertSchema))
    result = fields.Nested(ResultViewSchema, allow_none=True)


class CostQuerySchema(Schema):
    since = fields.AwareDateTime(load_default=None)
    until = fields.AwareDateTime(load_default=None)
    group_by = fields.String(load_default="objective", validate=validate.OneOf(GROUPS))


class CostRowSchema(Schema):
    group = fields.String()
    label = fields.String()
    briefs = fields.Integer()
    tasks = fields.Integer()
    tasks_approved = fields.Integer()
    estimate_hours = fields.Float()
    logged_minutes = fields.Integer()
    logged_hours = fields.Float()
    logged_vs_estimate_pct = fields.Float(allow_none=True)
    cost = money_field()
    cost_per_approved_task = money_field(allow_none=True)
    attainment_pct = fields.Float(allow_none=True, metadata={"description": "Turnaround targets met."})
    revisions = fields.Integer(metadata={"description": "Review rounds (changes requested)."})
    average_rating = fields.Float(allow_none=True)


class CostReportSchema(Schema):
    since = fields.AwareDateTime()
    until = fields.AwareDateTime()
    group_by = fields.String()
    currency = fields.String()
    scope = fields.String()
    rows = fields.List(fields.Nested(CostRowSchema))
    total = fields.Nested(CostRowSchema)


class PartnerSchema(Schema):
    id = fields.Integer(dump_only=True)
    name = fields.String(required=True, validate=validate.Length(min=1, max=120))
    capacity_cap = fields.Integer(load_default=None, allow_none=True, strict=True,
                                  validate=validate.Range(min=0, max=50),
                                  metadata={"description": "The highest capacity the partner's "
                                                           "lead may give a specialist."})

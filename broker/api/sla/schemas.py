"""Schemas of the SLA API."""
from marshmallow import Schema, fields, validate

from broker.api.people.schemas import SLUG, TimezoneField, WorkingHoursField
from sla.report_figures import GROUPS
from tasks.vocabulary import PRIORITIES

NAME = validate.Regexp(r"^[a-z0-9][a-z0-9_-]{0,63}$",
                       error="Use a short lowercase name like business or apac-support.")
HOURS = validate.Range(min=0, min_inclusive=False, max=10000)


class HolidayField(fields.Date):
    """A local date as YYYY-MM-DD: checked as a date on the way in, kept as that text."""

    def _deserialize(self, value, attr, data, **kwargs):
        return super()._deserialize(value, attr, data, **kwargs).isoformat()

    def _serialize(self, value, attr, obj, **kwargs):
        return value if isinstance(value, str) else super()._serialize(value, attr, obj, **kwargs)


class CalendarSchema(Schema):
    name = fields.String(required=True, validate=NAME)
    timezone = TimezoneField(required=True)
    hours = WorkingHoursField(required=True)
    holidays = fields.List(HolidayField(), load_default=list,
                           validate=validate.Length(max=1000))
    updated_at = fields.AwareDateTime(dump_only=True)


class CalendarPutSchema(CalendarSchema):
    class Meta:
        exclude = ("name",)


class PolicySchema(Schema):
    work_type = fields.String(required=True, validate=SLUG)
    priority = fields.String(required=True, validate=validate.OneOf(PRIORITIES))
    ack_hours = fields.Float(required=True, validate=HOURS)
    turnaround_hours = fields.Float(required=True, validate=HOURS)
    calendar = fields.String(required=True, validate=validate.Length(min=1, max=64))
    warn_at = fields.Float(required=True, validate=validate.Range(min=0, max=1, min_inclusive=False,
                                                                   max_inclusive=False))


class ReportQuerySchema(Schema):
    since = fields.AwareDateTime(load_default=None)
    until = fields.AwareDateTime(load_default=None)
    group_by = fields.String(load_default="work_type", validate=validate.OneOf(GROUPS))


class ReportRowSchema(Schema):
    group = fields.String()
    tasks = fields.Integer()
    decided = fields.Integer(metadata={"description": "Turnaround targets met or breached."})
    attainment_pct = fields.Float(allow_none=True)
    median_cycle_hours = fields.Float(allow_none=True)
    p90_cycle_hours = fields.Float(allow_none=True)
    breaches = fields.Integer()
    hours_lost = fields.Float()
    waiting_on_owner_hours = fields.Float(metadata={
        "description": "Hours submitted work waited for the owner's decision (not counted "
                       "against the specialist)."})


class ReportSchema(Schema):
    since = fields.AwareDateTime()
    until = fields.AwareDateTime()
    as_of = fields.AwareDateTime()
    group_by = fields.String()
    rows = fields.List(fields.Nested(ReportRowSchema))
    total = fields.Nested(ReportRowSchema)

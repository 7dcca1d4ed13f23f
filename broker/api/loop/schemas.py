"""Schemas of the work loop's API: comments, handoffs and brief templates (shape only, no queries)."""
from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from broker.api.work.schemas import NOTE_MAX, BriefCreateSchema, PersonRefSchema, TaskCreateSchema
from tasks.dependencies import after_errors
from tasks.loop_services import COMMENT_MAX
from tasks.recurrence import WEEKDAYS


class CommentCreateSchema(Schema):
    body = fields.String(required=True, validate=validate.Length(
        min=1, max=COMMENT_MAX, error=f"A comment holds 1 to {COMMENT_MAX:,} characters."))


class CommentSchema(Schema):
    id = fields.Integer()
    task_id = fields.Integer()
    author = fields.Nested(PersonRefSchema)
    body = fields.String(metadata={"description": "Plain text as written (no Markdown)."})
    mentioned_ids = fields.List(fields.Integer())
    created_at = fields.AwareDateTime()


class HandoffSchema(Schema):
    note = fields.String(required=True, validate=validate.Length(
        min=1, max=NOTE_MAX, error="Say what the next person needs to know (1 to 5,000 characters)."))


class TemplateTaskSchema(TaskCreateSchema):
    """A task of a template: due dates are relative, N working days after posting."""
    due_in_working_days = fields.Integer(load_default=None, allow_none=True, strict=True,
                                         validate=validate.Range(min=1, max=60))

    class Meta:
        exclude = ("due_at",)


class TemplateBriefSchema(BriefCreateSchema):
    tasks = fields.List(fields.Nested(TemplateTaskSchema), required=True,
                        validate=validate.Length(min=1, max=50, error="Add between 1 and 50 tasks."))

    @validates_schema
    def dependencies_hold(self, data, **_):
        errors = after_errors(data.get("tasks") or [])
        if errors:
            raise ValidationError({"tasks": errors})


class ScheduleSchema(Schema):
    every = fields.String(required=True, validate=validate.OneOf(("week", "month")))
    weekday = fields.String(load_default=None, validate=validate.OneOf(WEEKDAYS))
    day = fields.Integer(load_default=None, strict=True, validate=validate.Range(
        min=1, max=28, error="Use a day from 1 to 28 (every month has it)."))
    at = fields.String(required=True, validate=validate.Regexp(
        r"^([01]\d|2[0-3]):[0-5]\d$", error="Use HH:MM, 24-hour, in your timezone."))

    @validates_schema
    def day_for_period(self, data, **_):
        if data.get("every") == "week" and not data.get("weekday"):
            raise ValidationError("A weekly schedule needs a weekday (mon..sun).", "weekday")
        if data.get("every") == "month" and not data.get("day"):
            raise ValidationError("A monthly schedule needs a day (1-28).", "day")


class TemplateCreateSchema(Schema):
    name = fields.String(required=True, validate=validate.Length(min=1, max=200))
    brief = fields.Nested(TemplateBriefSchema, required=True)
    checklist = fields.List(fields.String(validate=validate.Length(min=1, max=300)),
                            load_default=list, validate=validate.Length(max=30))
    schedule = fields.Nested(ScheduleSchema, load_default=None, allow_none=True)


class TemplateSchema(Schema):
    id = fields.Integer()
    owner_id = fields.Integer()
    name = fields.String()
    brief = fields.Dict()
    checklist = fields.List(fields.String())
    schedule = fields.Dict(allow_none=True)
    created_at = fields.AwareDateTime()
    updated_at = fields.AwareDateTime()
    posted = fields.List(fields.Dict(), metadata={"description": "Briefs posted from it, newest "
                                                                 "first: {brief_id, period, posted_at}."})

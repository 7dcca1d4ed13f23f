"""Schemas of the briefs and tasks API (the brief form loads BriefCreateSchema too)."""
from flask import g
from marshmallow import Schema, ValidationError, fields, validate
from sqlalchemy import select

from broker.urls import MAX_ID
from broker.api.people.schemas import SLUG
from broker.extensions import db
from broker.timeutil import utcnow
from tasks.lifecycle import STATES
from sla.queries import sla_views
from sla.status import STATUSES
from tasks.models import Task, WorkType
from tasks.vocabulary import DEFAULT_PRIORITY, OBJECTIVES, PRIORITIES

TITLE = validate.Length(min=1, max=200)


def in_future(value):
    """Due dates must lie ahead (the service checks again against its own `now`)."""
    if value <= utcnow():
        raise ValidationError("Due date is in the past.")


def known_work_type(slug: str):
    """Work types are a catalogue: refuse unknown slugs here, so every error comes in one answer."""
    known = db.session.scalars(select(WorkType.slug).order_by(WorkType.slug)).all()
    if slug not in known:
        raise ValidationError(f"Unknown work type {slug!r}; known: {', '.join(known)}.")


class RequiredSkillSchema(Schema):
    skill = fields.String(required=True, validate=SLUG)
    min_level = fields.Integer(required=True, strict=True, validate=validate.Range(min=1, max=5))


class WorkTypeSchema(Schema):
    slug = fields.String()
    name = fields.String()
    description = fields.String()
    default_skills = fields.List(fields.Nested(RequiredSkillSchema))


class TaskCreateSchema(Schema):
    title = fields.String(required=True, validate=TITLE)
    work_type = fields.String(required=True, validate=[validate.Length(min=1, max=64), known_work_type])
    skills = fields.List(fields.Nested(RequiredSkillSchema), load_default=None,
                         metadata={"description": "Defaults to the work type's skills."})
    priority = fields.String(load_default=DEFAULT_PRIORITY, validate=validate.OneOf(PRIORITIES))
    estimate_hours = fields.Float(required=True, validate=validate.Range(min=0, min_inclusive=False, max=1000))
    due_at = fields.AwareDateTime(load_default=None, allow_none=True, validate=in_future)
    needs_manager_overlap = fields.Boolean(load_default=False)


class EventSchema(Schema):
    type = fields.String()
    from_state = fields.String(allow_none=True)
    to_state = fields.String(allow_none=True)
    actor_id = fields.Integer(allow_none=True)
    at = fields.AwareDateTime()
    details = fields.Dict()


class PersonRefSchema(Schema):
    id = fields.Integer()
    name = fields.String()
    timezone = fields.String()


class TaskSchema(Schema):
    id = fields.Integer()
    brief_id = fields.Integer()
    title = fields.String()
    work_type = fields.String()
    skills = fields.List(fields.Nested(RequiredSkillSchema))
    priority = fields.String()
    estimate_hours = fields.Float()
    due_at = fields.AwareDateTime(allow_none=True)
    needs_manager_overlap = fields.Boolean()
    state = fields.String()
    assignee_id = fields.Integer(allow_none=True)
    assignee = fields.Nested(PersonRefSchema, allow_none=True)
    offer_expires_at = fields.AwareDateTime(allow_none=True)
    deliverable_url = fields.String(allow_none=True)
    created_at = fields.AwareDateTime()
    accepted_at = fields.AwareDateTime(allow_none=True)
    first_submitted_at = fields.AwareDateTime(allow_none=True)
    closed_at = fields.AwareDateTime(allow_none=True)
    sla = fields.Method("_sla")
    routing = fields.Method("_routing")
    events = fields.List(fields.Nested(EventSchema))

    def _sla(self, task):
        """Each target's due instant, status and working hours; null where no policy applies."""
        return task_sla(task)

    def _routing(self, task):
        """The latest routing decision: who was offered the task and why, or why it waits."""
        return {"explanation": task.routing}


def task_sla(task) -> dict:
    """The task's SLA view. The first call in a request loads the clocks of every task the session
    holds (the page being dumped) in one go, so lists cost a fixed number of queries."""
    cache = g.setdefault("sla_views", {})
    if task.id not in cache:
        held = [obj for key, obj in db.session.identity_map.items()
                if key[0] is Task and key[1][0] not in cache]
        cache.update(sla_views(held or [task], utcnow()))
    return cache.get(task.id) or {"ack": None, "turnaround": None}


class TaskSummarySchema(TaskSchema):
    class Meta:
        exclude = ("events",)


class BriefCreateSchema(Schema):
    title = fields.String(required=True, validate=TITLE)
    description = fields.String(load_default="", validate=validate.Length(max=20000))
    objective = fields.String(required=True, validate=validate.OneOf(OBJECTIVES))
    success_metric = fields.String(required=True, validate=validate.Length(min=1, max=500))
    campaign = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=200))
    tasks = fields.List(fields.Nested(TaskCreateSchema), required=True,
                        validate=validate.Length(min=1, max=50, error="Add between 1 and 50 tasks."))


class BriefSchema(Schema):
    id = fields.Integer()
    title = fields.String()
    description = fields.String()
    objective = fields.String()
    success_metric = fields.String()
    campaign = fields.String(allow_none=True)
    owner_id = fields.Integer()
    owner = fields.Nested(PersonRefSchema)
    status = fields.String()
    created_at = fields.AwareDateTime()
    tasks = fields.List(fields.Nested(TaskSummarySchema))


class TaskQuerySchema(Schema):
    state = fields.String(validate=validate.OneOf(STATES))
    work_type = fields.String(validate=SLUG)
    assignee_id = fields.Integer(validate=validate.Range(min=1, max=MAX_ID))
    priority = fields.String(validate=validate.OneOf(PRIORITIES))
    brief_id = fields.Integer(validate=validate.Range(min=1, max=MAX_ID))
    sla_status = fields.String(validate=validate.OneOf(STATUSES), metadata={
        "description": "Tasks with any SLA target in this status now (at_risk here means the "
                       "warning share has passed; the forecast is shown per task, not filtered)."})


class BriefQuerySchema(Schema):
    status = fields.String(validate=validate.OneOf(["open", "done", "cancelled"]))


REASON_MAX, NOTE_MAX, URL_MAX = 2000, 5000, 2000  # the pages' forms say the same


class ReasonSchema(Schema):
    reason = fields.String(load_default=None, allow_none=True,
                           validate=validate.Length(max=REASON_MAX))


class RequiredReasonSchema(Schema):
    reason = fields.String(required=True, validate=validate.Length(min=1, max=REASON_MAX))


class NoteSchema(Schema):
    note = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=NOTE_MAX))


class SubmitSchema(NoteSchema):
    deliverable_url = fields.Url(required=True, schemes={"http", "https"},
                                 validate=validate.Length(max=URL_MAX))


class TaskPatchSchema(Schema):
    priority = fields.String(validate=validate.OneOf(PRIORITIES))
    due_at = fields.AwareDateTime(allow_none=True, validate=in_future)
    estimate_hours = fields.Float(validate=validate.Range(min=0, min_inclusive=False, max=1000))

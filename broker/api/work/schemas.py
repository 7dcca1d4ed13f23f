"""Schemas of the briefs and tasks API (the brief form loads BriefCreateSchema too). They shape
plain data the views read (broker/api/work/reads.py) and never query."""
from contextlib import contextmanager
from contextvars import ContextVar

from marshmallow import Schema, ValidationError, fields, post_load, validate, validates_schema
from sqlalchemy import select

from broker.api.costs.schemas import money_field, positive_amount
from broker.api.people.schemas import SLUG
from broker.extensions import db
from broker.timeutil import utcnow
from broker.urls import MAX_ID
from sla.status import STATUSES
from tasks.lifecycle import STATES
from tasks.models import WorkType
from tasks.vocabulary import DEFAULT_PRIORITY, OBJECTIVES, PRIORITIES

TITLE = validate.Length(min=1, max=200)


def in_future(value):
    """Due dates must lie ahead (the service checks again against its own `now`)."""
    if value <= utcnow():
        raise ValidationError("Due date is in the past.")


KNOWN_WORK_TYPES: ContextVar[tuple[str, ...]] = ContextVar("known_work_types")


@contextmanager
def work_type_catalogue():
    """Read the work-type catalogue once for loading a brief; its tasks' work types are checked
    against it (so a brief of fifty tasks costs one query, not fifty)."""
    token = KNOWN_WORK_TYPES.set(tuple(db.session.scalars(select(WorkType.slug).order_by(WorkType.slug))))
    try:
        yield
    finally:
        KNOWN_WORK_TYPES.reset(token)


def known_work_type(slug: str):
    """Work types are a catalogue: refuse unknown slugs here, so every error comes in one answer
    (against the catalogue the view read with work_type_catalogue)."""
    known = KNOWN_WORK_TYPES.get()
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
    after = fields.List(fields.Integer(strict=True, validate=validate.Range(min=0, max=49)),
                        load_default=list, validate=validate.Length(max=49), metadata={
                            "description": "Indexes (from 0) of sibling tasks in this request that "
                                           "must be approved first; the task is pending until then."})


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


class SlaTargetSummarySchema(Schema):
    due_at = fields.String(metadata={"format": "date-time"})
    status = fields.String(metadata={"enum": list(STATUSES)})


class TaskSummarySchema(Schema):
    """A task as lists show it: its fields, assignee, and each SLA target's due instant and status
    (at_risk there means the warning share has passed; the forecast is on the task itself)."""
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
    revision = fields.Integer(metadata={"description": "Review rounds: changes requested so far."})
    rating = fields.Integer(allow_none=True, metadata={"description": "The owner's 1-5 rating."})
    logged_hours = fields.Float(metadata={"description": "Time logged on the task (/tasks/<id>/time)."})
    sla = fields.Dict(keys=fields.String(),
                      values=fields.Nested(SlaTargetSummarySchema, allow_none=True))


class WaitingForSchema(Schema):
    id = fields.Integer()
    title = fields.String()
    state = fields.String()


class BriefTaskSchema(TaskSummarySchema):
    """A task inside its brief: complete but for its history."""
    sla = fields.Dict(metadata={"description": "Each target's due instant, status and working "
                                               "hours; null where no policy applies; and "
                                               "waiting_on_owner_hours: time submitted work "
                                               "waited for the owner's decision."})
    after = fields.List(fields.Integer(), metadata={"description": "Ids of the tasks it waits for."})
    waiting_for = fields.List(fields.Nested(WaitingForSchema), metadata={
        "description": "While pending: the prerequisites not yet approved."})
    routing = fields.Dict(metadata={"description": "The latest routing decision: who was "
                                                   "offered the task and why, or why it waits."})


class TaskSchema(BriefTaskSchema):
    """One task complete, with its history and its review rounds."""
    events = fields.List(fields.Nested(EventSchema))
    rounds = fields.List(fields.Dict(), metadata={
        "description": "Each submission: number, submitted_at, deliverables [{url, label}], note, "
                       "and the owner's decision, decided_at, feedback, items, rating."})


class BriefCreateSchema(Schema):
    title = fields.String(required=True, validate=TITLE)
    description = fields.String(load_default="", validate=validate.Length(max=20000))
    objective = fields.String(required=True, validate=validate.OneOf(OBJECTIVES))
    success_metric = fields.String(required=True, validate=validate.Length(min=1, max=500))
    campaign = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=200))
    budget = fields.Decimal(load_default=None, allow_none=True, places=2, allow_nan=False,
                            validate=positive_amount,
                            metadata={"description": "In BROKER_CURRENCY; the owner hears at 80 % and 100 %."})
    tasks = fields.List(fields.Nested(TaskCreateSchema), required=True,
                        validate=validate.Length(min=1, max=50, error="Add between 1 and 50 tasks."))


class BriefSummarySchema(Schema):
    """A brief as lists show it: its fields, its tasks counted by state and its tasks' SLA targets
    counted by status (latest cycle of each target), without the tasks themselves."""
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
    budget = money_field(allow_none=True)
    task_count = fields.Integer()
    task_states = fields.Dict(keys=fields.String(), values=fields.Integer(),
                              metadata={"example": {"queued": 2, "in_progress": 1}})
    sla_statuses = fields.Dict(keys=fields.String(), values=fields.Dict(
        keys=fields.String(), values=fields.Integer()),
        metadata={"example": {"ack": {"met": 1, "on_track": 2}, "turnaround": {"at_risk": 3}}})


class BriefSchema(Schema):
    """One brief with its tasks, each complete but for its history."""
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
    budget = money_field(allow_none=True)
    template_id = fields.Integer(allow_none=True, metadata={"description": "The template it was posted from."})
    tasks = fields.List(fields.Nested(BriefTaskSchema))


class TaskQuerySchema(Schema):
    state = fields.String(validate=validate.OneOf(STATES))
    work_type = fields.String(validate=SLUG)
    assignee_id = fields.Integer(validate=validate.Range(min=1, max=MAX_ID))
    priority = fields.String(validate=validate.OneOf(PRIORITIES))
    brief_id = fields.Integer(validate=validate.Range(min=1, max=MAX_ID))
    sla_status = fields.String(validate=validate.OneOf(STATUSES), metadata={
        "description": "Tasks with any SLA target in this status now (at_risk here means the "
                       "warning share has passed; the forecast is shown per task, not filtered)."})
    mine = fields.Boolean(load_default=False, metadata={
        "description": "Only tasks of your own briefs (managers read every brief otherwise)."})


class BriefQuerySchema(Schema):
    status = fields.String(validate=validate.OneOf(["open", "done", "cancelled"]))
    mine = fields.Boolean(load_default=False, metadata={
        "description": "Only your own briefs (managers read every brief of the organisation)."})


REASON_MAX, NOTE_MAX, URL_MAX = 2000, 5000, 2000  # the pages' forms say the same


class ReasonSchema(Schema):
    reason = fields.String(load_default=None, allow_none=True,
                           validate=validate.Length(max=REASON_MAX))


class RequiredReasonSchema(Schema):
    reason = fields.String(required=True, validate=validate.Length(min=1, max=REASON_MAX))


class NoteSchema(Schema):
    note = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=NOTE_MAX))


class DeliverableSchema(Schema):
    url = fields.Url(required=True, schemes={"http", "https"}, validate=validate.Length(max=URL_MAX))
    label = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=200))


class SubmitSchema(NoteSchema):
    """One deliverable (`deliverable_url`) or several with labels (`deliverables`, 1-10)."""
    deliverable_url = fields.Url(load_default=None, schemes={"http", "https"},
                                 validate=validate.Length(max=URL_MAX))
    deliverables = fields.List(fields.Nested(DeliverableSchema), load_default=None, validate=validate.Length(
        min=1, max=10, error="Submit between 1 and 10 deliverables."))

    @validates_schema
    def one_or_the_other(self, data, **_):
        if not data.get("deliverable_url") and not data.get("deliverables"):
            raise ValidationError("Give a deliverable_url or deliverables.", "deliverable_url")

    @post_load
    def both(self, data, **_):
        """Every submission carries both: the list, and its first link as deliverable_url."""
        if not data.get("deliverables"):
            data["deliverables"] = [{"url": data["deliverable_url"], "label": None}]
        data["deliverable_url"] = data.get("deliverable_url") or data["deliverables"][0]["url"]
        return data


class RequestChangesSchema(NoteSchema):
    items = fields.List(fields.String(validate=validate.Length(min=1, max=500)), load_default=list,
                        validate=validate.Length(max=20, error="At most 20 items."))


class ApproveSchema(NoteSchema):
    rating = fields.Integer(load_default=None, allow_none=True, strict=True,
                            validate=validate.Range(min=1, max=5, error="A rating runs from 1 to 5."))


class TaskPatchSchema(Schema):
    priority = fields.String(validate=validate.OneOf(PRIORITIES))
    due_at = fields.AwareDateTime(allow_none=True, validate=in_future)
    estimate_hours = fields.Float(validate=validate.Range(min=0, min_inclusive=False, max=1000))

"""/work-types, /briefs and /tasks: thin views over tasks.services."""
from functools import wraps

from flask import g
from flask.views import MethodView
from sqlalchemy import exists, select

from broker.api.auth import authenticated
from broker.api.blueprint import Blueprint
from broker.api.pagination import page_of, page_of_ids
from broker.api.work import reads
from broker.api.work import schemas as s
from broker.extensions import db
from broker.people import permissions
from broker.timeutil import utcnow
from sla.queries import with_status
from tasks import lifecycle, queries, services
from tasks.models import Brief, Task, WorkType

blp = Blueprint("work", __name__, url_prefix="/api/v1", description="Work types, briefs and tasks")


@blp.route("/work-types")
@authenticated()
@blp.errors(401)
@blp.response(200, s.WorkTypeSchema(many=True))
def work_types():
    """The catalogue of work types and their default skills."""
    return db.session.scalars(select(WorkType).order_by(WorkType.slug)).all()


def with_work_types(view):
    """Read the work-type catalogue once before the body is loaded (the schema checks against it)."""
    @wraps(view)
    def wrapper(*args, **kwargs):
        with s.work_type_catalogue():
            return view(*args, **kwargs)
    return wrapper


@blp.route("/briefs")
class Briefs(MethodView):
    @authenticated(permissions.READ_BRIEFS)
    @blp.errors(401, 403)
    @blp.arguments(s.BriefQuerySchema, location="query")
    @blp.response(200, s.BriefSummarySchema(many=True))
    @blp.paginate()
    def get(self, query, pagination_parameters):
        """Briefs the caller owns (admins: all), newest first: each with its tasks counted by
        state and its SLA targets by status (GET /briefs/<id> has the tasks)."""
        stmt = queries.visible_briefs(g.user)
        if "status" in query:
            any_open = exists().where(Task.brief_id == Brief.id, Task.state.in_(lifecycle.OPEN))
            any_done = exists().where(Task.brief_id == Brief.id, Task.state == lifecycle.APPROVED)
            stmt = stmt.where({"open": any_open, "done": ~any_open & any_done,
                               "cancelled": ~any_open & ~any_done}[query["status"]])
        return reads.brief_items(page_of(stmt, pagination_parameters), utcnow())

    @authenticated(permissions.POST_BRIEFS)
    @blp.errors(401, 403)
    @with_work_types
    @blp.arguments(s.BriefCreateSchema)
    @blp.response(201, s.BriefSchema)
    def post(self, data):
        """Post a brief with one or more tasks; the tasks wait queued for routing."""
        now = utcnow()
        return reads.brief_detail(services.create_brief(g.user, data, now), now)


@blp.route("/briefs/<id:brief_id>")
@authenticated(permissions.READ_BRIEFS)
@blp.errors(401, 403, 404)
@blp.response(200, s.BriefSchema)
def brief(brief_id):
    """One brief with its tasks, each with its SLA and routing."""
    return reads.brief_detail(queries.brief_for(g.user, brief_id), utcnow())


@blp.route("/tasks")
@authenticated()
@blp.errors(401)
@blp.arguments(s.TaskQuerySchema, location="query")
@blp.response(200, s.TaskSummarySchema(many=True))
@blp.paginate()
def task_list(query, pagination_parameters):
    """Tasks the caller may see, newest first, filtered; each as a summary (GET /tasks/<id> has
    the SLA's working hours, the routing explanation and the history)."""
    now = utcnow()
    stmt = queries.visible_tasks(g.user).order_by(Task.id.desc())
    if "sla_status" in query:
        stmt = stmt.where(with_status(query.pop("sla_status"), now))
    for key, value in query.items():
        stmt = stmt.where(getattr(Task, key) == value)
    return reads.task_items(page_of(stmt, pagination_parameters), now)


@blp.route("/tasks/available")
@authenticated(permissions.TAKE_WORK)
@blp.errors(401, 403)
@blp.response(200, s.TaskSummarySchema(many=True))
@blp.paginate()
def available(pagination_parameters):
    """Queued tasks the calling specialist may claim now, most urgent first, as summaries."""
    now = utcnow()
    ids = page_of_ids(queries.available_task_ids(g.user, now), pagination_parameters)
    return reads.task_items(queries.tasks_in_order(ids), now)


@blp.route("/tasks/<id:task_id>")
class TaskItem(MethodView):
    @authenticated()
    @blp.errors(401, 403, 404)
    @blp.response(200, s.TaskSchema)
    def get(self, task_id):
        """One task with its SLA, routing explanation and full history."""
        return reads.task_detail(queries.task_for(g.user, task_id), utcnow())

    @authenticated(permissions.REVIEW_WORK)
    @blp.errors(401, 403, 404, 409)
    @blp.arguments(s.TaskPatchSchema)
    @blp.response(200, s.TaskSchema)
    def patch(self, changes, task_id):
        """Change priority, due date or estimate (owner manager or admin)."""
        now = utcnow()
        return reads.task_detail(services.update_task(task_id, g.user, changes, now), now)


@blp.route("/tasks/<id:task_id>/claim", methods=["POST"])
@authenticated(permissions.TAKE_WORK)
@blp.errors(401, 403, 404, 409)
@blp.response(200, s.TaskSchema)
def claim(task_id):
    """Take a queued task; of racing claims exactly one wins, the rest get 409."""
    now = utcnow()
    return reads.task_detail(services.claim(task_id, g.user, now), now)


@blp.route("/tasks/<id:task_id>/accept", methods=["POST"])
@authenticated(permissions.TAKE_WORK)
@blp.errors(401, 403, 404, 409)
@blp.response(200, s.TaskSchema)
def accept(task_id):
    """Accept the offer made to the caller."""
    now = utcnow()
    return reads.task_detail(services.accept(task_id, g.user, now), now)


@blp.route("/tasks/<id:task_id>/decline", methods=["POST"])
@authenticated(permissions.TAKE_WORK)
@blp.errors(401, 403, 404, 409)
@blp.arguments(s.ReasonSchema)
@blp.response(200, s.TaskSchema)
def decline(data, task_id):
    """Decline the offer made to the caller; the task goes back to the queue."""
    now = utcnow()
    return reads.task_detail(services.decline(task_id, g.user, now, data["reason"]), now)


def _step_route(action: str, schema, permission: str, service):
    """POST /tasks/<id>/<action>: one lifecycle step taken by `service` for the caller."""

    @authenticated(permission)
    @blp.errors(401, 403, 404, 409)
    @blp.arguments(schema)
    @blp.response(200, s.TaskSchema)
    def view(data, task_id):
        now = utcnow()
        return reads.task_detail(service(task_id, action, g.user, now, data), now)

    view.__name__ = action
    path = action.replace("_", "-")
    blp.route(f"/tasks/<id:task_id>/{path}", methods=["POST"])(view)


for _action, _schema in [("block", s.RequiredReasonSchema), ("unblock", s.ReasonSchema),
                         ("submit", s.SubmitSchema), ("resume", s.NoteSchema)]:
    _step_route(_action, _schema, permissions.TAKE_WORK, services.assignee_action)
for _action, _schema in [("approve", s.ApproveSchema), ("request_changes", s.RequestChangesSchema),
                         ("cancel", s.ReasonSchema)]:
    _step_route(_action, _schema, permissions.REVIEW_WORK, services.owner_action)

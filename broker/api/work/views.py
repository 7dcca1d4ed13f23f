"""/work-types, /briefs and /tasks: thin views over tasks.services."""
from flask import g
from flask.views import MethodView
from sqlalchemy import exists, select

from broker.api.auth import authenticated
from broker.api.blueprint import Blueprint
from broker.api.pagination import page_of
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


@blp.route("/briefs")
class Briefs(MethodView):
    @authenticated(permissions.READ_BRIEFS)
    @blp.errors(401, 403)
    @blp.arguments(s.BriefQuerySchema, location="query")
    @blp.response(200, s.BriefSchema(many=True))
    @blp.paginate()
    def get(self, query, pagination_parameters):
        """Briefs the caller owns (admins: all), newest first."""
        stmt = queries.visible_briefs(g.user)
        if "status" in query:
            any_open = exists().where(Task.brief_id == Brief.id, Task.state.in_(lifecycle.OPEN))
            any_done = exists().where(Task.brief_id == Brief.id, Task.state == lifecycle.APPROVED)
            stmt = stmt.where({"open": any_open, "done": ~any_open & any_done,
                               "cancelled": ~any_open & ~any_done}[query["status"]])
        return page_of(stmt, pagination_parameters)

    @authenticated(permissions.POST_BRIEFS)
    @blp.errors(401, 403)
    @blp.arguments(s.BriefCreateSchema)
    @blp.response(201, s.BriefSchema)
    def post(self, data):
        """Post a brief with one or more tasks; the tasks wait queued for routing."""
        return services.create_brief(g.user, data, utcnow())


@blp.route("/briefs/<id:brief_id>")
@authenticated(permissions.READ_BRIEFS)
@blp.errors(401, 403, 404)
@blp.response(200, s.BriefSchema)
def brief(brief_id):
    """One brief with its tasks' states."""
    return queries.brief_for(g.user, brief_id)


@blp.route("/tasks")
@authenticated()
@blp.errors(401)
@blp.arguments(s.TaskQuerySchema, location="query")
@blp.response(200, s.TaskSummarySchema(many=True))
@blp.paginate()
def task_list(query, pagination_parameters):
    """Tasks the caller may see, newest first, filtered."""
    stmt = queries.visible_tasks(g.user).order_by(Task.id.desc())
    if "sla_status" in query:
        stmt = stmt.where(with_status(query.pop("sla_status"), utcnow()))
    for key, value in query.items():
        stmt = stmt.where(getattr(Task, key) == value)
    return page_of(stmt, pagination_parameters)


@blp.route("/tasks/available")
@authenticated(permissions.TAKE_WORK)
@blp.errors(401, 403)
@blp.response(200, s.TaskSummarySchema(many=True))
def available():
    """Queued tasks the calling specialist may claim now, most urgent first."""
    return queries.available_tasks(g.user, utcnow())


@blp.route("/tasks/<id:task_id>")
class TaskItem(MethodView):
    @authenticated()
    @blp.errors(401, 403, 404)
    @blp.response(200, s.TaskSchema)
    def get(self, task_id):
        """One task with its SLA, routing explanation and full history."""
        return queries.task_for(g.user, task_id)

    @authenticated(permissions.REVIEW_WORK)
    @blp.errors(401, 403, 404, 409)
    @blp.arguments(s.TaskPatchSchema)
    @blp.response(200, s.TaskSchema)
    def patch(self, changes, task_id):
        """Change priority, due date or estimate (owner manager or admin)."""
        return services.update_task(task_id, g.user, changes, utcnow())


@blp.route("/tasks/<id:task_id>/claim", methods=["POST"])
@authenticated(permissions.TAKE_WORK)
@blp.errors(401, 403, 404, 409)
@blp.response(200, s.TaskSchema)
def claim(task_id):
    """Take a queued task; of racing claims exactly one wins, the rest get 409."""
    return services.claim(task_id, g.user, utcnow())


@blp.route("/tasks/<id:task_id>/accept", methods=["POST"])
@authenticated(permissions.TAKE_WORK)
@blp.errors(401, 403, 404, 409)
@blp.response(200, s.TaskSchema)
def accept(task_id):
    """Accept the offer made to the caller."""
    return services.accept(task_id, g.user, utcnow())


@blp.route("/tasks/<id:task_id>/decline", methods=["POST"])
@authenticated(permissions.TAKE_WORK)
@blp.errors(401, 403, 404, 409)
@blp.arguments(s.ReasonSchema)
@blp.response(200, s.TaskSchema)
def decline(data, task_id):
    """Decline the offer made to the caller; the task goes back to the queue."""
    return services.decline(task_id, g.user, utcnow(), data["reason"])


def _step_route(action: str, schema, permission: str, service):
    """POST /tasks/<id>/<action>: one lifecycle step taken by `service` for the caller."""

    @authenticated(permission)
    @blp.errors(401, 403, 404, 409)
    @blp.arguments(schema)
    @blp.response(200, s.TaskSchema)
    def view(data, task_id):
        return service(task_id, action, g.user, utcnow(), data)

    view.__name__ = action
    path = action.replace("_", "-")
    blp.route(f"/tasks/<id:task_id>/{path}", methods=["POST"])(view)


for _action, _schema in [("block", s.RequiredReasonSchema), ("unblock", s.ReasonSchema),
                         ("submit", s.SubmitSchema), ("resume", s.NoteSchema)]:
    _step_route(_action, _schema, permissions.TAKE_WORK, services.assignee_action)
for _action, _schema in [("approve", s.NoteSchema), ("request_changes", s.NoteSchema),
                         ("cancel", s.ReasonSchema)]:
    _step_route(_action, _schema, permissions.REVIEW_WORK, services.owner_action)

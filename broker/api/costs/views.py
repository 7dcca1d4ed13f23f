"""/tasks/<id>/time, /briefs/<id>/budget and /result and /costs, /costs/report, /partners."""
from flask import current_app, g
from flask.views import MethodView

from broker.api.auth import authenticated
from broker.api.blueprint import Blueprint
from broker.api.costs import schemas as s
from broker.costs import reads, services
from broker.costs.report import cost_report
from broker.people import partners, permissions
from broker.timeutil import utcnow
from sla.reporting import default_period
from tasks.queries import brief_for, task_for

blp = Blueprint("costs", __name__, url_prefix="/api/v1", description="Time, cost and partners")


def _currency() -> str:
    return current_app.config["BROKER_CURRENCY"]


def _task_time(task_id: int) -> dict:
    """A task's time for the caller: entries, and money for those who may see costs."""
    task = task_for(g.user, task_id)
    entries = services.time_entries(g.user, task_id)
    money = permissions.may(g.user, permissions.READ_COSTS) and not permissions.leads(g.user)
    minutes = sum(e.minutes for e in entries)
    rows = [{k: getattr(e, k) for k in ("id", "task_id", "user_id", "minutes", "on", "note",
                                         "created_at")} | ({"cost": e.cost} if money else {})
            for e in entries]
    view = {"task_id": task.id, "estimate_hours": task.estimate_hours, "currency": _currency(),
            "logged_hours": round(minutes / 60, 2), "entries": rows}
    return view | ({"cost": sum(e.cost for e in entries)} if money else {})


@blp.route("/tasks/<id:task_id>/time")
class TaskTime(MethodView):
    @authenticated()
    @blp.errors(401, 403, 404)
    @blp.response(200, s.TaskTimeSchema)
    def get(self, task_id):
        """The time logged on a task, for whoever may see the task."""
        return _task_time(task_id)

    @authenticated()
    @blp.errors(401, 403, 404, 409)
    @blp.arguments(s.TimeEntryCreateSchema)
    @blp.response(201, s.TaskTimeSchema)
    def post(self, data, task_id):
        """Log minutes worked on a task (its assignee); the answer is the task's time."""
        services.log_time(g.user, task_id, data["minutes"], utcnow(), data["on"], data["note"])
        return _task_time(task_id)


def _brief_costs(brief_id: int) -> dict:
    brief = brief_for(g.user, brief_id)
    return {"brief_id": brief.id, **reads.brief_costs(brief, _currency())}


@blp.route("/briefs/<id:brief_id>/costs")
@authenticated(permissions.READ_BRIEFS)
@blp.errors(401, 403, 404)
@blp.response(200, s.BriefCostSchema)
def brief_costs(brief_id):
    """A brief's logged time against its estimate, its cost against its budget, its alerts and result."""
    return _brief_costs(brief_id)


@blp.route("/briefs/<id:brief_id>/budget", methods=["PUT"])
@authenticated(permissions.REVIEW_WORK)
@blp.errors(401, 403, 404)
@blp.arguments(s.BudgetSchema)
@blp.response(200, s.BriefCostSchema)
def budget(data, brief_id):
    """Set or clear the brief's budget (its owner); alerts at 80 % and 100 % of its cost, once each."""
    services.set_budget(g.user, brief_id, data["budget"], utcnow())
    return _brief_costs(brief_id)


@blp.route("/briefs/<id:brief_id>/result", methods=["PUT"])
@authenticated(permissions.REVIEW_WORK)
@blp.errors(401, 403, 404, 409)
@blp.arguments(s.ResultSchema)
@blp.response(200, s.BriefCostSchema)
def result(data, brief_id):
    """Record what a closed brief achieved against its success metric (its owner)."""
    services.record_result(g.user, brief_id, data["value"], data["note"], utcnow())
    return _brief_costs(brief_id)


@blp.route("/costs/report")
@authenticated(permissions.READ_COSTS)
@blp.errors(401, 403)
@blp.arguments(s.CostQuerySchema, location="query")
@blp.response(200, s.CostReportSchema)
def report(query):
    """Hours, cost, estimate against logged, cost per approved task and the outcomes beside them
    (attainment, revisions, rating) for tasks posted in the period, grouped; totals are the sums."""
    now = utcnow()
    since, until = default_period(query["since"], query["until"], now)
    return cost_report(g.user, since, until, query["group_by"], now, _currency())


@blp.route("/partners")
class Partners(MethodView):
    @authenticated(permissions.MANAGE_PEOPLE)
    @blp.errors(401, 403)
    @blp.response(200, s.PartnerSchema(many=True))
    def get(self):
        """Partners and the capacity caps their leads work within (admins)."""
        return partners.partners()

    @authenticated(permissions.MANAGE_PEOPLE)
    @blp.errors(401, 403, 409)
    @blp.arguments(s.PartnerSchema)
    @blp.response(201, s.PartnerSchema)
    def post(self, data):
        """Add a partner with its capacity cap (admins)."""
        return partners.save_partner(g.user, data["name"], data["capacity_cap"])


@blp.route("/partners/<id:partner_id>", methods=["PUT"])
@authenticated(permissions.MANAGE_PEOPLE)
@blp.errors(401, 403, 404, 409)
@blp.arguments(s.PartnerSchema)
@blp.response(200, s.PartnerSchema)
def partner(data, partner_id):
    """Rename a partner or change its cap (admins)."""
    return partners.save_partner(g.user, data["name"], data["capacity_cap"], partner_id)

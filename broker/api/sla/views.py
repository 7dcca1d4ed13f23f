"""/sla/calendars, /sla/policies, /sla/report: thin views over sla.services and sla.reporting."""
from flask import g
from flask.views import MethodView

from broker.api.auth import authenticated
from broker.api.blueprint import Blueprint
from broker.api.sla import schemas as s
from broker.people import permissions
from broker.timeutil import utcnow
from sla import services
from sla.reporting import default_period, report_for

blp = Blueprint("sla", __name__, url_prefix="/api/v1/sla", description="SLA calendars, policies, report")
NAME = "<string(maxlength=64):name>"


@blp.route("/calendars")
class Calendars(MethodView):
    @authenticated()
    @blp.errors(401)
    @blp.response(200, s.CalendarSchema(many=True))
    def get(self):
        """Every business calendar (24x7 always among them)."""
        return services.calendars()

    @authenticated(permissions.MANAGE_SETTINGS)
    @blp.errors(401, 403, 409)
    @blp.arguments(s.CalendarSchema)
    @blp.response(201, s.CalendarSchema)
    def post(self, data):
        """Add a calendar (admin)."""
        return services.create_calendar(g.user, data)


@blp.route(f"/calendars/{NAME}")
class CalendarItem(MethodView):
    @authenticated()
    @blp.errors(401, 404)
    @blp.response(200, s.CalendarSchema)
    def get(self, name):
        """One calendar by name."""
        return services.calendar(name)

    @authenticated(permissions.MANAGE_SETTINGS)
    @blp.errors(401, 403, 404, 409)
    @blp.arguments(s.CalendarPutSchema)
    @blp.response(200, s.CalendarSchema)
    def put(self, data, name):
        """Replace a calendar's timezone, hours and holidays (admin)."""
        return services.replace_calendar(g.user, name, data)


@blp.route("/policies")
class Policies(MethodView):
    @authenticated()
    @blp.errors(401)
    @blp.response(200, s.PolicySchema(many=True))
    def get(self):
        """Every policy, by work type and priority."""
        return services.policies()

    @authenticated(permissions.MANAGE_SETTINGS)
    @blp.errors(401, 403)
    @blp.arguments(s.PolicySchema(many=True))
    @blp.response(200, s.PolicySchema(many=True))
    def put(self, items):
        """Upsert a list of policies (admin); answers with all policies."""
        return services.set_policies(g.user, items)


@blp.route("/report")
@authenticated(permissions.READ_REPORTS)
@blp.errors(401, 403)
@blp.arguments(s.ReportQuerySchema, location="query")
@blp.response(200, s.ReportSchema)
def report(query):
    """Attainment, cycle hours, breaches and hours lost for tasks posted in [since, until)
    (28 days up to now by default); managers see their own briefs."""
    now = utcnow()
    since, until = default_period(query["since"], query["until"], now)
    return report_for(g.user, since, until, query["group_by"], now)

"""/dashboard: SLA attainment, cycle time, queue, breaches and coverage, as charts, for every role."""
from flask import render_template, request
from flask_login import current_user, login_required

from broker.timeutil import utcnow
from broker.web import dashboard_data, web


@web.route("/dashboard")
@login_required
def dashboard():
    days, notice = dashboard_data.period_days(request.args.get("days"))
    data = dashboard_data.dashboard(current_user, days, utcnow())
    return render_template("dashboard.html", d=data, notice=notice, periods=dashboard_data.PERIODS)

"""/planning for managers and admins: simulate the team, compare strategies and what-ifs, plan.

Runs take seconds to minutes, so the form starts one (broker.planning.runs) and sends the reader
to its page, which polls /planning/runs/<id>/status until the result is there."""
from flask import current_app, redirect, render_template, request, url_for
from flask_login import current_user

from broker.api.errors import error_body
from broker.errors import NotFound
from broker.people.permissions import PLAN
from broker.planning import runs
from broker.planning.runner import ALL
from broker.timeutil import utcnow
from broker.web import permission_required, planning_data, planning_form, web


def _render_form(form, errors=None, status=200):
    return render_template(
        "planning/index.html", form=form, errors=errors or {}, strategies=ALL,
        names=planning_form.STRATEGY_NAMES, sources=planning_form.SOURCES,
        runs=runs.recent_runs(current_user), now=utcnow(), status_of=runs.status), status


@web.route("/planning", methods=["GET", "POST"])
@permission_required(PLAN)
def planning():
    if request.method == "GET":
        return _render_form({})
    asked = planning_form.read(request.form, request.files, utcnow())
    if asked.errors:
        return _render_form(request.form, asked.errors, 422)
    run = runs.start_run(current_app._get_current_object(), current_user, asked.kind,
                         asked.scenario, asked.params, utcnow())
    return redirect(url_for("web.planning_run", run_id=run.id))


@web.route("/planning/runs/<id:run_id>")
@permission_required(PLAN)
def planning_run(run_id):
    run = runs.run_for(current_user, run_id)
    view = None
    if run.state == "done" and run.result:
        view = (planning_data.plan_view(run.result) if run.kind == "plan" else
                planning_data.simulation_view(run.result, planning_form.STRATEGY_NAMES))
    return render_template("planning/run.html", run=run, status=runs.status(run, utcnow()),
                           view=view)


@web.route("/planning/runs/<id:run_id>/status")
@permission_required(PLAN)
def planning_run_status(run_id):
    """The small JSON the run page polls: state, progress and what it is doing."""
    try:
        run = runs.run_for(current_user, run_id)
    except NotFound as exc:
        return error_body(404, exc.message)
    return runs.status(run, utcnow())

"""/costs (the cost report drawn like the dashboard), the brief page's budget and result forms, and
the queue's quick time entries ("1h30")."""
from datetime import timedelta

from flask import current_app, flash, g, redirect, render_template, request, url_for
from flask_login import current_user
from marshmallow import ValidationError

from broker.api.costs.schemas import BudgetSchema, ResultSchema
from broker.costs import reads, services
from broker.costs.figures import GROUPS
from broker.costs.money import hours_text, money, parse_amount, parse_minutes
from broker.costs.report import cost_report
from broker.errors import DomainError, InvalidInput
from broker.people import permissions
from broker.timeutil import utcnow
from broker.web import dashboard_data, permission_required, web
from broker.web.form_fields import error_text

GROUP_NAMES = {"objective": "Objective", "brief": "Brief", "work_type": "Work type",
               "specialist": "Specialist", "partner": "Partner"}


def _currency() -> str:
    return current_app.config["BROKER_CURRENCY"]


@web.app_template_filter("money")
def money_filter(amount) -> str:
    """'USD 1,234.50' in the configured currency."""
    return money(amount, _currency())


@web.app_template_global()
def brief_costs_for(brief) -> dict:
    """The brief page's time and money (money only for those who may see costs)."""
    with_money = permissions.may(current_user, permissions.READ_COSTS)
    return reads.brief_costs(brief, _currency(), with_money)


@web.app_template_global()
def task_logged_minutes(task_id: int) -> int:
    return reads.logged_minutes([task_id]).get(task_id, 0)


web.add_app_template_filter(hours_text, "hours_text")


@web.route("/costs")
@permission_required(permissions.READ_COSTS)
def costs():
    days, notice = dashboard_data.period_days(request.args.get("days"))
    group_by = request.args.get("group_by", "objective")
    if group_by not in GROUPS:
        notice, group_by = f"Group by one of {', '.join(GROUPS)}; showing objectives.", "objective"
    now = utcnow()
    report = cost_report(current_user, now - timedelta(days=days), now, group_by, now, _currency())
    for row in report["rows"]:
        row["cost_value"] = float(row["cost"])  # bar lengths only; the text shows the Decimal
    return render_template("costs/index.html", r=report, days=days, notice=notice,
                           periods=dashboard_data.PERIODS, groups=GROUP_NAMES, group_by=group_by)


def _back_to_brief(brief_id: int):
    return redirect(url_for("web.brief_detail", brief_id=brief_id, _anchor="costs"))


def _brief_with_errors(brief_id: int, form: str, errors: dict):
    """The brief page again, with the form's errors inline and what was typed kept (422)."""
    from broker.web.brief_views import brief_detail
    g.cost_form = {"form": form, "errors": errors, "typed": dict(request.form)}
    return brief_detail(brief_id), 422


def _refused(exc: DomainError):
    """Not the owner, or no such brief: the error page; anything else is said on the form."""
    if exc.status in (403, 404):
        raise exc


@web.route("/briefs/<id:brief_id>/budget", methods=["POST"])
@permission_required(permissions.REVIEW_WORK)
def set_brief_budget(brief_id):
    typed = request.form.get("budget", "").strip()
    try:
        data = BudgetSchema().load({"budget": str(parse_amount(typed)) if typed else None})
        services.set_budget(current_user, brief_id, data["budget"], utcnow())
    except ValueError as exc:
        return _brief_with_errors(brief_id, "budget", {"budget": str(exc)})
    except ValidationError as exc:
        return _brief_with_errors(brief_id, "budget", {"budget": error_text(exc.messages)})
    except DomainError as exc:
        _refused(exc)
        return _brief_with_errors(brief_id, "budget", {"budget": exc.message})
    flash(f"Budget set to {money(data['budget'], _currency())}." if data["budget"] else "Budget cleared.")
    return _back_to_brief(brief_id)


@web.route("/briefs/<id:brief_id>/result", methods=["POST"])
@permission_required(permissions.REVIEW_WORK)
def record_brief_result(brief_id):
    try:
        data = ResultSchema().load({"value": request.form.get("value", "").strip().replace(",", ""),
                                    "note": request.form.get("note", "").strip() or None})
        services.record_result(current_user, brief_id, data["value"], data["note"], utcnow())
    except ValidationError as exc:
        return _brief_with_errors(brief_id, "result",
                                  {k: error_text(v) for k, v in exc.messages.items()})
    except DomainError as exc:
        _refused(exc)
        return _brief_with_errors(brief_id, "result", {"value": exc.message})
    flash("Result recorded against the success metric.")
    return _back_to_brief(brief_id)


@web.route("/tasks/<id:task_id>/time", methods=["POST"])
@permission_required(permissions.TAKE_WORK)
def log_task_time(task_id):
    """A quick entry from the queue: '1h30', '90m', '1.5h'; errors inline on the task."""
    from broker.web.queue_views import _render_queue
    spent, note = request.form.get("spent", "").strip(), request.form.get("note", "").strip()
    typed = {task_id: {"action": "log_time", "spent": spent, "note": note}}
    try:
        on = _day(request.form.get("on", ""))
    except ValueError as exc:
        return _render_queue({task_id: {"action": "log_time", "on": str(exc)}}, typed, 422)
    try:
        minutes = parse_minutes(spent)
        services.log_time(current_user, task_id, minutes, utcnow(), on, note[:500] or None)
    except ValueError as exc:
        return _render_queue({task_id: {"action": "log_time", "spent": str(exc)}}, typed, 422)
    except InvalidInput as exc:
        errors = {("spent" if k == "minutes" else k): error_text(v) for k, v in exc.errors.items()}
        return _render_queue({task_id: {"action": "log_time"} | errors}, typed, 422)
    except DomainError as exc:
        _refused(exc)
        flash(f"Nothing was logged. {exc.message}", "error")
        return redirect(url_for("web.queue", _anchor=f"task-{task_id}"))
    flash(f"Logged {hours_text(minutes)}.")
    return redirect(url_for("web.queue", _anchor=f"task-{task_id}"))


def _day(text: str):
    """The optional day of an entry (YYYY-MM-DD); ValueError when unreadable."""
    from datetime import date
    if not text.strip():
        return None
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise ValueError("Write the day like 2026-11-30.") from None

"""Who may do what: every API endpoint and page × every role and ownership case, with the status
each gets. This table is the specification of broker/people/permissions.py.

Cases, in the order of each row's expected statuses:
  API:   admin, manager (owns the brief), other manager, specialist (the assignee, or the profile's
         owner), other specialist, no token, revoked token (of the owning manager)
  pages: admin, manager, other manager, specialist, other specialist, logged out

Every (method, route) of the app's url_map needs a row: a new route without one fails the test.
Each case gets fresh objects from the row's setup, so one case's success never decides another's.
API statuses must also be documented for the operation in the OpenAPI document.
"""
import itertools
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta

from flask import url_for

from broker.extensions import db
from broker.people.models import ApiToken, User
from broker.people.partners import Partner
from broker.people.tokens import hash_token, issue_token
from broker.timeutil import utcnow
from tasks import services as tasks
from tests.factories import csrf_token, logged_in

API_CASES = ("admin", "manager", "other_manager", "specialist", "other_specialist", "no_token",
             "revoked_token")
PAGE_CASES = ("admin", "manager", "other_manager", "specialist", "other_specialist", "logged_out")
REVOKED = "brk_revoked-token-of-the-owning-manager"
_seq = itertools.count(1)


@dataclass
class Row:
    """One route's expected statuses for a setup (the objects it acts on) and a request body."""

    method: str
    rule: str
    expect: str  # statuses, one per case, in the order of API_CASES or PAGE_CASES
    setup: Callable = lambda w: {}  # -> the route's URL values, from fresh objects
    body: Callable | dict | None = None  # JSON for the API, form fields for pages

    @property
    def is_api(self) -> bool:
        return self.rule.startswith("/api/")


def _next() -> int:
    return next(_seq)


# --- setups: fresh objects in the state the route acts from -------------------------------------

def queued(w) -> dict:
    return {"task_id": w.task()}


def offered(w) -> dict:
    task_id = w.task()
    w.act(lambda s: tasks.offer(task_id, s, utcnow() + timedelta(hours=2), utcnow()))
    return {"task_id": task_id}


def working(w) -> dict:
    task_id = w.task()
    w.act(lambda s: tasks.claim(task_id, s, utcnow()))
    return {"task_id": task_id}


def blocked(w) -> dict:
    values = working(w)
    w.act(lambda s: tasks.assignee_action(values["task_id"], "block", s, utcnow(), {"reason": "x"}))
    return values


def submitted(w) -> dict:
    values = working(w)
    w.act(lambda s: tasks.assignee_action(values["task_id"], "submit", s, utcnow(),
                                          {"deliverable_url": "https://drive.example.com/a"}))
    return values


def changes_requested(w) -> dict:
    values = submitted(w)
    w.act(lambda m: tasks.owner_action(values["task_id"], "request_changes", m, utcnow(), {}),
          who="manager")
    return values


def brief(w) -> dict:
    return {"brief_id": w.brief()[0]}


def profile(w) -> dict:
    return {"user_id": w.ids["specialist"]}


def business(w) -> dict:
    return {"name": "business"}


def endpoint(w) -> dict:
    """A webhook endpoint for every event, registered by the admin."""
    from flask import current_app

    from notifications.webhooks import services as webhooks
    with w.app.app_context():
        admin = db.session.get(User, w.ids["admin"])
        made, _ = webhooks.register_endpoint(admin, "https://hooks.example.com/broker", ["*"],
                                             current_app.config["SECRET_KEY"], utcnow())
        endpoint_id = made.id
        db.session.remove()
    return {"endpoint_id": endpoint_id}


def delivery(w) -> dict:
    """An endpoint with one (queued) delivery: a brief posted after it was registered."""
    from sqlalchemy import select

    from notifications.webhooks.models import WebhookDelivery
    values = endpoint(w)
    w.task()
    with w.app.app_context():
        values["delivery_id"] = db.session.scalar(select(WebhookDelivery.id).where(
            WebhookDelivery.endpoint_id == values["endpoint_id"]).limit(1))
        db.session.remove()
    return values


def managers_token(w) -> dict:
    """A fresh spare API token of the owning manager."""
    with w.app.app_context():
        row, _ = issue_token(db.session.get(User, w.ids["manager"]), "spare")
        db.session.commit()
        token_id = row.id
        db.session.remove()
    return {"token_id": token_id}


def fresh_specialist(w) -> dict:
    """A specialist of its own, for an admin to change without touching the world's."""
    return {"user_id": w.make.specialist().id}


def account(w) -> dict:
    """A fresh user for an admin to change."""
    return {"user_id": w.make.user("manager").id}


def planning_run(w) -> dict:
    """A finished planning run of the owning manager's (any planner may read it)."""
    from broker.planning.models import PlanningRun
    with w.app.app_context():
        run = PlanningRun(requested_by=w.ids["manager"], kind="simulate", state="failed",
                          error="stopped", params={})
        db.session.add(run)
        db.session.commit()
        run_id = run.id
        db.session.remove()
    return {"run_id": run_id}


def template(w) -> dict:
    """A brief template of the owning manager's."""
    from tasks import templates
    body = {"name": "Weekly", "brief": brief_body(w), "checklist": [], "schedule": None}
    with w.app.app_context():
        made = templates.create_template(db.session.get(User, w.ids["manager"]), body, utcnow())
        template_id = made.id
        db.session.remove()
    return {"template_id": template_id}


def static_file(w) -> dict:
    return {"filename": "broker.css"}


def closed_brief(w) -> dict:
    """A brief whose only task was cancelled: its result may be recorded."""
    brief_id, (task_id,) = w.brief()
    w.act(lambda m: tasks.owner_action(task_id, "cancel", m, utcnow(), {}), who="manager")
    return {"brief_id": brief_id}


def acme_profile(w) -> dict:
    """The specialist's profile (partner Acme, whose lead may change hours and capacity)."""
    return profile(w)


def partner_row(w) -> dict:
    from broker.people.partners import Partner
    with w.app.app_context():
        made = Partner(name=f"Partner {_next()}", capacity_cap=3)
        db.session.add(made)
        db.session.commit()
        partner_id = made.id
        db.session.remove()
    return {"partner_id": partner_id}


# --- bodies --------------------------------------------------------------------------------------

def new_user(w) -> dict:
    return {"email": f"new{_next()}@example.com", "name": "New", "role": "manager", "timezone": "UTC"}


def new_specialist(w) -> dict:
    return {"email": f"spec-new{_next()}@example.com", "name": "New", "timezone": "Asia/Manila",
            "skills": [{"skill": "premiere_pro", "level": 3}], "working_hours": {}}


def csv_body(w) -> dict:
    return {"csv": "email,name,timezone,skills,hours\n"
                   f"csv{_next()}@example.com,New,Asia/Manila,figma:3,mon-fri 09:00-17:00\n"}


def time_off(w) -> dict:
    start = utcnow() + timedelta(days=200 + 3 * _next())
    return {"starts_at": start.isoformat(), "ends_at": (start + timedelta(days=1)).isoformat()}


def brief_body(w) -> dict:
    return {"title": "Launch", "objective": "pipeline", "success_metric": "40 demos",
            "tasks": [{"title": "Cut", "work_type": "video_editing", "estimate_hours": 2}]}


def calendar_body(w) -> dict:
    return {"name": f"cal-{_next()}", "timezone": "UTC", "hours": {"mon": [["09:00", "17:00"]]}}


CALENDAR = {"timezone": "America/New_York",
            "hours": {d: [["09:00", "17:00"]] for d in ("mon", "tue", "wed", "thu", "fri")}}
POLICY = [{"work_type": "design", "priority": "low", "ack_hours": 8, "turnaround_hours": 24,
           "calendar": "business", "warn_at": 0.75}]
PROFILE_FORM = {"timezone": "Asia/Manila", "capacity": "500", "hours-mon": "00:00-23:59",
                "skill_rows": "2", "skill-0-name": "premiere_pro", "skill-0-level": "5",
                "skill-1-name": "google_ads", "skill-1-level": "5"}

ADMIN_PROFILE_FORM = {"name": "Renamed", "timezone": "Asia/Manila", "capacity": "5",
                      "hours-mon": "00:00-23:59", "routed": "1", "skill_rows": "1",
                      "skill-0-name": "premiere_pro", "skill-0-level": "5"}
POLICY_FORM = {"design-low-ack": "8", "design-low-turnaround": "24", "design-low-warn": "75",
               "design-low-calendar": "business"}


def person_form(w) -> dict:
    return {"email": f"person{_next()}@example.com", "name": "New", "role": "manager",
            "timezone": "UTC"}


def time_off_form(w) -> dict:
    start = (utcnow() + timedelta(days=600 + 3 * _next())).replace(tzinfo=None)
    return {"timeoff-starts_at": start.strftime("%Y-%m-%dT%H:%M"),
            "timeoff-ends_at": (start + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")}


T = "/api/v1/tasks/<id:task_id>"
ALWAYS = {d: [["00:00", "23:59"]] for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")}
MATRIX = [
    # --- the JSON API: admin, manager, other manager, specialist, other specialist, none, revoked
    Row("GET", "/api/v1/health", "200 200 200 200 200 200 200"),
    Row("GET", "/api/v1/openapi.json", "200 200 200 200 200 200 200"),
    Row("GET", "/api/v1/me", "200 200 200 200 200 401 401"),
    Row("PATCH", "/api/v1/me", "200 200 200 200 200 401 401", body={"digest_hour": 8}),
    Row("POST", "/api/v1/users", "201 403 403 403 403 401 401", body=new_user),
    Row("GET", "/api/v1/specialists", "200 200 200 403 403 401 401"),
    Row("POST", "/api/v1/specialists", "201 403 403 403 403 401 401", body=new_specialist),
    Row("GET", "/api/v1/specialists/<id:user_id>", "200 200 200 200 403 401 401", profile),
    Row("PATCH", "/api/v1/specialists/<id:user_id>", "200 403 403 200 403 401 401", profile,
        {"name": "Renamed"}),
    Row("POST", "/api/v1/specialists/<id:user_id>/time-off", "201 403 403 201 403 401 401",
        profile, time_off),
    Row("POST", "/api/v1/specialists/<id:user_id>/skills/verify", "200 200 200 403 403 401 401",
        profile, {"skills": [{"skill": "premiere_pro", "level": 5}]}),
    Row("POST", "/api/v1/specialists/<id:user_id>/skills/reject", "200 200 200 403 403 401 401",
        profile, {"skills": ["premiere_pro"]}),
    Row("GET", "/api/v1/skills/proposals", "200 200 200 403 403 401 401"),
    Row("POST", "/api/v1/specialists/import/preview", "200 403 403 403 403 401 401", body=csv_body),
    Row("POST", "/api/v1/specialists/import", "201 403 403 403 403 401 401", body=csv_body),
    Row("GET", "/api/v1/work-types", "200 200 200 200 200 401 401"),
    Row("GET", "/api/v1/briefs", "200 200 200 403 403 401 401"),
    Row("POST", "/api/v1/briefs", "403 201 201 403 403 401 401", body=brief_body),
    Row("GET", "/api/v1/briefs/<id:brief_id>", "200 200 200 403 403 401 401", brief),
    Row("GET", "/api/v1/tasks", "200 200 200 200 200 401 401"),
    Row("GET", "/api/v1/tasks/available", "403 403 403 200 200 401 401"),
    Row("GET", T, "200 200 200 200 403 401 401", working),  # managers read every brief's tasks
    Row("GET", T, "200 200 200 200 200 401 401", queued),  # the open queue is every specialist's
    Row("PATCH", T, "200 200 403 403 403 401 401", queued, {"priority": "high"}),
    Row("POST", T + "/claim", "403 403 403 200 200 401 401", queued),
    Row("POST", T + "/accept", "403 403 403 200 403 401 401", offered),
    Row("POST", T + "/decline", "403 403 403 200 403 401 401", offered, {}),
    Row("POST", T + "/block", "403 403 403 200 403 401 401", working, {"reason": "fonts"}),
    Row("POST", T + "/unblock", "403 403 403 200 403 401 401", blocked, {}),
    Row("POST", T + "/submit", "403 403 403 200 403 401 401", working,
        {"deliverable_url": "https://drive.example.com/cut.mp4"}),
    Row("POST", T + "/resume", "403 403 403 200 403 401 401", changes_requested, {}),
    Row("POST", T + "/approve", "403 200 403 403 403 401 401", submitted, {}),
    Row("POST", T + "/request-changes", "403 200 403 403 403 401 401", submitted, {}),
    Row("POST", T + "/cancel", "200 200 403 403 403 401 401", queued, {}),
    Row("GET", T + "/comments", "200 200 200 200 403 401 401", working),
    Row("POST", T + "/comments", "201 201 201 201 403 401 401", working, {"body": "Looks good"}),
    Row("POST", T + "/handoff", "403 403 403 200 403 401 401", working, {"note": "Over to you"}),
    Row("GET", "/api/v1/templates", "200 200 200 403 403 401 401"),
    Row("POST", "/api/v1/templates", "403 201 201 403 403 401 401",
        body=lambda w: {"name": "Weekly", "brief": brief_body(w)}),
    Row("GET", "/api/v1/templates/<id:template_id>", "200 200 403 403 403 401 401", template),
    Row("PUT", "/api/v1/templates/<id:template_id>", "200 200 403 403 403 401 401", template,
        lambda w: {"name": "Renamed", "brief": brief_body(w)}),
    Row("DELETE", "/api/v1/templates/<id:template_id>", "204 204 403 403 403 401 401", template),
    Row("POST", "/api/v1/templates/<id:template_id>/post", "403 201 403 403 403 401 401", template),
    Row("GET", "/api/v1/notifications", "200 200 200 200 200 401 401"),
    Row("GET", "/api/v1/digests/preview", "200 200 200 200 200 401 401"),
    Row("GET", "/api/v1/sla/calendars", "200 200 200 200 200 401 401"),
    Row("POST", "/api/v1/sla/calendars", "201 403 403 403 403 401 401", body=calendar_body),
    Row("GET", "/api/v1/sla/calendars/<string(maxlength=64):name>", "200 200 200 200 200 401 401",
        business),
    Row("PUT", "/api/v1/sla/calendars/<string(maxlength=64):name>", "200 403 403 403 403 401 401",
        business, CALENDAR),
    Row("GET", "/api/v1/sla/policies", "200 200 200 200 200 401 401"),
    Row("PUT", "/api/v1/sla/policies", "200 403 403 403 403 401 401", body=POLICY),
    Row("GET", "/api/v1/sla/report", "200 200 200 403 403 401 401"),
    Row("GET", "/api/v1/webhooks", "200 403 403 403 403 401 401"),
    Row("POST", "/api/v1/webhooks", "201 403 403 403 403 401 401",
        body={"url": "https://hooks.example.com/x", "events": ["*"]}),
    Row("GET", "/api/v1/webhooks/<id:endpoint_id>", "200 403 403 403 403 401 401", endpoint),
    Row("PATCH", "/api/v1/webhooks/<id:endpoint_id>", "200 403 403 403 403 401 401", endpoint,
        {"active": False}),
    Row("DELETE", "/api/v1/webhooks/<id:endpoint_id>", "204 403 403 403 403 401 401", endpoint),
    Row("GET", "/api/v1/webhooks/<id:endpoint_id>/deliveries", "200 403 403 403 403 401 401",
        endpoint),
    Row("POST", "/api/v1/webhooks/<id:endpoint_id>/deliveries/<id:delivery_id>/redeliver",
        "200 403 403 403 403 401 401", delivery),
    Row("GET", "/api/v1/tokens", "200 200 200 200 200 401 401"),
    Row("POST", "/api/v1/tokens", "201 201 201 201 201 401 401", body={"label": "script"}),
    Row("DELETE", "/api/v1/tokens/<id:token_id>", "204 204 403 403 403 401 401", managers_token),
    Row("PATCH", "/api/v1/users/<id:user_id>", "200 403 403 403 403 401 401", account,
        {"name": "Renamed"}),
    # time, cost and partners (broker/costs)
    Row("GET", T + "/time", "200 200 200 200 403 401 401", working),
    Row("POST", T + "/time", "403 403 403 201 403 401 401", working, {"minutes": 30}),
    Row("GET", "/api/v1/briefs/<id:brief_id>/costs", "200 200 200 403 403 401 401", brief),
    Row("PUT", "/api/v1/briefs/<id:brief_id>/budget", "200 200 403 403 403 401 401", brief,
        {"budget": 500}),
    Row("PUT", "/api/v1/briefs/<id:brief_id>/result", "200 200 403 403 403 401 401", closed_brief,
        {"value": 12, "note": "12 demos"}),
    Row("GET", "/api/v1/costs/report", "200 200 200 403 403 401 401"),
    Row("GET", "/api/v1/partners", "200 403 403 403 403 401 401"),
    Row("POST", "/api/v1/partners", "201 403 403 403 403 401 401",
        body=lambda w: {"name": f"Partner {_next()}", "capacity_cap": 4}),
    Row("PUT", "/api/v1/partners/<id:partner_id>", "200 403 403 403 403 401 401", partner_row,
        lambda w: {"name": f"Partner {_next()}", "capacity_cap": 5}),
    Row("PATCH", "/api/v1/specialists/<id:user_id>", "200 403 403 200 403 401 401", acme_profile,
        {"working_hours": ALWAYS}),

    # --- pages: admin, manager, other manager, specialist, other specialist, logged out
    Row("GET", "/static/<path:filename>", "200 200 200 200 200 200", static_file),
    Row("GET", "/login", "302 302 302 302 302 200"),
    Row("POST", "/login", "302 302 302 302 302 401", body={"email": "x@example.com", "password": "no"}),
    Row("GET", "/logout", "200 200 200 200 200 200"),
    Row("POST", "/logout", "302 302 302 302 302 302", body={}),
    Row("GET", "/", "302 302 302 302 302 302"),
    Row("GET", "/briefs", "200 200 200 403 403 302"),
    Row("GET", "/briefs/new", "403 200 200 403 403 302"),
    Row("POST", "/briefs/new", "403 200 200 403 403 302", body={"action": "add_row"}),
    Row("GET", "/briefs/<id:brief_id>", "200 200 200 403 403 302", brief),
    Row("POST", "/tasks/<id:task_id>/review", "403 302 403 403 403 302", submitted,
        {"action": "approve"}),
    Row("POST", "/tasks/<id:task_id>/decide", "403 302 403 403 403 302", submitted,
        {"action": "approve", "rating": "5"}),
    Row("POST", "/tasks/<id:task_id>/comments", "302 302 302 302 403 302", working, {"body": "Hi"}),
    Row("POST", "/tasks/<id:task_id>/handoff", "403 403 403 302 403 302", working, {"note": "Over"}),
    Row("GET", "/templates", "200 200 200 403 403 302"),
    Row("GET", "/skills", "200 200 200 403 403 302"),
    Row("POST", "/briefs/<id:brief_id>/template", "403 302 403 403 403 302", brief, {"name": "T"}),
    Row("POST", "/templates/<id:template_id>/post", "403 302 403 403 403 302", template, {}),
    Row("POST", "/templates/<id:template_id>/schedule", "302 302 403 403 403 302", template,
        {"every": "week", "weekday": "mon", "at": "09:00"}),
    Row("POST", "/templates/<id:template_id>/delete", "302 302 403 403 403 302", template, {}),
    Row("GET", "/queue", "403 403 403 200 200 302"),
    Row("POST", "/tasks/<id:task_id>/step", "403 403 403 302 403 302", working,
        {"action": "block", "reason": "fonts"}),
    Row("GET", "/available", "403 403 403 200 200 302"),
    Row("POST", "/tasks/<id:task_id>/claim", "403 403 403 302 302 302", queued, {}),
    Row("GET", "/profile", "403 403 403 200 200 302"),
    Row("POST", "/profile", "403 403 403 302 302 302", body=PROFILE_FORM),
    Row("POST", "/profile/time-off", "403 403 403 302 302 302", body=time_off_form),
    Row("GET", "/dashboard", "200 200 200 200 200 302"),
    Row("GET", "/notifications", "200 200 200 200 200 302"),
    Row("GET", "/admin/webhooks", "200 403 403 403 403 302"),
    Row("POST", "/admin/webhooks", "200 403 403 403 403 302",
        body={"url": "https://hooks.example.com/page", "events": "*"}),
    Row("GET", "/admin/webhooks/<id:endpoint_id>", "200 403 403 403 403 302", endpoint),
    Row("POST", "/admin/webhooks/<id:endpoint_id>/active", "302 403 403 403 403 302", endpoint,
        {"active": "0"}),
    Row("POST", "/admin/webhooks/<id:endpoint_id>/delete", "302 403 403 403 403 302", endpoint, {}),
    Row("POST", "/admin/webhooks/<id:endpoint_id>/deliveries/<id:delivery_id>/redeliver",
        "302 403 403 403 403 302", delivery, {}),
    Row("GET", "/admin/people", "200 403 403 403 403 302"),
    Row("POST", "/admin/people", "200 403 403 403 403 302", body=person_form),
    Row("POST", "/admin/people/import", "200 403 403 403 403 302", body=lambda w: {
        "csv": csv_body(w)["csv"], "action": "import"}),
    Row("POST", "/admin/people/<id:user_id>/account", "302 403 403 403 403 302", account,
        {"active": "0"}),
    Row("GET", "/admin/people/<id:user_id>", "200 403 403 403 403 302", profile),
    Row("POST", "/admin/people/<id:user_id>", "302 403 403 403 403 302", fresh_specialist,
        ADMIN_PROFILE_FORM),
    Row("POST", "/admin/people/<id:user_id>/skills/verify", "302 302 302 403 403 302", profile,
        {"skill": "premiere_pro", "level": "5"}),
    Row("POST", "/admin/people/<id:user_id>/skills/reject", "302 302 302 403 403 302", profile,
        {"skill": "premiere_pro"}),
    Row("POST", "/admin/people/<id:user_id>/time-off", "302 403 403 403 403 302", profile,
        time_off_form),
    Row("GET", "/admin/sla", "200 403 403 403 403 302"),
    Row("POST", "/admin/sla/policies", "302 403 403 403 403 302", body=POLICY_FORM),
    Row("POST", "/admin/sla/calendars", "302 403 403 403 403 302", body=lambda w: {
        "name": f"cal-{_next()}", "timezone": "UTC", "hours-mon": "09:00-17:00"}),
    Row("POST", "/admin/sla/calendars/<string(maxlength=64):name>", "302 403 403 403 403 302",
        business, {"timezone": "America/New_York", "hours-mon": "09:00-17:00"}),
    Row("GET", "/admin/work-types", "200 403 403 403 403 302"),
    Row("POST", "/admin/work-types", "302 403 403 403 403 302", body=lambda w: {
        "slug": f"type_{_next()}", "name": "Podcasts", "skills": "audition:3"}),
    Row("POST", "/admin/work-types/<string(maxlength=64):slug>", "302 403 403 403 403 302",
        lambda w: {"slug": "design"}, {"name": "Design", "skills": "figma:3"}),
    Row("GET", "/planning", "200 200 200 403 403 302"),
    Row("POST", "/planning", "422 422 422 403 403 302", body={"source": "nowhere"}),
    Row("GET", "/planning/runs/<id:run_id>", "200 200 200 403 403 302", planning_run),
    Row("GET", "/planning/runs/<id:run_id>/status", "200 200 200 403 403 302", planning_run),
    Row("GET", "/costs", "200 200 200 403 403 302"),
    Row("POST", "/briefs/<id:brief_id>/budget", "302 302 403 403 403 302", brief, {"budget": "800"}),
    Row("POST", "/briefs/<id:brief_id>/result", "302 302 403 403 403 302", closed_brief,
        {"value": "12"}),
    Row("POST", "/tasks/<id:task_id>/time", "403 403 403 302 403 302", working, {"spent": "1h30"}),
    Row("GET", "/partner", "403 403 403 403 403 302"),
    Row("GET", "/partner/specialists/<id:user_id>", "403 403 403 403 403 302", profile),
    Row("POST", "/partner/specialists/<id:user_id>", "403 403 403 403 403 302", profile,
        {"capacity": "500"} | {f"hours-{d}": "00:00-23:59" for d in ALWAYS}),
    Row("POST", "/partner/specialists/<id:user_id>/time-off", "403 403 403 403 403 302", profile,
        time_off_form),
    # Slack signs its requests, nobody logs in: without a signing secret set here, it is off.
    Row("POST", "/slack/interactions", "503 503 503 503 503 503", body={"payload": "{}"}),
]


# The partner_lead role (broker/costs): the lead of the specialist's partner (Acme), and the lead of
# another partner (Bolt, the other specialist's), per row as (method, rule, setup name) -> statuses.
# A row without an entry fails test_partner_leads: add its two statuses here.
L = "<lambda>"
PARTNER_LEADS = {
    ("GET", "/api/v1/health", L): "200 200",
    ("GET", "/api/v1/openapi.json", L): "200 200",
    ("GET", "/api/v1/me", L): "200 200",
    ("PATCH", "/api/v1/me", L): "200 200",
    ("POST", "/api/v1/users", L): "403 403",
    ("GET", "/api/v1/specialists", L): "200 200",  # each their own partner's
    ("POST", "/api/v1/specialists", L): "403 403",
    ("GET", "/api/v1/specialists/<id:user_id>", "profile"): "200 403",
    ("PATCH", "/api/v1/specialists/<id:user_id>", "profile"): "403 403",  # a name is not theirs to change
    ("PATCH", "/api/v1/specialists/<id:user_id>", "acme_profile"): "200 403",
    ("POST", "/api/v1/specialists/<id:user_id>/time-off", "profile"): "201 403",
    ("GET", "/api/v1/work-types", L): "200 200",
    ("GET", "/api/v1/briefs", L): "403 403",
    ("POST", "/api/v1/briefs", L): "403 403",
    ("GET", "/api/v1/briefs/<id:brief_id>", "brief"): "403 403",
    ("GET", "/api/v1/tasks", L): "200 200",  # the partner's people's tasks
    ("GET", "/api/v1/tasks/available", L): "403 403",
    ("GET", T, "working"): "200 403",
    ("GET", T, "queued"): "403 403",
    ("PATCH", T, "queued"): "403 403",
    ("POST", T + "/claim", "queued"): "403 403",
    ("POST", T + "/accept", "offered"): "403 403",
    ("POST", T + "/decline", "offered"): "403 403",
    ("POST", T + "/block", "working"): "403 403",
    ("POST", T + "/unblock", "blocked"): "403 403",
    ("POST", T + "/submit", "working"): "403 403",
    ("POST", T + "/resume", "changes_requested"): "403 403",
    ("POST", T + "/approve", "submitted"): "403 403",
    ("POST", T + "/request-changes", "submitted"): "403 403",
    ("POST", T + "/cancel", "queued"): "403 403",
    ("GET", "/api/v1/notifications", L): "200 200",
    ("GET", "/api/v1/digests/preview", L): "200 200",
    ("GET", "/api/v1/sla/calendars", L): "200 200",
    ("POST", "/api/v1/sla/calendars", L): "403 403",
    ("GET", "/api/v1/sla/calendars/<string(maxlength=64):name>", "business"): "200 200",
    ("PUT", "/api/v1/sla/calendars/<string(maxlength=64):name>", "business"): "403 403",
    ("GET", "/api/v1/sla/policies", L): "200 200",
    ("PUT", "/api/v1/sla/policies", L): "403 403",
    ("GET", "/api/v1/sla/report", L): "403 403",
    ("GET", "/api/v1/webhooks", L): "403 403",
    ("POST", "/api/v1/webhooks", L): "403 403",
    ("GET", "/api/v1/webhooks/<id:endpoint_id>", "endpoint"): "403 403",
    ("PATCH", "/api/v1/webhooks/<id:endpoint_id>", "endpoint"): "403 403",
    ("DELETE", "/api/v1/webhooks/<id:endpoint_id>", "endpoint"): "403 403",
    ("GET", "/api/v1/webhooks/<id:endpoint_id>/deliveries", "endpoint"): "403 403",
    ("POST", "/api/v1/webhooks/<id:endpoint_id>/deliveries/<id:delivery_id>/redeliver", "delivery"):
        "403 403",
    ("GET", "/api/v1/tokens", L): "200 200",
    ("POST", "/api/v1/tokens", L): "201 201",
    ("DELETE", "/api/v1/tokens/<id:token_id>", "managers_token"): "403 403",
    ("PATCH", "/api/v1/users/<id:user_id>", "account"): "403 403",
    ("GET", T + "/time", "working"): "200 403",
    ("POST", T + "/time", "working"): "403 403",
    ("GET", "/api/v1/briefs/<id:brief_id>/costs", "brief"): "403 403",
    ("PUT", "/api/v1/briefs/<id:brief_id>/budget", "brief"): "403 403",
    ("PUT", "/api/v1/briefs/<id:brief_id>/result", "closed_brief"): "403 403",
    ("GET", "/api/v1/costs/report", L): "200 200",  # each their own partner's
    ("GET", "/api/v1/partners", L): "403 403",
    ("POST", "/api/v1/partners", L): "403 403",
    ("PUT", "/api/v1/partners/<id:partner_id>", "partner_row"): "403 403",
    # pages
    ("GET", "/static/<path:filename>", "static_file"): "200 200",
    ("GET", "/login", L): "302 302",
    ("POST", "/login", L): "302 302",
    ("GET", "/logout", L): "200 200",
    ("POST", "/logout", L): "302 302",
    ("GET", "/", L): "302 302",
    ("GET", "/briefs", L): "403 403",
    ("GET", "/briefs/new", L): "403 403",
    ("POST", "/briefs/new", L): "403 403",
    ("GET", "/briefs/<id:brief_id>", "brief"): "403 403",
    ("POST", "/tasks/<id:task_id>/review", "submitted"): "403 403",
    ("GET", "/queue", L): "403 403",
    ("POST", "/tasks/<id:task_id>/step", "working"): "403 403",
    ("GET", "/available", L): "403 403",
    ("POST", "/tasks/<id:task_id>/claim", "queued"): "403 403",
    ("GET", "/profile", L): "403 403",
    ("POST", "/profile", L): "403 403",
    ("POST", "/profile/time-off", L): "403 403",
    ("GET", "/dashboard", L): "200 200",
    ("GET", "/notifications", L): "200 200",
    ("GET", "/admin/webhooks", L): "403 403",
    ("POST", "/admin/webhooks", L): "403 403",
    ("GET", "/admin/webhooks/<id:endpoint_id>", "endpoint"): "403 403",
    ("POST", "/admin/webhooks/<id:endpoint_id>/active", "endpoint"): "403 403",
    ("POST", "/admin/webhooks/<id:endpoint_id>/delete", "endpoint"): "403 403",
    ("POST", "/admin/webhooks/<id:endpoint_id>/deliveries/<id:delivery_id>/redeliver", "delivery"):
        "403 403",
    ("GET", "/planning", L): "403 403",
    ("POST", "/planning", L): "403 403",
    ("GET", "/planning/runs/<id:run_id>", "planning_run"): "403 403",
    ("GET", "/planning/runs/<id:run_id>/status", "planning_run"): "403 403",
    ("GET", "/costs", L): "200 200",
    ("POST", "/briefs/<id:brief_id>/budget", "brief"): "403 403",
    ("POST", "/briefs/<id:brief_id>/result", "closed_brief"): "403 403",
    ("POST", "/tasks/<id:task_id>/time", "working"): "403 403",
    ("GET", "/partner", L): "200 200",
    ("GET", "/partner/specialists/<id:user_id>", "profile"): "200 403",
    ("POST", "/partner/specialists/<id:user_id>", "profile"): "302 403",
    ("POST", "/partner/specialists/<id:user_id>/time-off", "profile"): "302 403",
    ("POST", "/slack/interactions", L): "503 503",
    # the admin pages and skill verification (issue 11): nothing for partner leads
    ("POST", "/api/v1/specialists/<id:user_id>/skills/verify", "profile"): "403 403",
    ("POST", "/api/v1/specialists/<id:user_id>/skills/reject", "profile"): "403 403",
    ("GET", "/api/v1/skills/proposals", L): "403 403",
    ("POST", "/api/v1/specialists/import/preview", L): "403 403",
    ("POST", "/api/v1/specialists/import", L): "403 403",
    ("GET", "/admin/people", L): "403 403",
    ("POST", "/admin/people", L): "403 403",
    ("POST", "/admin/people/import", L): "403 403",
    ("POST", "/admin/people/<id:user_id>/account", "account"): "403 403",
    ("GET", "/admin/people/<id:user_id>", "profile"): "403 403",
    ("POST", "/admin/people/<id:user_id>", "fresh_specialist"): "403 403",
    ("POST", "/admin/people/<id:user_id>/skills/verify", "profile"): "403 403",
    ("POST", "/admin/people/<id:user_id>/skills/reject", "profile"): "403 403",
    ("POST", "/admin/people/<id:user_id>/time-off", "profile"): "403 403",
    ("GET", "/admin/sla", L): "403 403",
    ("POST", "/admin/sla/policies", L): "403 403",
    ("POST", "/admin/sla/calendars", L): "403 403",
    ("POST", "/admin/sla/calendars/<string(maxlength=64):name>", "business"): "403 403",
    ("GET", "/admin/work-types", L): "403 403",
    ("POST", "/admin/work-types", L): "403 403",
    ("POST", "/admin/work-types/<string(maxlength=64):slug>", L): "403 403",
    # the work loop (issue 12)
    ("GET", T + "/comments", "working"): "200 403",
    ("POST", T + "/comments", "working"): "403 403",  # the thread is the owner's, the assignee's and admins'
    ("POST", T + "/handoff", "working"): "403 403",
    ("GET", "/api/v1/templates", L): "403 403",
    ("POST", "/api/v1/templates", L): "403 403",
    ("GET", "/api/v1/templates/<id:template_id>", "template"): "403 403",
    ("PUT", "/api/v1/templates/<id:template_id>", "template"): "403 403",
    ("DELETE", "/api/v1/templates/<id:template_id>", "template"): "403 403",
    ("POST", "/api/v1/templates/<id:template_id>/post", "template"): "403 403",
    ("POST", "/tasks/<id:task_id>/decide", "submitted"): "403 403",
    ("POST", "/tasks/<id:task_id>/comments", "working"): "403 403",
    ("POST", "/tasks/<id:task_id>/handoff", "working"): "403 403",
    ("GET", "/templates", L): "403 403",
    ("GET", "/skills", L): "403 403",
    ("POST", "/briefs/<id:brief_id>/template", "brief"): "403 403",
    ("POST", "/templates/<id:template_id>/post", "template"): "403 403",
    ("POST", "/templates/<id:template_id>/schedule", "template"): "403 403",
    ("POST", "/templates/<id:template_id>/delete", "template"): "403 403",
}
LEAD_CASES = ("partner_lead", "other_partner_lead")


# --- the world the cases act in -----------------------------------------------------------------

@dataclass
class World:
    app: object
    make: object
    ids: dict = field(default_factory=dict)
    made: dict = field(default_factory=dict)
    pages: dict = field(default_factory=dict)  # case -> (session cookie, CSRF token)

    def brief(self):
        return self.make.brief(self.made["manager"])

    def task(self) -> int:
        return self.brief()[1][0]

    def act(self, step, who="specialist"):
        """Run a service step as one of the world's users, in its own app context."""
        with self.app.app_context():
            try:
                step(db.session.get(User, self.ids[who]))
            finally:
                db.session.remove()


def build_world(app, make) -> World:
    always = {d: [["00:00", "23:59"]] for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")}
    w = World(app, make)
    w.made = {"admin": make.user("admin"), "manager": make.user("manager"),
              "other_manager": make.user("manager"),
              "specialist": make.specialist({"premiere_pro": 5, "google_ads": 5}, hours=always,
                                            capacity=500, partner="Acme"),
              "other_specialist": make.specialist({"premiere_pro": 5, "google_ads": 5},
                                                  hours=always, capacity=500, partner="Bolt"),
              "partner_lead": make.user("partner_lead", partner="Acme"),
              "other_partner_lead": make.user("partner_lead", partner="Bolt")}
    w.ids = {case: made.id for case, made in w.made.items()}
    with app.app_context():
        db.session.add(ApiToken(user_id=w.ids["manager"], token_hash=hash_token(REVOKED),
                                prefix=REVOKED[:10], revoked_at=utcnow()))
        db.session.add(Partner(name="Acme", capacity_cap=5))
        db.session.commit()
        db.session.remove()
    for case, made in w.made.items():
        w.pages[case] = _page_session(logged_in(app, made))
    w.pages["logged_out"] = _page_session(app.test_client(), "/login")
    return w


def _page_session(client, form_page="/logout") -> tuple:
    token = csrf_token(client, form_page)
    return client.get_cookie("session").value, token


def api_headers(w: World, case: str) -> dict:
    if case == "no_token":
        return {}
    token = REVOKED if case == "revoked_token" else w.made[case].token
    return {"Authorization": f"Bearer {token}"}


def send(w: World, row: Row, case: str) -> int:
    """The status `case` gets for `row`, acting on fresh objects."""
    values = row.setup(w)
    body = row.body(w) if callable(row.body) else row.body
    client = w.app.test_client()
    with w.app.test_request_context():
        endpoint = next(r.endpoint for r in w.app.url_map.iter_rules() if r.rule == row.rule)
        path = url_for(endpoint, **values)
    if row.is_api:
        return client.open(path, method=row.method, json=body, headers=api_headers(w, case)).status_code
    cookie, token = w.pages[case]
    client.set_cookie("session", cookie)
    form = None if row.method == "GET" else {**(body or {}), "csrf_token": token}
    return client.open(path, method=row.method, data=form).status_code


def routes(app) -> set[tuple[str, str]]:
    return {(method, rule.rule) for rule in app.url_map.iter_rules()
            for method in rule.methods - {"HEAD", "OPTIONS"}}


def documented(spec: dict, row: Row) -> set[str]:
    """The statuses the OpenAPI document gives for a row's operation (the spec's own document
    is not in it)."""
    path = row.rule
    for name in ("task_id", "brief_id", "user_id", "endpoint_id", "delivery_id", "token_id",
                 "template_id"):
        path = path.replace(f"<id:{name}>", "{" + name + "}")
    path = path.replace("<id:partner_id>", "{partner_id}").replace("<id:template_id>", "{template_id}")
    path = path.replace("<string(maxlength=64):name>", "{name}")
    operation = spec["paths"].get(path, {}).get(row.method.lower())
    return set(operation["responses"]) if operation else set()


def test_every_route_has_a_row(app):
    assert routes(app) - {(r.method, r.rule) for r in MATRIX} == set(), "routes without a row"
    assert {(r.method, r.rule) for r in MATRIX} - routes(app) == set(), "rows of no route"


def test_authorization_matrix(app, make, client):
    """One table: every route × every case gets the status the row expects."""
    w = build_world(app, make)
    spec = client.get("/api/v1/openapi.json").json
    wrong, undocumented = [], []
    for row in MATRIX:
        cases = API_CASES if row.is_api else PAGE_CASES
        expected = row.expect.split()
        assert len(expected) == len(cases), row
        got = [str(send(w, row, case)) for case in cases]
        if got != expected:
            wrong.append(f"{row.method} {row.rule} ({row.setup.__name__}): expected "
                         f"{row.expect}, got {' '.join(got)}")
        statuses = documented(spec, row)
        if row.is_api and statuses and set(got) - statuses:
            undocumented.append(f"{row.method} {row.rule}: {sorted(set(got) - statuses)}")
    assert wrong == [], "\n".join(wrong)
    assert undocumented == [], "statuses not in the OpenAPI document:\n" + "\n".join(undocumented)


def test_partner_leads(app, make, client):
    """The partner_lead role, row by row: their partner's people and work, nothing else."""
    w = build_world(app, make)
    spec = client.get("/api/v1/openapi.json").json
    missing = [f"{r.method} {r.rule} ({r.setup.__name__})" for r in MATRIX
               if (r.method, r.rule, r.setup.__name__) not in PARTNER_LEADS]
    assert missing == [], "rows without partner-lead statuses in PARTNER_LEADS:\n" + "\n".join(missing)
    wrong, undocumented = [], []
    for row in MATRIX:
        expected = PARTNER_LEADS[(row.method, row.rule, row.setup.__name__)]
        got = " ".join(str(send(w, row, case)) for case in LEAD_CASES)
        if got != expected:
            wrong.append(f"{row.method} {row.rule} ({row.setup.__name__}): expected {expected}, got {got}")
        statuses = documented(spec, row)
        if row.is_api and statuses and set(got.split()) - statuses:
            undocumented.append(f"{row.method} {row.rule}: {sorted(set(got.split()) - statuses)}")
    assert wrong == [], "\n".join(wrong)
    assert undocumented == [], "statuses not in the OpenAPI document:\n" + "\n".join(undocumented)


# Which cases find the object in a list (the list queries' scopes): admin, manager, other manager,
# specialist, other specialist.
LISTS = [
    ("/api/v1/tasks", "id", working, "task_id", "yes yes yes yes no", {}),
    ("/api/v1/tasks", "id", queued, "task_id", "yes yes yes yes yes", {}),
    ("/api/v1/tasks", "id", working, "task_id", "no yes no yes no", {"mine": 1}),
    ("/api/v1/briefs", "id", brief, "brief_id", "yes yes yes - -", {}),
    ("/api/v1/briefs", "id", brief, "brief_id", "no yes no - -", {"mine": 1}),
]


def test_lists_show_what_each_case_may_see(app, make):
    w = build_world(app, make)
    for path, key, setup, name, expect, params in LISTS:
        wanted = setup(w)[name]
        seen = []
        for case in API_CASES[:5]:
            answer = app.test_client().get(path, query_string={"page_size": 100, **params},
                                           headers=api_headers(w, case))
            if answer.status_code == 403:
                seen.append("-")
            else:
                seen.append("yes" if wanted in {item[key] for item in answer.json} else "no")
        assert " ".join(seen) == expect, (path, setup.__name__)

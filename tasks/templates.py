"""Brief templates: kept by their owner, posted by hand or on a weekly/monthly schedule in the
owner's timezone, each scheduled period exactly once (the unique (template, period) key decides
between racing schedulers); a posted brief links back to its template."""
import logging
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from broker.errors import DomainError, NotAllowed, NotFound
from broker.extensions import db
from broker.people import permissions
from broker.people.models import User
from broker.unit_of_work import commit, transaction
from tasks.loop_models import BriefTemplate, TemplatePost
from tasks.models import Brief
from tasks.recurrence import add_working_days, due_slot, working_days_between

log = logging.getLogger(__name__)


def template_of(brief_id: int | None) -> int | None:
    """The template a brief was posted from, if any."""
    if brief_id is None:
        return None
    return db.session.scalar(select(TemplatePost.template_id).where(TemplatePost.brief_id == brief_id))


def visible_templates(actor: User) -> list[BriefTemplate]:
    scope = permissions.template_scope(actor)
    query = select(BriefTemplate).order_by(BriefTemplate.name, BriefTemplate.id)
    if not scope.everything:
        query = query.where(BriefTemplate.owner_id == scope.owner_id)
    return list(db.session.scalars(query))


def template_for(actor: User, template_id: int) -> BriefTemplate:
    permissions.require(actor, permissions.KEEP_TEMPLATES, "Templates are for managers and admins.")
    template = db.session.get(BriefTemplate, template_id)
    if template is None:
        raise NotFound(f"Template {template_id} does not exist.")
    if not permissions.may_keep_template(actor, template.owner_id):
        raise NotAllowed("This template belongs to another manager.")
    return template


@transaction
def create_template(actor: User, data: dict, now: datetime) -> BriefTemplate:
    """Keep a brief body (validated by the caller's schema) as a template of `actor`'s."""
    permissions.require(actor, permissions.POST_BRIEFS, "Only managers keep templates of briefs.")
    template = BriefTemplate(owner_id=actor.id, created_at=now, updated_at=now, **_fields(data))
    db.session.add(template)
    commit(expire=False)
    return template


@transaction
def update_template(actor: User, template_id: int, data: dict, now: datetime) -> BriefTemplate:
    template = template_for(actor, template_id)
    for key, value in _fields(data).items():
        setattr(template, key, value)
    template.updated_at = now  # a schedule counts from its last change: nothing before is owed
    commit(expire=False)
    return template


@transaction
def delete_template(actor: User, template_id: int):
    db.session.delete(template_for(actor, template_id))
    commit()


@transaction
def template_from_brief(actor: User, brief_id: int, name: str, now: datetime) -> BriefTemplate:
    """Keep one of `actor`'s briefs as a template: its tasks, their order of dependencies, and
    due dates as working days after posting."""
    from tasks.loop_services import prerequisites
    from tasks.queries import brief_for
    brief = brief_for(actor, brief_id)
    if not permissions.may_save_as_template(actor, brief.owner_id):
        raise NotAllowed("Only the brief's owner saves it as a template."
                         if brief.owner_id != actor.id else "Only managers keep templates of briefs.")
    index = {t.id: i for i, t in enumerate(brief.tasks)}
    needs = prerequisites(index)
    tasks = [{"title": t.title, "work_type": t.work_type, "skills": t.skills, "priority": t.priority,
              "estimate_hours": t.estimate_hours, "needs_manager_overlap": t.needs_manager_overlap,
              "after": [index[p.id] for p in needs[t.id]],
              "due_in_working_days": working_days_between(brief.created_at, t.due_at, actor.timezone)}
             for t in brief.tasks]
    body = {"title": brief.title, "description": brief.description, "objective": brief.objective,
            "success_metric": brief.success_metric, "campaign": brief.campaign, "tasks": tasks}
    template = BriefTemplate(owner_id=actor.id, name=name or brief.title, brief=body, checklist=[],
                             created_at=now, updated_at=now)
    db.session.add(template)
    commit(expire=False)
    return template


def _fields(data: dict) -> dict:
    return {"name": data["name"], "brief": data["brief"], "checklist": data.get("checklist") or [],
            "schedule": data.get("schedule")}


def brief_body(template: BriefTemplate, timezone: str, now: datetime) -> dict:
    """The brief a template posts at `now`: relative due dates become instants (N working days
    after posting, in the owner's timezone), and the checklist joins the description."""
    body = {k: v for k, v in template.brief.items() if k != "tasks"}
    if template.checklist:
        lines = "\n".join(f"- {item}" for item in template.checklist)
        body["description"] = (body.get("description") or "").rstrip() + f"\n\nChecklist:\n{lines}"
        body["description"] = body["description"].lstrip()
    tasks = []
    for spec in template.brief["tasks"]:
        task = {k: v for k, v in spec.items() if k != "due_in_working_days"}
        days = spec.get("due_in_working_days")
        task["due_at"] = add_working_days(now, days, timezone) if days else None
        tasks.append(task)
    return {**body, "tasks": tasks}


@transaction
def post_template(actor: User, template_id: int, now: datetime) -> Brief:
    """Post a brief from the template now, as its owner."""
    from tasks.services import build_brief
    template = template_for(actor, template_id)
    if not permissions.may_post_template(actor, template.owner_id):
        raise NotAllowed("Only the template's owner posts briefs from it.")
    brief = build_brief(actor, brief_body(template, actor.timezone, now), now)
    db.session.flush()
    db.session.add(TemplatePost(template_id=template.id, brief_id=brief.id, posted_at=now))
    commit(expire=False)
    return brief


def post_scheduled(now: datetime) -> int:
    """Post each scheduled template whose latest slot has come and whose period has no post yet;
    a missed run (downtime) posts the latest period once. Returns how many were posted."""
    due = []
    for template in db.session.scalars(select(BriefTemplate).where(BriefTemplate.schedule.is_not(None))
                                       .order_by(BriefTemplate.id)):
        found = due_slot(template.schedule, template.owner.timezone, now, template.updated_at)
        if found:
            due.append((template.id, found[0]))
    posted = 0
    for template_id, period in due:
        try:
            posted += _post_period(template_id, period, now)
        except DomainError as exc:  # e.g. the owner is no longer a manager: the others still post
            log.warning("template %s not posted for %s: %s", template_id, period, exc.message)
    return posted


def _post_period(template_id: int, period: str, now: datetime) -> bool:
    """Post one scheduled period in its own transaction; False when it was posted already (here
    before, or by a racing scheduler whose row the unique key refuses)."""
    from tasks.services import build_brief
    if db.session.scalar(select(TemplatePost.id).where(TemplatePost.template_id == template_id,
                                                       TemplatePost.period == period)):
        return False
    template = db.session.get(BriefTemplate, template_id)
    owner = template.owner
    try:
        brief = build_brief(owner, brief_body(template, owner.timezone, now), now)
        db.session.flush()
        db.session.add(TemplatePost(template_id=template_id, brief_id=brief.id, period=period,
                                    posted_at=now))
        commit()
    except IntegrityError:
        db.session.rollback()
        return False
    except Exception:
        db.session.rollback()
        raise
    return True

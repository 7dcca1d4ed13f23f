"""The work-type catalogue as admins keep it: add a work type, change its name, description and
default skills (what a task of that type requires when its brief names none)."""
import re

from broker.errors import Conflict, InvalidInput, NotFound
from broker.extensions import db
from broker.people import permissions
from broker.people.models import User
from broker.unit_of_work import commit, transaction
from tasks.models import WorkType

_SLUG = re.compile(r"^[a-z][a-z0-9_]{0,63}$")


def _errors(data: dict) -> dict:
    errors: dict = {}
    if not (data.get("name") or "").strip() or len(data["name"]) > 120:
        errors["name"] = ["A name of 1 to 120 characters."]
    if len(data.get("description") or "") > 2000:
        errors["description"] = ["At most 2,000 characters."]
    seen = set()
    for item in data.get("default_skills") or []:
        if not _SLUG.match(str(item.get("skill", ""))):
            errors["default_skills"] = [f"{item.get('skill')!r} is not a skill slug like premiere_pro."]
        elif not isinstance(item.get("min_level"), int) or not 1 <= item["min_level"] <= 5:
            errors["default_skills"] = [f"{item['skill']}: the level is 1 to 5."]
        elif item["skill"] in seen:
            errors["default_skills"] = [f"{item['skill']} is listed twice."]
        seen.add(item.get("skill"))
    return errors


def _check(actor: User, data: dict):
    permissions.require(actor, permissions.MANAGE_SETTINGS, "Only admins change the work types.")
    errors = _errors(data)
    if errors:
        raise InvalidInput("The work type is not valid.", errors)


@transaction
def add_work_type(actor: User, slug: str, data: dict) -> WorkType:
    """A new work type; its SLA policies are set apart (sla.services.set_policies)."""
    _check(actor, data)
    if not _SLUG.match(slug or ""):
        raise InvalidInput("The work type is not valid.", {"slug": ["Use a lowercase slug like podcast_editing."]})
    if db.session.get(WorkType, slug) is not None:
        raise Conflict(f"The work type {slug} exists already.", {"slug": [f"{slug} exists already."]})
    made = WorkType(slug=slug, name=data["name"].strip(), description=data.get("description") or "",
                    default_skills=list(data.get("default_skills") or []))
    db.session.add(made)
    commit()
    return made


@transaction
def update_work_type(actor: User, slug: str, data: dict) -> WorkType:
    """Change a work type's name, description and default skills; posted tasks keep theirs."""
    _check(actor, data)
    found = db.session.get(WorkType, slug)
    if found is None:
        raise NotFound(f"There is no work type {slug}.")
    found.name, found.description = data["name"].strip(), data.get("description") or ""
    found.default_skills = list(data.get("default_skills") or [])
    commit()
    return found

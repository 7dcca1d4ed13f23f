"""Business calendars and SLA policies: reads and admin writes, each owning its transaction."""
from sqlalchemy import select

from broker.errors import Conflict, InvalidInput, NotFound
from broker.extensions import db
from broker.people import permissions
from broker.people.models import User
from broker.unit_of_work import commit, transaction
from broker.worktime.calendars import calendar_errors
from sla.defaults import ALWAYS
from sla.models import BusinessCalendar, SlaPolicy
from sla.tracking import reapply_policies
from tasks.models import WorkType
from tasks.vocabulary import PRIORITIES


def _require_admin(actor: User):
    permissions.require(actor, permissions.MANAGE_SETTINGS, "Only admins change SLA calendars and policies.")


def calendars() -> list[BusinessCalendar]:
    return db.session.scalars(select(BusinessCalendar).order_by(BusinessCalendar.name)).all()


def calendar(name: str) -> BusinessCalendar:
    found = db.session.get(BusinessCalendar, name)
    if found is None:
        raise NotFound(f"There is no calendar named {name!r}.")
    return found


def _checked(data: dict) -> dict:
    errors = calendar_errors(data)
    if errors:
        raise InvalidInput("The calendar is not valid.", errors)
    return {"timezone": data["timezone"], "hours": data["hours"],
            "holidays": sorted(set(data.get("holidays") or []))}


@transaction
def create_calendar(actor: User, data: dict) -> BusinessCalendar:
    """Add a named calendar; names are unique."""
    _require_admin(actor)
    if db.session.get(BusinessCalendar, data["name"]) is not None:
        raise Conflict(f"A calendar named {data['name']!r} exists; PUT it to change it.")
    created = BusinessCalendar(name=data["name"], **_checked(data))
    db.session.add(created)
    commit()
    return created


@transaction
def replace_calendar(actor: User, name: str, data: dict) -> BusinessCalendar:
    """Replace a calendar's timezone, hours and holidays (the built-in 24x7 stays as it is)."""
    _require_admin(actor)
    if name == ALWAYS:
        raise Conflict("The 24x7 calendar is built in and counts every hour; it cannot change.")
    found = calendar(name)
    for key, value in _checked(data).items():
        setattr(found, key, value)
    commit()
    return found


def policies() -> list[SlaPolicy]:
    return db.session.scalars(select(SlaPolicy).order_by(SlaPolicy.work_type, SlaPolicy.priority)).all()


def _policy_errors(items: list[dict]) -> dict:
    work_types = set(db.session.scalars(select(WorkType.slug)))
    names = set(db.session.scalars(select(BusinessCalendar.name)))
    errors, seen = {}, set()
    for index, item in enumerate(items):
        problems = {}
        if item["work_type"] not in work_types:
            problems["work_type"] = [f"Unknown work type {item['work_type']!r}."]
        if item["priority"] not in PRIORITIES:
            problems["priority"] = [f"Use one of {', '.join(PRIORITIES)}."]
        if item["calendar"] not in names:
            problems["calendar"] = [f"Unknown calendar {item['calendar']!r}; known: {', '.join(sorted(names))}."]
        key = (item["work_type"], item["priority"])
        if key in seen:
            problems["priority"] = ["This work type and priority appear twice in the list."]
        seen.add(key)
        if problems:
            errors[index] = problems
    return errors


@transaction
def set_policies(actor: User, items: list[dict]) -> list[SlaPolicy]:
    """Upsert policies by work type and priority; every item is checked before any is written.
    Open tasks take the new targets at their next event."""
    _upsert_policies(actor, items)
    commit()
    return policies()


@transaction
def set_policies_now(actor: User, items: list[dict], now) -> int:
    """Upsert policies as set_policies does, and give the open tasks they cover their new targets
    at once (each moved target recorded as an sla_recomputed event); how many tasks moved."""
    _upsert_policies(actor, items)
    moved = reapply_policies(db.session, {(i["work_type"], i["priority"]) for i in items}, now)
    commit()
    return moved


def _upsert_policies(actor: User, items: list[dict]):
    _require_admin(actor)
    errors = _policy_errors(items)
    if errors:
        raise InvalidInput("Some policies are not valid.", errors)
    for item in items:
        found = db.session.get(SlaPolicy, (item["work_type"], item["priority"]))
        if found is None:
            db.session.add(SlaPolicy(**item))
        else:
            for key in ("ack_hours", "turnaround_hours", "calendar", "warn_at"):
                setattr(found, key, item[key])

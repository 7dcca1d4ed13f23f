"""The /briefs filters: task state, SLA status, objective, text and `mine`, read from the query
string (unknown values are ignored) and applied to the list's select()."""
from datetime import datetime

from sqlalchemy import exists, or_, select

from sla.queries import with_status
from sla.status import STATUSES
from tasks.lifecycle import STATES
from tasks.models import Brief, Task
from tasks.vocabulary import OBJECTIVES

CHOICES = {"state": STATES, "sla": STATUSES, "objective": OBJECTIVES}
TEXT_MAX = 100


def chosen(args) -> dict:
    """The filters in the query string that name a known value."""
    picked: dict = {key: args.get(key) for key, allowed in CHOICES.items()
                    if args.get(key) in allowed}
    text = (args.get("q") or "").strip()[:TEXT_MAX]
    if text:
        picked["q"] = text
    if args.get("mine") in ("1", "true", "on"):
        picked["mine"] = True
    return picked


def narrowed(stmt, picked: dict, now: datetime):
    """`stmt` over briefs narrowed to the chosen filters."""
    if "state" in picked:
        stmt = stmt.where(exists().where(Task.brief_id == Brief.id, Task.state == picked["state"]))
    if "sla" in picked:
        stmt = stmt.where(select(Task.id).where(Task.brief_id == Brief.id,
                                                with_status(picked["sla"], now)).exists())
    if "objective" in picked:
        stmt = stmt.where(Brief.objective == picked["objective"])
    if "q" in picked:
        like = f"%{_escaped(picked['q'])}%"
        stmt = stmt.where(or_(*(column.ilike(like, escape="\\") for column in (
            Brief.title, Brief.description, Brief.success_metric, Brief.campaign))))
    return stmt


def _escaped(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")

"""The numbers behind /dashboard, read in a fixed handful of queries for whoever is looking.

Managers see their own briefs, admins everything, specialists the tasks assigned to them
(sla.reporting.report_filters), with the open queue they may see and coverage.
"""
from datetime import date, datetime, time, timedelta, timezone

import pendulum
from sqlalchemy import func, select
from sqlalchemy.orm import contains_eager, selectinload

from broker.extensions import db
from broker.people.models import SpecialistProfile, User
from broker.people.permissions import OVERSEE, may, report_scope, task_scope
from broker.web.dashboard_coverage import hourly_coverage
from broker.worktime.arithmetic import WorkWeek
from sla.reporting import DEFAULT_DAYS, report_filters, sla_reports
from tasks import lifecycle
from tasks.models import Task, WorkType
from tasks.queries import visible_tasks

PERIODS = (7, 28, 90)
# The queue chart's columns: the open states, in lifecycle order.
QUEUE_COLUMNS = tuple(s for s in lifecycle.STATES if s in lifecycle.OPEN)
COVERAGE_DAYS = 7


def period_days(raw: str | None) -> tuple[int, str | None]:
    """The period asked for in the query string, or the default and a notice saying why."""
    if raw is None or raw == "":
        return DEFAULT_DAYS, None
    if raw.strip().isdigit() and int(raw.strip()) in PERIODS:
        return int(raw.strip()), None
    shown = raw if len(raw) <= 20 else raw[:20] + "…"
    return DEFAULT_DAYS, (f"“{shown}” is not a period on offer (7, 28 or 90 days); "
                          f"showing the last {DEFAULT_DAYS} days.")


def dashboard(actor: User, days: int, now: datetime) -> dict:
    """Everything the page draws, for `actor` over the `days` days up to `now`."""
    since = now - timedelta(days=days)
    reports = sla_reports(since, now, ("week", "work_type"), now, **report_filters(actor))
    by_week, by_type = reports["week"], reports["work_type"]
    names = work_type_names()
    for row in by_type["rows"]:
        row["label"] = names.get(row["group"], row["group"])
    for row in by_week["rows"]:
        row["label"] = week_label(row["group"])
    return {"days": days, "since": since, "scope": scope(actor), "overall": by_type["total"],
            "weeks": by_week["rows"], "work_types": by_type["rows"],
            "queue": queue_now(actor, names),
            "coverage": coverage(now, actor.timezone, report_scope(actor).partner)}


def scope(actor: User) -> str:
    """What the numbers cover, in words (permissions.report_scope)."""
    covered = report_scope(actor)
    if covered.everything:
        return "all briefs"
    if covered.partner is not None:
        return f"the work of {covered.partner}'s specialists"
    return "your briefs" if covered.owner_id is not None else "your tasks"


def week_label(iso_week: str) -> str:
    """'2026-W48' as the Monday it starts on: '23 Nov'."""
    year, week = iso_week.split("-W")
    return date.fromisocalendar(int(year), int(week), 1).strftime("%-d %b")


def work_type_names() -> dict[str, str]:
    return dict(db.session.execute(select(WorkType.slug, WorkType.name)).all())


def queue_now(actor: User, names: dict[str, str]) -> dict:
    """Open tasks the actor may see, counted by work type and state, in one grouped query."""
    # The dashboard covers one's own briefs (report_scope) though managers may read every brief.
    mine = not may(actor, OVERSEE)
    visible = visible_tasks(actor, mine=mine).with_only_columns(Task.id)
    rows = db.session.execute(
        select(Task.work_type, Task.state, func.count())
        .where(Task.id.in_(visible), Task.state.in_(QUEUE_COLUMNS))
        .group_by(Task.work_type, Task.state)).all()
    by_type: dict[str, dict[str, int]] = {}
    for work_type, state, count in rows:
        by_type.setdefault(work_type, {})[state] = count
    types = [{"work_type": slug, "label": names.get(slug, slug), "counts": counts,
              "total": sum(counts.values())} for slug, counts in by_type.items()]
    types.sort(key=lambda t: (-t["total"], t["label"]))
    totals = {s: sum(t["counts"].get(s, 0) for t in types) for s in QUEUE_COLUMNS}
    return {"states": QUEUE_COLUMNS, "rows": types, "totals": totals,
            "max": max((t["total"] for t in types), default=0),
            "covers": _queue_covers(task_scope(actor, mine))}


def _queue_covers(scope) -> str:
    """Which open tasks the queue chart counts, in words."""
    if scope.everything:
        return "of all briefs"
    if scope.partner is not None:
        return f"assigned to {scope.partner}'s specialists"
    if scope.owner_id is not None:
        return "of your briefs"
    return "assigned to you, and the open queue"


def specialist_weeks(partner: str | None = None) -> list[tuple[str, WorkWeek]]:
    """(timezone, working week less time off) of every active specialist (of one partner, when
    given), in two queries."""
    query = (select(SpecialistProfile).join(SpecialistProfile.user)
             .where(SpecialistProfile.active.is_(True), User.active.is_(True)))
    if partner is not None:
        query = query.where(SpecialistProfile.partner == partner)
    profiles = db.session.scalars(
        query
        .options(contains_eager(SpecialistProfile.user), selectinload(SpecialistProfile.time_off)))
    return [(p.user.timezone, p.work_week()) for p in profiles]


def coverage(now: datetime, viewer_tz: str, partner: str | None = None) -> dict:
    """Specialists (of one partner, when given) working per UTC hour over the week ahead from
    today's UTC midnight, by zone."""
    start = datetime.combine(now.astimezone(timezone.utc).date(), time(), tzinfo=timezone.utc)
    weeks = specialist_weeks(partner)
    hours = hourly_coverage(weeks, start, COVERAGE_DAYS)
    zones = sorted({tz for tz, _ in weeks}, key=lambda tz: (_offset(tz, start), tz))
    rows = [{"hour": h, "local": pendulum.instance(start + timedelta(hours=h)).in_timezone(viewer_tz)
             .format("HH:mm"), "by_zone": [(tz, hours[h].get(tz, 0.0)) for tz in zones],
             "total": round(sum(hours[h].values()), 2)} for h in range(24)]
    return {"start": start, "days": COVERAGE_DAYS, "zones": zones, "hours": rows,
            "specialists": len(weeks), "max": max((r["total"] for r in rows), default=0),
            "gaps": hour_ranges([r["hour"] for r in rows if r["total"] == 0]), "partner": partner,
            "viewer_tz": viewer_tz}


def hour_ranges(hours: list[int]) -> list[str]:
    """UTC hours as spans of the clock, joined across midnight: [0, 1, 22, 23] → ['22:00–02:00']."""
    if len(hours) == 24:
        return ["00:00–24:00"]
    runs: list[list[int]] = []
    for hour in sorted(hours):
        if runs and runs[-1][1] == hour:
            runs[-1][1] = hour + 1
        else:
            runs.append([hour, hour + 1])
    if len(runs) > 1 and runs[0][0] == 0 and runs[-1][1] == 24:
        runs[0][0] = runs.pop()[0]
    return [f"{start:02d}:00–{end % 24:02d}:00" for start, end in runs]


def _offset(tz: str, at: datetime) -> float:
    return pendulum.instance(at).in_timezone(tz).utcoffset().total_seconds()

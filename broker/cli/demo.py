"""broker demo: fill an empty database with a demo organisation, only through the real services.

The people, briefs and task stories live in `demo_data`. Each story is spread over the days since
its brief was posted, ending shortly before "now"; every step of every task then runs in time order,
so capacity, eligibility and the lifecycle are checked exactly as they are for real users.
"""
import random
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

import click
import pendulum
from flask.cli import with_appcontext
from sqlalchemy import func, select

from broker.cli import demo_data as data
from broker.cli.demo_costs import add_costs
from broker.cli.demo_history import post_history
from broker.cli.demo_loop import add_work_loop_demo
from broker.cli.demo_proposals import propose_skills
from broker.cli.options import at_option
from broker.errors import DomainError, InvalidInput
from broker.extensions import db
from broker.people import services as people
from broker.people.models import User
from broker.people.roles import ADMIN, MANAGER, SPECIALIST
from broker.routing.service import explain_offer
from tasks import services as tasks
from tasks.lifecycle import STATES
from tasks.models import Task

SEED = 42  # the same demo every time, for the same "now"
OFFER_WINDOW = timedelta(hours=4)
LOGIN_URL = "http://127.0.0.1:5000/login"  # where `make run` serves
GAPS = {  # hours an action usually follows the step before it
    "offer": (0.05, 0.5), "accept": (0.3, 3), "decline": (0.3, 2), "claim": (0.5, 6),
    "block": (2, 10), "unblock": (4, 20), "submit": (4, 24), "request_changes": (2, 18),
    "resume": (1, 6), "approve": (2, 20), "cancel": (2, 30), "escalate": (1, 12),
}
OWNER_TZ = {s.handle: s.timezone for s in data.STAFF}


@dataclass
class Step:
    """One planned action on one task: `task` is (brief index, task index) until it exists."""

    at: datetime
    task: tuple
    action: str
    who: str | None
    note: str | None


@dataclass
class Deed:
    """A step ready to run: ids and users resolved."""

    task_id: int
    specialist: User | None
    owner: User
    at: datetime
    note: str | None


@dataclass
class PlannedBrief:
    """A brief to post at `posted_at`, with the steps of all its tasks."""

    index: int
    owner: str
    payload: dict  # for create_brief
    posted_at: datetime
    steps: list


@click.command("demo")
@click.option("--if-empty", is_flag=True, help="Do nothing, successfully, when users exist.")
@at_option("Build the demo as if now were this instant, e.g. 2026-03-02T09:00:00+00:00.")
@with_appcontext
def demo(if_empty, now):
    """Fill an empty database with a demo organisation and print the logins."""
    if db.session.scalar(select(func.count(User.id))):
        if if_empty:
            click.echo("The database already has users; the demo was skipped (--if-empty).")
            return
        raise click.ClickException("The database is not empty: the demo only fills an empty one "
                                   "(use --if-empty to skip quietly).")
    try:
        users, tokens = _create_people(now)
        post_history(users, now)
        _run(_plan(now, random.Random(SEED)), users)
        propose_skills(users)
        add_work_loop_demo(users, now)
    except DomainError as exc:
        raise click.ClickException(f"The demo stopped: {exc.message} {exc.errors or ''}".strip()) from None
    _print_summary(tokens)
    add_costs(now, data.DOMAIN, data.PASSWORD)  # time, costs, budgets and a partner lead (broker/costs)


# People ---------------------------------------------------------------------------------------

def _email(handle: str) -> str:
    return f"{handle}@{data.DOMAIN}"


def _create_people(now: datetime) -> tuple[dict, dict]:
    """Staff, specialists and time off; returns users and API tokens by handle."""
    users, tokens = {}, {}
    joined = now - timedelta(days=90)  # the organisation exists before its oldest brief
    for s in data.STAFF:
        users[s.handle], tokens[s.handle] = people.create_user(
            _email(s.handle), s.name, s.role, s.timezone, data.PASSWORD, now=joined)
    for s in data.SPECIALISTS:
        users[s.handle], tokens[s.handle] = people.create_specialist(_profile(s), now=joined)
    admin = next(users[s.handle] for s in data.STAFF if s.role == ADMIN)
    for entry in data.TIME_OFF:
        _book_time_off(admin, users[entry.handle], entry, now)
    return users, tokens


def _profile(s: data.Specialist) -> dict:
    """The create_specialist payload for one row of the specialist table."""
    return {"email": _email(s.handle), "name": s.name, "timezone": s.timezone, "password": data.PASSWORD,
            "skills": [{"skill": k, "level": v} for k, v in s.skills.items()],
            "working_hours": data.HOURS[s.hours], "capacity": s.capacity, "active": s.active,
            "partner": s.partner, "auto_accept": False, "country": data.COUNTRIES.get(s.timezone)}


def _book_time_off(admin: User, user: User, entry: data.TimeOff, now: datetime):
    """Whole local days off, from local midnight in the specialist's zone."""
    start = _local(now, user.timezone).start_of("day").add(days=entry.starts_in_days)
    people.add_time_off(admin, user.id, _utc(start), _utc(start.add(days=entry.days)), entry.reason,
                        now=now)


# Time -----------------------------------------------------------------------------------------

def _local(moment: datetime, tz: str):
    return pendulum.instance(moment).in_timezone(tz)


def _utc(moment) -> datetime:
    """A plain stdlib UTC datetime from a pendulum one."""
    return datetime.fromtimestamp(moment.timestamp(), timezone.utc)


def _posted_at(brief: data.Brief, now: datetime, rng: random.Random) -> datetime:
    """`days_ago` days back, during the owner's local working day."""
    day = _local(now, OWNER_TZ[brief.owner]).subtract(days=brief.days_ago)
    return _utc(day.set(hour=rng.randint(9, 16), minute=rng.choice((0, 15, 30, 45)), second=0,
                        microsecond=0))


def _due_at(days: int | None, owner: str, now: datetime) -> datetime | None:
    """End of the owner's working day, `days` days from now."""
    if days is None:
        return None
    return _utc(_local(now, OWNER_TZ[owner]).add(days=days).set(hour=17, minute=0, second=0, microsecond=0))


def _ending(actions: list[str]) -> str:
    last = actions[-1]
    return "offered" if last == "offer" else "closed" if last in ("approve", "cancel") else "open"


def _first_wait(ending: str, slack: float, rng: random.Random) -> float:
    """Hours a task sat queued before its story began: finished work was picked up within
    half a day, live offers were made minutes ago, other open work started any time since."""
    if ending == "offered":
        return slack - rng.uniform(0.1, 0.6)
    return rng.uniform(0.1, min(1.5, slack))  # a healthy team picks work up within its ack target


def _step_times(actions: list[str], posted: datetime, now: datetime, rng: random.Random) -> list:
    """Instants for a task's actions: natural gaps (squeezed when the brief is young) after a wait."""
    room = (now - posted).total_seconds() / 3600 - 0.25
    gaps = [rng.uniform(*GAPS[a]) for a in actions[1:]]
    scale = min(1.0, room * 0.8 / sum(gaps)) if gaps else 1.0
    gaps = [gap * scale for gap in gaps]
    first = _first_wait(_ending(actions), room - sum(gaps), rng)
    if _ending(actions) == "open":
        gaps = _moving(actions, gaps, room - first - rng.uniform(0.5, 3))
    at = posted + timedelta(hours=first)
    times = [at]
    for gap in gaps:
        times.append(times[-1] + timedelta(hours=gap))
    return times


def _moving(actions: list[str], gaps: list[float], room: float) -> list[float]:
    """Open work keeps moving: the steps after it was picked up stretch to end in the last hours,
    instead of stalling for days after a quick start (acknowledgement keeps its quick gap)."""
    picked = next((i for i, a in enumerate(actions) if a in ("claim", "accept")), 0)
    later = sum(gaps[picked:])
    spare = room - sum(gaps[:picked])
    if later <= 0 or spare <= later:
        return gaps
    return gaps[:picked] + [gap * spare / later for gap in gaps[picked:]]


# Plan and run ---------------------------------------------------------------------------------

def _plan(now: datetime, rng: random.Random) -> list[PlannedBrief]:
    """Every brief with its posting time and the timed steps of each task's story."""
    plan = []
    for b, brief in enumerate(data.BRIEFS):
        posted = _posted_at(brief, now, rng)
        steps = []
        for t, task in enumerate(brief.tasks):
            actions = task.story.split()
            times = _step_times(actions, posted, now, rng) if actions else []
            steps += [Step(at, (b, t), a, task.who, _note(a, rng)) for at, a in zip(times, actions)]
        plan.append(PlannedBrief(b, brief.owner, _brief_payload(brief, now), posted, steps))
    return plan


def _note(action: str, rng: random.Random) -> str | None:
    return rng.choice(data.NOTES[action]) if action in data.NOTES else None


def _brief_payload(brief: data.Brief, now: datetime) -> dict:
    """The create_brief payload for one row of the brief table."""
    return {"title": brief.title, "description": brief.description, "objective": brief.objective,
            "success_metric": brief.success_metric, "campaign": brief.campaign,
            "tasks": [{"title": t.title, "work_type": t.work_type, "priority": t.priority,
                       "estimate_hours": float(t.estimate_hours), "due_at": _due_at(t.due, brief.owner, now),
                       "needs_manager_overlap": t.overlap,
                       "skills": [{"skill": k, "min_level": v} for k, v in t.skills.items()]
                       if t.skills else None}
                      for t in brief.tasks]}


def _run(plan: list[PlannedBrief], users: dict):
    """Post the briefs and take every step, all in time order."""
    timeline = [(p.posted_at, p) for p in plan] + [(s.at, s) for p in plan for s in p.steps]
    timeline.sort(key=lambda item: (item[0], isinstance(item[1], Step)))
    task_ids = {}
    for at, item in timeline:
        if isinstance(item, PlannedBrief):
            brief = tasks.create_brief(users[item.owner], item.payload, at)
            task_ids.update({(item.index, t): task.id for t, task in enumerate(brief.tasks)})
        else:
            _perform(item, task_ids[item.task], users)


def _perform(step: Step, task_id: int, users: dict):
    """Run one step as the person who takes it."""
    owner = db.session.get(Task, task_id).brief.owner
    PERFORM[step.action](Deed(task_id, users.get(step.who), owner, step.at, step.note))


def _offer(d: Deed):
    """Offer with the explanation routing would give (offer() refuses ineligible people); routing
    would not choose someone off work that day (a public holiday), who is then offered by hand."""
    try:
        note = explain_offer(d.task_id, d.specialist.id, d.at)
    except InvalidInput:
        winner = {"specialist_id": d.specialist.id, "name": d.specialist.name,
                  "timezone": d.specialist.timezone, "finish": "finish not projected"}
        note = {"outcome": "offered", "summary": f"Offered to {d.specialist.name} by hand.",
                "winner": winner, "candidates": [winner], "considered": 1}
    return tasks.offer(d.task_id, d.specialist, d.at + OFFER_WINDOW, d.at, note)


def _submit(d: Deed):
    """Hand in a (made-up) deliverable link with the step's note."""
    url = f"https://drive.{data.DOMAIN}/deliverables/task-{d.task_id}"
    details = {"deliverable_url": url, "note": d.note}
    return tasks.assignee_action(d.task_id, "submit", d.specialist, d.at, details)


def _by_assignee(action: str, field: str):
    """A step the assignee takes, with the step's note under `field`."""
    return lambda d: tasks.assignee_action(d.task_id, action, d.specialist, d.at, {field: d.note})


def _by_owner(action: str, field: str):
    """A decision of the brief's owner, with the step's note under `field`."""
    return lambda d: tasks.owner_action(d.task_id, action, d.owner, d.at, {field: d.note})


PERFORM = {
    "offer": _offer,
    "claim": lambda d: tasks.claim(d.task_id, d.specialist, d.at),
    "accept": lambda d: tasks.accept(d.task_id, d.specialist, d.at),
    "decline": lambda d: tasks.decline(d.task_id, d.specialist, d.at, d.note),
    "block": _by_assignee("block", "reason"),
    "unblock": _by_assignee("unblock", "reason"),
    "resume": _by_assignee("resume", "note"),
    "submit": _submit,
    "request_changes": _by_owner("request_changes", "note"),
    "approve": _by_owner("approve", "note"),
    "cancel": _by_owner("cancel", "reason"),
    "escalate": lambda d: tasks.update_task(d.task_id, d.owner, {"priority": "urgent"}, d.at),
}


# Output ---------------------------------------------------------------------------------------

def _print_summary(tokens: dict):
    """What was made, then the logins to try with their API tokens."""
    states = dict(db.session.execute(select(Task.state, func.count()).group_by(Task.state)).all())
    staff = [s.role for s in data.STAFF]
    zones = len({s.timezone for s in data.SPECIALISTS})
    click.echo(f"Demo organisation ready: {staff.count(ADMIN)} admin, {staff.count(MANAGER)} managers, "
               f"{len(data.SPECIALISTS)} specialists in {zones} timezones, {len(data.BRIEFS)} briefs, "
               f"{sum(states.values())} tasks.")
    click.echo("Tasks by state: " + ", ".join(f"{s} {states.get(s, 0)}" for s in STATES))
    click.echo(f"\nLog in at {LOGIN_URL} with password {data.PASSWORD} (every demo user has it).\n")
    rows = [(s.handle, s.role, s.timezone) for s in data.STAFF]
    rows += [(s.handle, SPECIALIST, s.timezone) for s in data.SPECIALISTS if s.handle in data.SHOWCASE]
    click.echo(f"{'email':<34} {'role':<11} {'timezone':<20} API token")
    for handle, role, tz in rows:
        click.echo(f"{_email(handle):<34} {role:<11} {tz:<20} {tokens[handle]}")
    click.echo(f"\nOther specialists: firstname.lastname@{data.DOMAIN}; API tokens are shown only once.")

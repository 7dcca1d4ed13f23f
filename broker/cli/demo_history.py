"""Four weeks of finished work behind the demo's live briefs, so the dashboard reads like a healthy
team: most targets met, a handful breached with their reasons, cycle times in hours for short work
and in days for long work. Everything is relative to the demo's "now" and runs through the real
services in time order (broker.cli.demo calls `post_history` with one line)."""
import random
from datetime import datetime, timedelta

import pendulum

from broker.cli import demo_data as data
from tasks import services as tasks

FIRST_DAY, LAST_DAY = 28, 12  # briefs posted this many days ago; all closed before the live ones
LONG_UNTIL = 18  # long work (days, with a due date) only in briefs at least this old
WORK = {  # work type -> (default skill, titles)
    "video_editing": ("premiere_pro", ["Cut-down for paid social", "Customer story edit",
                                       "Event recap video", "Product teaser edit"]),
    "paid_media": ("google_ads", ["Search campaign budget shift", "Bid strategy review",
                                  "New ad group build-out", "Audience exclusions cleanup"]),
    "content_scheduling": ("hootsuite", ["Schedule weekly social calendar", "Queue newsletter posts"]),
    "social_ops": ("community_management", ["Reply to weekend comments", "Community Q&A thread"]),
    "design": ("figma", ["Banner set for the newsletter", "Slide template refresh",
                         "Social card set"]),
    "copywriting": ("copywriting", ["Newsletter copy", "Landing page FAQ", "Ad copy variants",
                                    "Case study draft"]),
    "reporting": ("looker_studio", ["Weekly channel report", "Campaign post-mortem report"]),
}
OBJECTIVES = ("revenue", "pipeline", "retention", "awareness")
PRIORITIES = (("normal", 0.6), ("high", 0.25), ("low", 0.1), ("urgent", 0.05))
LATE_REASONS = ["Waiting on brand-approved assets.", "Legal has not cleared the main claim.",
                "Waiting for final figures from the product team."]
LATE_EVERY = 2  # one long task in this many runs past its due date (blocked, with a reason)


def _pick_priority(rng: random.Random) -> str:
    roll, total = rng.random(), 0.0
    for name, share in PRIORITIES:
        total += share
        if roll < total:
            return name
    return "normal"


class _Roster:
    """Who can do each work type, each taking one history task at a time."""

    def __init__(self, users: dict):
        self.users = users
        self.free_at: dict = {}
        self.long_tasks = 0  # counted, so every LATE_EVERY-th one runs late

    def pick(self, skill: str, at: datetime, rng: random.Random) -> str | None:
        able = [s.handle for s in data.SPECIALISTS if s.active and s.skills.get(skill, 0) >= 3
                and self.free_at.get(s.handle, at) <= at]
        return rng.choice(able) if able else None


def post_history(users: dict, now: datetime, seed: int = 7) -> int:
    """Post and finish the history's briefs; returns how many tasks it made."""
    rng, roster = random.Random(seed), _Roster(users)
    managers = [s.handle for s in data.STAFF if s.role == "manager"]
    made, steps = 0, []
    for days_ago in range(FIRST_DAY, LAST_DAY - 1, -1):
        owner = managers[days_ago % len(managers)]
        posted = _posted(now, days_ago, _owner_tz(owner), rng)
        if posted.weekday() >= 5:
            continue  # managers post on weekdays
        made += _one_brief(users[owner], owner, posted, days_ago, roster, rng, steps)
    for _at, action in sorted(steps, key=lambda s: s[0]):
        action()
    return made


def _owner_tz(owner: str) -> str:
    return next(s.timezone for s in data.STAFF if s.handle == owner)


def _posted(now: datetime, days_ago: int, tz: str, rng: random.Random) -> datetime:
    day = pendulum.instance(now).in_timezone(tz).subtract(days=days_ago)
    local = day.set(hour=rng.randint(9, 15), minute=rng.choice((0, 15, 30, 45)), second=0, microsecond=0)
    return datetime.fromtimestamp(local.timestamp(), pendulum.UTC)


def _one_brief(owner_user, owner: str, posted: datetime, days_ago: int, roster: _Roster,
               rng: random.Random, steps: list) -> int:
    """Post one brief of 3-5 tasks and plan each task's story."""
    kinds = rng.sample(sorted(WORK), rng.randint(3, 5))
    specs = [_task_spec(kind, owner, posted, rng, days_ago >= LONG_UNTIL) for kind in kinds]
    objective = OBJECTIVES[days_ago % len(OBJECTIVES)]
    brief = tasks.create_brief(owner_user, {
        "title": f"Week {((28 - days_ago) // 7) + 1}: {objective} push", "objective": objective,
        "success_metric": "Shipped on time for the weekly plan", "campaign": "Always-on",
        "description": "Routine work of the always-on programme.",
        "tasks": [spec for spec, _ in specs]}, posted)
    for task, (spec, long_work) in zip(brief.tasks, specs):
        who = roster.pick(WORK[spec["work_type"]][0], posted, rng)
        if who is None:
            continue
        late = long_work and roster.long_tasks % LATE_EVERY == 1
        roster.long_tasks += long_work
        end = _story(task.id, roster.users[who], owner_user, posted, spec, (long_work, late), rng, steps)
        roster.free_at[who] = end
    return len(brief.tasks)


def _task_spec(kind: str, owner: str, posted: datetime, rng: random.Random,
               may_be_long: bool) -> tuple[dict, bool]:
    """A task: short work (hours, the policy's target) or long work (days, with a due date)."""
    priority = _pick_priority(rng)
    long_work = may_be_long and priority != "urgent" and rng.random() < 0.45
    estimate = rng.choice((6, 8, 10, 12)) if long_work else rng.choice((1, 1.5, 2, 3))
    due = None
    if long_work:
        local = pendulum.instance(posted).in_timezone(_owner_tz(owner)).add(days=rng.randint(3, 5))
        due = datetime.fromtimestamp(local.set(hour=17, minute=0, second=0).timestamp(), pendulum.UTC)
    spec = {"title": rng.choice(WORK[kind][1]), "work_type": kind, "priority": priority,
            "estimate_hours": float(estimate), "due_at": due}
    return spec, long_work


def _story(task_id, specialist, owner, posted, spec, kind, rng, steps) -> datetime:
    """Plan claim, (block, unblock), submit, approve; returns when it ends. `kind` is (long work,
    late): a late task waited on something (its block's reason) and missed its due date."""
    long_work, late = kind
    claim = posted + timedelta(hours=rng.uniform(0.15, 0.8))
    plan = [(claim, lambda: tasks.claim(task_id, specialist, claim))]
    if long_work:
        span = (spec["due_at"] - claim).total_seconds() / 3600
        submit = (spec["due_at"] + timedelta(hours=rng.uniform(3, 20)) if late
                  else claim + timedelta(hours=span * rng.uniform(0.45, 0.9)))
        if late:
            block, unblock = claim + timedelta(hours=span * 0.3), claim + timedelta(hours=span * 0.9)
            reason = rng.choice(LATE_REASONS)
            plan += [(block, _assignee(task_id, "block", specialist, block, {"reason": reason})),
                     (unblock, _assignee(task_id, "unblock", specialist, unblock, {"reason": "Got it."}))]
    else:
        submit = claim + timedelta(hours=spec["estimate_hours"] * rng.uniform(1.0, 1.25))
    plan.append((submit, _assignee(task_id, "submit", specialist, submit, {
        "deliverable_url": f"https://drive.{data.DOMAIN}/deliverables/task-{task_id}"})))
    approve = submit + timedelta(hours=rng.uniform(0.5, 6 if not long_work else 18))
    # A rating from the task's id, not from `rng`: the history's draws stay as they were.
    rating = 3 if late else (5 if task_id % 3 else 4)
    plan.append((approve, lambda: tasks.owner_action(task_id, "approve", owner, approve,
                                                     {"note": "Approved, thanks!", "rating": rating})))
    steps.extend(plan)
    return approve


def _assignee(task_id, action, specialist, at, details):
    return lambda: tasks.assignee_action(task_id, action, specialist, at, details)

"""Seeds a load-test database through the real services: managers, specialists and queued work.

Every specialist has every catalogue skill, works around the clock and has room for a few tasks,
so the load's claims and offers are refused only for the reasons real ones are (races, capacity).
"""
import random
from datetime import timedelta

from broker.extensions import db
from broker.people import services as people
from broker.people.models import User
from broker.timeutil import utcnow
from tasks import services as tasks
from tasks.catalogue import WORK_TYPES
from tasks.models import PRIORITIES

PASSWORD = "load-test-password"
ROUND_THE_CLOCK = {d: [["00:00", "24:00"]] for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")}
SKILLS = [{"skill": s["skill"], "level": 4} for w in WORK_TYPES for s in w["default_skills"]]
ZONES = ["Asia/Manila", "Asia/Kolkata", "Europe/Warsaw", "America/Bogota", "Africa/Nairobi"]
PRIORITY_WEIGHTS = {"urgent": 1, "high": 3, "normal": 5, "low": 1}


def brief_body(rng: random.Random, n_tasks: int, now) -> dict:
    """A brief as a manager posts it (JSON-ready), with `n_tasks` deliverables due in days."""
    return {"title": f"Campaign push {rng.randrange(10**6)}", "objective": rng.choice(
        ["revenue", "pipeline", "retention", "awareness"]), "success_metric": "300 registrations",
        "description": "Assets for the regional launch.", "tasks": [
            {"title": f"Deliverable {i + 1}", "work_type": rng.choice(WORK_TYPES)["slug"],
             "priority": rng.choices(PRIORITIES, [PRIORITY_WEIGHTS[p] for p in PRIORITIES])[0],
             "estimate_hours": rng.choice([1, 2, 4, 6]),
             "due_at": (now + timedelta(days=rng.randint(2, 10))).isoformat()}
            for i in range(n_tasks)]}


def _user(role: str, n: int) -> tuple[User, str]:
    email = f"{role}{n}@load.example.com"
    if role == "manager":
        return people.create_user(email, f"Manager {n}", "manager", "America/New_York", PASSWORD)
    return people.create_specialist({
        "email": email, "name": f"Specialist {n}", "timezone": ZONES[n % len(ZONES)],
        "skills": SKILLS, "working_hours": ROUND_THE_CLOCK, "capacity": 6, "active": True,
        "auto_accept": False, "password": PASSWORD})


def _queued(owner: User, rng: random.Random, queued: int, per_brief: int):
    """Post briefs until `queued` tasks wait in the queue."""
    while queued > 0:
        now = utcnow()
        body = brief_body(rng, min(per_brief, queued), now)
        for task in body["tasks"]:
            task["due_at"] = now + timedelta(days=rng.randint(2, 10))
        tasks.create_brief(owner, body, now)
        queued -= len(body["tasks"])


def seed(managers: int, specialists: int, queued: int, seed_value: int = 7,
         per_brief: int = 7) -> dict:
    """Create the people and queued tasks (inside an app context, on an empty database); return
    their logins: {"managers": [{id, email, token}], "specialists": [...], "password"}."""
    rng = random.Random(seed_value)
    made: dict[str, list] = {"manager": [], "specialist": []}
    for role, count in (("manager", managers), ("specialist", specialists)):
        for n in range(count):
            user, token = _user(role, n)
            made[role].append({"id": user.id, "email": user.email, "token": token})
    owners = [db.session.get(User, m["id"]) for m in made["manager"]]
    for i, owner in enumerate(owners):
        share = queued // len(owners) + (1 if i < queued % len(owners) else 0)
        _queued(owner, rng, share, per_brief)
    db.session.remove()
    return {"managers": made["manager"], "specialists": made["specialist"], "password": PASSWORD}

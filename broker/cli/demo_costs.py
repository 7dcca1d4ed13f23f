"""The demo's time and money: hourly costs, partners with their caps and a partner lead, budgets
on briefs, and time logged on the work done, all through the real services (broker/costs)."""
import random
from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import click
from sqlalchemy import select

from broker.costs import services as costs
from broker.extensions import db
from broker.people import services as people
from broker.people.models import SpecialistProfile, User
from broker.people.partners import save_partner
from broker.people.roles import ADMIN, PARTNER_LEAD
from tasks.lifecycle import OFFERED, QUEUED
from tasks.models import Brief, Task

SEED = 14
LEAD = ("nicole.tan", "Nicole Tan", "Asia/Manila", "Kalye Creative")  # leads the first partner
RATES = {  # hourly cost range by the specialist's region (the zone's first part, or the zone)
    "Asia/Manila": (16, 26), "Asia/Ho_Chi_Minh": (15, 24), "Asia/Kolkata": (14, 24),
    "Asia/Karachi": (12, 20), "Europe": (32, 45), "Africa": (14, 22), "America": (24, 34),
}
CAP = 5  # the capacity partner leads may give their specialists


def add_costs(now: datetime, domain: str, password: str):
    """Run after the demo's stories: prices the team, sets budgets, logs time, adds the lead."""
    rng = random.Random(SEED)
    admin = db.session.scalar(select(User).where(User.role == ADMIN).order_by(User.id))
    partners = _price_specialists(admin, rng)
    for name in sorted(partners):
        save_partner(admin, name, CAP)
    lead, token = people.create_user(f"{LEAD[0]}@{domain}", LEAD[1], PARTNER_LEAD, LEAD[2], password,
                                     now=now - timedelta(days=60), partner=LEAD[3])
    _set_budgets(now, rng)
    entries = _log_time(now, rng)
    click.echo(f"\nCosts: hourly costs for every specialist, {len(partners)} partners with a capacity "
               f"cap of {CAP}, budgets on every brief and {entries} time entries (see /costs).")
    click.echo(f"{lead.email:<34} {PARTNER_LEAD:<11} {lead.timezone:<20} {token}  (leads {LEAD[3]})")


def _rate(tz: str, rng: random.Random) -> Decimal:
    low, high = RATES.get(tz) or RATES.get(tz.split("/")[0], (18, 30))
    return Decimal(rng.randint(low * 4, high * 4)) / 4  # quarter-dollar steps


def _price_specialists(admin: User, rng: random.Random) -> set:
    """Give everyone an hourly cost; returns the partner names in use."""
    rows = db.session.execute(select(User.id, User.timezone, SpecialistProfile.partner)
                              .join(SpecialistProfile).order_by(User.id)).all()
    for user_id, tz, _ in rows:
        people.update_specialist(admin, user_id, {"hourly_cost": _rate(tz, rng)})
    return {partner for _, _, partner in rows if partner}


def _set_budgets(now: datetime, rng: random.Random):
    """A budget near what each brief should cost: some end under, a few pass 80 % or 100 %."""
    for brief in db.session.scalars(select(Brief).order_by(Brief.id)).all():
        hours = sum(t.estimate_hours for t in brief.tasks)
        budget = (Decimal(str(hours)) * 24 * Decimal(str(rng.choice((0.8, 1.1, 1.3, 1.5, 1.9)))))
        costs.set_budget(brief.owner, brief.id, budget.quantize(Decimal("10")) or Decimal("50"), now)


def _log_time(now: datetime, rng: random.Random) -> int:
    """Time on every task someone took: about its estimate, in a few entries on the days it ran."""
    count = 0
    taken = db.session.scalars(select(Task).where(Task.assignee_id.is_not(None),
                                                  Task.state.not_in((QUEUED, OFFERED)))
                               .order_by(Task.id)).all()
    for task in taken:
        start = task.accepted_at or task.created_at
        end = min(task.closed_at or now, now)
        total = int(task.estimate_hours * 60 * rng.uniform(0.6, 1.35))
        if task.closed_at is None:
            total = int(total * rng.uniform(0.3, 0.8))  # still under way
        parts = rng.randint(1, 3)
        for i in range(parts):
            minutes = max(5, min(1440, total // parts))
            day = start + (end - start) * (i + 1) / (parts + 1)
            local_day = day.astimezone(ZoneInfo(task.assignee.timezone)).date()
            costs.log_time(task.assignee, task.id, minutes, now, local_day, None)
            count += 1
    return count

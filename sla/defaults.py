"""Seeded calendars and policies (the migration carries its own copy; a test keeps them equal)."""
from broker.worktime.weekly_hours import WEEKDAYS
from tasks.catalogue import WORK_TYPES
from tasks.vocabulary import HIGH, LOW, NORMAL, URGENT

ALWAYS = "24x7"
BUSINESS = "business"

CALENDARS = [
    {"name": ALWAYS, "timezone": "UTC", "hours": {d: [["00:00", "24:00"]] for d in WEEKDAYS},
     "holidays": []},
    {"name": BUSINESS, "timezone": "America/New_York",
     "hours": {d: [["09:00", "17:00"]] for d in WEEKDAYS[:5]},
     "holidays": ["2026-12-25", "2027-01-01"]},
]

# priority: (ack_hours, turnaround_hours, calendar), the same for every work type of the catalogue
SEEDED_TARGETS = {URGENT: (1, 4, ALWAYS), HIGH: (2, 8, ALWAYS), NORMAL: (4, 8, BUSINESS),
                  LOW: (8, 24, BUSINESS)}
WARN_AT = 0.75

POLICIES = [
    {"work_type": w["slug"], "priority": p, "ack_hours": float(a), "turnaround_hours": float(t),
     "calendar": c, "warn_at": WARN_AT}
    for w in WORK_TYPES for p, (a, t, c) in SEEDED_TARGETS.items()
]

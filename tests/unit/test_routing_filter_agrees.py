"""The pull model (claim, /tasks/available) and routing apply the same filter: for any specialist
and task, tasks.eligibility.refusal says "may take it" exactly when the routing round's arrays do
(routing alone also skips people who passed the task on, and people with no working hours)."""
from datetime import datetime, timedelta, timezone

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from broker.routing.engine import Round
from broker.routing.round_data import SpecialistInput, TaskInput
from broker.worktime.arithmetic import WorkWeek
from tasks.eligibility import Candidate, refusal

NOW = datetime(2026, 11, 24, 14, tzinfo=timezone.utc)
SKILLS = ["google_ads", "premiere_pro", "figma"]
WEEK = {d: [["00:00", "24:00"]] for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")}

people = st.fixed_dictionaries({
    "skills": st.dictionaries(st.sampled_from(SKILLS), st.integers(1, 5)),
    "active": st.booleans(),
    "capacity": st.integers(0, 4),
    "load": st.integers(0, 5),
    "off_now": st.booleans(),
})
needs = st.dictionaries(st.sampled_from(SKILLS), st.integers(1, 5), max_size=2)


@settings(max_examples=200, deadline=None)
@given(people, needs)
def test_refusal_and_the_routing_filter_agree(person, required):
    off = [(NOW - timedelta(hours=1), NOW + timedelta(hours=1))] if person["off_now"] else []
    who = Candidate(user_id=1, active=person["active"], skills=person["skills"],
                    capacity=person["capacity"], load=person["load"], time_off=off)
    pull_ok = refusal([{"skill": k, "min_level": v} for k, v in required.items()], who, NOW) is None
    specialist = SpecialistInput(1, "S", "UTC", person["skills"], person["capacity"], person["load"],
                                 0.0, WorkWeek(WEEK, "UTC", closed=tuple(off)),
                                 active=person["active"], off_now=person["off_now"])
    task = TaskInput(1, 1, "normal", 2.0, tuple(required.items()), NOW + timedelta(days=1), NOW)
    rnd = Round([specialist], [task], NOW)
    routing_ok = bool(rnd.eligible_mask(0, np.zeros(1, dtype=np.int64))[0])
    assert routing_ok == pull_ok

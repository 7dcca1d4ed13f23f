"""Whether a specialist may take a task: activity, skills, capacity and time off, as plain data."""
from dataclasses import replace
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from tasks.eligibility import Candidate, missing_skills, refusal

NOW = datetime(2026, 11, 24, 9, 0, tzinfo=timezone.utc)
NEEDS = [{"skill": "premiere_pro", "min_level": 3}, {"skill": "after_effects", "min_level": 2}]
ABLE = Candidate(user_id=7, active=True, skills={"premiere_pro": 4, "after_effects": 2, "figma": 5},
                 capacity=3, load=2)
LEAVE = (datetime(2026, 11, 24, 0, 0, tzinfo=timezone.utc), datetime(2026, 11, 26, 0, 0, tzinfo=timezone.utc))


def test_a_fitting_specialist_is_not_refused():
    assert refusal(NEEDS, ABLE, NOW) is None


def test_no_required_skills_needs_no_skills():
    assert refusal([], replace(ABLE, skills={}), NOW) is None


def test_exact_minimum_level_is_enough():
    assert refusal([{"skill": "after_effects", "min_level": 2}], ABLE, NOW) is None


def test_inactive():
    assert refusal(NEEDS, replace(ABLE, active=False), NOW) == "the specialist profile is inactive"


def test_missing_skill():
    who = replace(ABLE, skills={"premiere_pro": 4})
    assert refusal(NEEDS, who, NOW) == "missing skills: after_effects level 2 (has 0)"


def test_level_too_low():
    who = replace(ABLE, skills={"premiere_pro": 2, "after_effects": 2})
    assert refusal(NEEDS, who, NOW) == "missing skills: premiere_pro level 3 (has 2)"


@pytest.mark.parametrize(("load", "capacity"), [(3, 3), (4, 3), (0, 0)])
def test_capacity_full(load, capacity):
    reason = refusal(NEEDS, replace(ABLE, load=load, capacity=capacity), NOW)
    assert reason == f"at capacity ({load} of {capacity} tasks)"


def test_one_free_place_is_enough():
    assert refusal(NEEDS, replace(ABLE, load=2, capacity=3), NOW) is None


@pytest.mark.parametrize(("at", "refused"), [
    (LEAVE[0] - timedelta(microseconds=1), False),
    (LEAVE[0], True),                                # starts_at is inclusive
    (LEAVE[0] + timedelta(days=1), True),
    (LEAVE[1] - timedelta(microseconds=1), True),
    (LEAVE[1], False),                               # ends_at is exclusive: back at work
    (LEAVE[1] + timedelta(days=1), False),
    # The same instants written in another zone compare as instants.
    (datetime(2026, 11, 24, 5, 30, tzinfo=ZoneInfo("Asia/Kolkata")), True),   # 00:00 UTC
    (datetime(2026, 11, 25, 18, 59, tzinfo=ZoneInfo("America/New_York")), True),  # 23:59 UTC
    (datetime(2026, 11, 25, 19, 0, tzinfo=ZoneInfo("America/New_York")), False),  # 00:00 UTC
])
def test_time_off_boundaries(at, refused):
    reason = refusal(NEEDS, replace(ABLE, time_off=[LEAVE]), at)
    if refused:
        assert reason == "on time off until 2026-11-26T00:00:00+00:00"
    else:
        assert reason is None


def test_any_of_several_time_off_spans_refuses():
    later = (LEAVE[1] + timedelta(days=5), LEAVE[1] + timedelta(days=6))
    who = replace(ABLE, time_off=[LEAVE, later])
    assert refusal(NEEDS, who, later[0]) == f"on time off until {later[1].isoformat()}"
    assert refusal(NEEDS, who, later[0] - timedelta(days=1)) is None


def test_first_reason_wins_in_a_stable_order():
    # Inactive beats skills beats capacity beats time off: the most fundamental reason is shown.
    everything_wrong = Candidate(user_id=1, active=False, skills={}, capacity=1, load=1, time_off=[LEAVE])
    assert refusal(NEEDS, everything_wrong, NOW) == "the specialist profile is inactive"
    assert refusal(NEEDS, replace(everything_wrong, active=True), NOW).startswith("missing skills")
    able_but_busy = replace(everything_wrong, active=True, skills=ABLE.skills)
    assert refusal(NEEDS, able_but_busy, NOW).startswith("at capacity")
    assert refusal(NEEDS, replace(able_but_busy, capacity=2), NOW).startswith("on time off")


def test_missing_skills_lists_every_gap_in_required_order():
    required = [{"skill": "google_ads", "min_level": 3}, {"skill": "figma", "min_level": 2},
                {"skill": "copywriting", "min_level": 5}]
    assert missing_skills(required, {"figma": 4, "copywriting": 4}) == [
        "google_ads level 3 (has 0)",
        "copywriting level 5 (has 4)",
    ]
    assert missing_skills(required, {"google_ads": 3, "figma": 2, "copywriting": 5}) == []
    assert missing_skills([], {}) == []

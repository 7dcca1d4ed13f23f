"""Whether a specialist may take a task (pure): skills, activity, capacity, time off."""
from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True)
class Candidate:
    """What eligibility needs to know about a specialist, as plain data."""

    user_id: int
    active: bool
    skills: dict  # skill -> level
    capacity: int
    load: int  # tasks currently holding a place
    time_off: list = field(default_factory=list)  # [(starts_at, ends_at)]


def missing_skills(required: list, skills: dict) -> list[str]:
    """Human-readable gaps between required skills and the levels a specialist has."""
    gaps = []
    for need in required:
        have = skills.get(need["skill"], 0)
        if have < need["min_level"]:
            gaps.append(f"{need['skill']} level {need['min_level']} (has {have})")
    return gaps


def refusal(required: list, who: Candidate, at: datetime) -> str | None:
    """Why `who` cannot take a task needing `required` at instant `at`; None when they can."""
    return lasting_refusal(required, who) or momentary_refusal(who, at)


def lasting_refusal(required: list, who: Candidate) -> str | None:
    """Reasons that hold until the profile changes: inactive, or skills below the task's needs."""
    if not who.active:
        return "the specialist profile is inactive"
    gaps = missing_skills(required, who.skills)
    if gaps:
        return "missing skills: " + ", ".join(gaps)
    return None


def momentary_refusal(who: Candidate, at: datetime) -> str | None:
    """Reasons that pass with time: a full queue, or time off at instant `at`."""
    if who.load >= who.capacity:
        return f"at capacity ({who.load} of {who.capacity} tasks)"
    for starts_at, ends_at in who.time_off:
        if starts_at <= at < ends_at:
            return f"on time off until {ends_at.isoformat()}"
    return None

"""Skills routing can trust (pure): how a change to a specialist's skills is stored, and which
level routing counts.

Each skill is stored as (level, verified_level): `level` as last set, `verified_level` the level
an admin or manager stands behind (None: never verified). It reads `verified` when the two agree.
- Someone who verifies (admin, manager; see permissions.VERIFY_SKILLS) sets both at once.
- A specialist's own change is a proposal: the level moves, the verified level stays, so an
  unverified raise leaves the old verified level in force and a new skill counts for nothing.
- Routing counts the lower of the two: a specialist who says they are less able is believed at
  once, one who says more waits for a verifier.
"""
from dataclasses import dataclass

Stored = dict[str, tuple[int, int | None]]  # skill -> (level, verified_level)


@dataclass(frozen=True)
class Proposal:
    """A skill whose level is not verified: what was proposed beside what routing counts."""

    skill: str
    level: int
    verified_level: int | None


def routing_level(level: int, verified_level: int | None) -> int | None:
    """The level routing counts, or None when the skill does not count at all."""
    return None if verified_level is None else min(level, verified_level)


def routing_skills(stored: Stored) -> dict[str, int]:
    """{skill: level} as routing and eligibility see them: verified levels only."""
    out = {}
    for skill, (level, verified) in stored.items():
        counted = routing_level(level, verified)
        if counted is not None:
            out[skill] = counted
    return out


def proposals(stored: Stored) -> list[Proposal]:
    """The skills waiting for a verifier, by name."""
    return [Proposal(skill, level, verified) for skill, (level, verified) in sorted(stored.items())
            if level != verified]


def as_verifier(items: dict[str, int]) -> Stored:
    """A verifier's list replaces the skills, every one verified at its level."""
    return {skill: (level, level) for skill, level in items.items()}


def as_proposer(stored: Stored, items: dict[str, int]) -> Stored:
    """A specialist's own list replaces the skills: unchanged levels keep their verification,
    changed and new ones are proposals; a removed skill is gone (claiming less is never a risk)."""
    out = {}
    for skill, level in items.items():
        _, verified = stored.get(skill, (level, None))
        out[skill] = (level, verified)
    return out


def keeping_proposals(stored: Stored, items: dict[str, int]) -> Stored:
    """A verifier's list of verified levels (the admin page's skill rows) that leaves pending
    proposals standing: a proposed new skill the list does not name stays proposed, and a
    proposed change stays when the list keeps that skill's verified level as it was."""
    out = {}
    for skill, (level, verified) in stored.items():
        if verified is None and skill not in items:
            out[skill] = (level, None)
    for skill, level in items.items():
        old_level, verified = stored.get(skill, (level, None))
        out[skill] = (old_level, verified) if old_level != verified and verified == level \
            else (level, level)
    return out


def verify(stored: Stored, items: dict[str, int]) -> tuple[Stored, list[str]]:
    """Verify the named skills at the given levels; the skills not on the profile come back
    as problems and nothing is verified then."""
    unknown = sorted(skill for skill in items if skill not in stored)
    if unknown:
        return stored, unknown
    return {**stored, **{skill: (level, level) for skill, level in items.items()}}, []


def reject(stored: Stored, skills: list[str]) -> Stored:
    """Turn down the proposals of the named skills: a changed level falls back to the verified
    one, a proposed new skill goes; verified skills are left as they are."""
    out = {}
    for skill, (level, verified) in stored.items():
        if skill in skills and level != verified:
            if verified is not None:
                out[skill] = (verified, verified)
            continue
        out[skill] = (level, verified)
    return out

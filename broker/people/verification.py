"""Verifying specialists' skills: the stored form of broker.people.skills' rules, the verifier's
decisions (verify, reject) and the list of proposals waiting for one."""
from sqlalchemy import select

from broker.errors import InvalidInput, NotFound
from broker.extensions import db
from broker.people import permissions
from broker.people import skills as rules
from broker.people.models import SpecialistProfile, SpecialistSkill, User
from broker.unit_of_work import commit, transaction


def stored_skills(profile: SpecialistProfile) -> rules.Stored:
    return {s.skill: (s.level, s.verified_level) for s in profile.skills}


def write_skills(profile: SpecialistProfile, stored: rules.Stored):
    """Make the profile's skill rows say `stored`, changing rows in place."""
    rows = {s.skill: s for s in profile.skills}
    for skill in set(rows) - set(stored):
        profile.skills.remove(rows[skill])
    for skill, (level, verified) in sorted(stored.items()):
        row = rows.get(skill)
        if row is None:
            profile.skills.append(SpecialistSkill(skill=skill, level=level, verified_level=verified))
        else:
            row.level, row.verified_level = level, verified


def apply_skill_list(actor: User, profile: SpecialistProfile, items: list[dict],
                     keep_proposals: bool = False):
    """A new list of skills for the profile: verified at once when `actor` verifies, else a
    proposal; `keep_proposals` leaves pending proposals standing (the admin page's rows)."""
    levels = {item["skill"]: item["level"] for item in items}
    stored = stored_skills(profile)
    if not permissions.may(actor, permissions.VERIFY_SKILLS):
        write_skills(profile, rules.as_proposer(stored, levels))
    elif keep_proposals:
        write_skills(profile, rules.keeping_proposals(stored, levels))
    else:
        write_skills(profile, rules.as_verifier(levels))


def _profile(user_id: int) -> SpecialistProfile:
    profile = db.session.get(SpecialistProfile, user_id)
    if profile is None:
        raise NotFound(f"Specialist {user_id} does not exist.")
    return profile


@transaction
def verify_skills(actor: User, user_id: int, items: list[dict]) -> User:
    """Verify skills of a specialist at the levels given (usually the proposed ones)."""
    permissions.require(actor, permissions.VERIFY_SKILLS, "Only admins and managers verify skills.")
    profile = _profile(user_id)
    bad = [str(i["level"]) for i in items if not isinstance(i["level"], int) or not 1 <= i["level"] <= 5]
    if bad:
        raise InvalidInput("Levels run from 1 to 5.", {"skills": [f"Not a level: {', '.join(bad)}."]})
    stored, unknown = rules.verify(stored_skills(profile), {i["skill"]: i["level"] for i in items})
    if unknown:
        raise InvalidInput("Only skills on the profile can be verified.", {"skills": [
            f"{', '.join(unknown)}: not on this profile; add a skill by changing the profile."]})
    write_skills(profile, stored)
    commit()
    return profile.user


@transaction
def reject_proposals(actor: User, user_id: int, skills: list[str]) -> User:
    """Turn down proposals: a raise falls back to the verified level, a new skill goes."""
    permissions.require(actor, permissions.VERIFY_SKILLS, "Only admins and managers verify skills.")
    profile = _profile(user_id)
    write_skills(profile, rules.reject(stored_skills(profile), skills))
    commit()
    return profile.user


def pending_proposals():
    """A select() of (SpecialistSkill, User, partner) for every skill waiting for a verifier,
    by specialist name."""
    return (select(SpecialistSkill, User, SpecialistProfile.partner)
            .join(User, User.id == SpecialistSkill.specialist_id)
            .join(SpecialistProfile, SpecialistProfile.user_id == User.id)
            .where((SpecialistSkill.verified_level.is_(None))
                   | (SpecialistSkill.verified_level != SpecialistSkill.level))
            .order_by(User.name, User.id, SpecialistSkill.skill))

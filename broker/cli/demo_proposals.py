"""The demo's skill proposals: two specialists asked for levels nobody has verified yet, so an
admin opening /admin/people sees what verifying looks like (and routing does not count them)."""
from broker.people import services as people

# handle: (skill, proposed level); a raise of a skill held, and a skill not held at all
PROPOSALS = {"paolo.santos": ("premiere_pro", 5), "kristine.villanueva": ("after_effects", 3)}


def propose_skills(users: dict):
    """Each specialist proposes through the same service as their /profile page."""
    for handle, (skill, level) in PROPOSALS.items():
        user = users[handle]
        held = {s.skill: s.level for s in user.profile.skills} | {skill: level}
        people.update_specialist(user, user.id, {"skills": [
            {"skill": k, "level": v} for k, v in sorted(held.items())]})

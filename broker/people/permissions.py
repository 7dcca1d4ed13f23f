"""Who may do what: the one answer that views, services and list queries ask.

Pure functions over a user and plain facts about the object (ids, a state flag), so every floor
may ask (tasks builds the facts from its rows; see tasks/queries.py). Two kinds of rule:
- what a role may do by its role alone: GRANTS, a table of role -> permissions;
- what depends on whom the object belongs to: the may_* functions and the list scopes below.
tests/integration/test_authorization_matrix.py is the specification.

Managers read every brief of the organisation (READ_EVERY_BRIEF: shared visibility across the
team is the point of the product); only the owner acts on one (may_decide). List scopes take a
`mine` flag to narrow a reader of everything to their own briefs.
"""
from dataclasses import dataclass

from broker.errors import NotAllowed
from broker.people.roles import ADMIN, MANAGER, SPECIALIST

# Permissions a role holds by itself.
POST_BRIEFS = "post_briefs"            # post a brief: the poster becomes its accountable owner
READ_BRIEFS = "read_briefs"            # read briefs (one's own; all with READ_EVERY_BRIEF)
READ_EVERY_BRIEF = "read_every_brief"  # read every brief and task, whoever owns it
REVIEW_WORK = "review_work"            # owner's decisions: approve, request changes, cancel, change
TAKE_WORK = "take_work"                # pick, accept and do tasks; have a queue
READ_REPORTS = "read_reports"          # the SLA report (of one's own briefs; all with OVERSEE)
OVERSEE = "oversee"                    # reports and dashboards cover everything; cancel or change any task
READ_SPECIALISTS = "read_specialists"  # list and read every specialist profile
KEEP_PROFILES = "keep_profiles"        # change profiles and book time off (others' with MANAGE_PEOPLE)
MANAGE_PEOPLE = "manage_people"        # create users and specialists, change anyone's profile
MANAGE_SETTINGS = "manage_settings"    # SLA calendars and policies
PLAN = "plan"                          # simulate the team and search for team changes (/planning)
VERIFY_SKILLS = "verify_skills"        # verify or turn down the skill levels specialists propose
KEEP_TEMPLATES = "keep_templates"      # brief templates: read and change one's own (all with OVERSEE)

GRANTS: dict[str, frozenset[str]] = {  # in the order role names are listed in refusals
    MANAGER: frozenset({POST_BRIEFS, READ_BRIEFS, READ_EVERY_BRIEF, REVIEW_WORK, READ_REPORTS,
                        READ_SPECIALISTS, PLAN, VERIFY_SKILLS, KEEP_TEMPLATES}),
    ADMIN: frozenset({READ_BRIEFS, READ_EVERY_BRIEF, REVIEW_WORK, READ_REPORTS, OVERSEE,
                      READ_SPECIALISTS, KEEP_PROFILES, MANAGE_PEOPLE, MANAGE_SETTINGS, PLAN,
                      VERIFY_SKILLS, KEEP_TEMPLATES}),
    SPECIALIST: frozenset({TAKE_WORK, KEEP_PROFILES}),
}

# The owner's decisions that an overseer (admin) may also take on any task.
OVERSEER_TAKES = frozenset({"cancel", "change"})
# What only someone with MANAGE_PEOPLE changes on a specialist profile.
MANAGED_PROFILE_FIELDS = frozenset({"capacity", "active", "partner"})


def may(actor, permission: str) -> bool:
    """Whether `actor`'s role holds `permission`."""
    return permission in GRANTS.get(actor.role, ())


def roles_with(permission: str) -> list[str]:
    """The roles holding `permission`, for saying who may when refusing."""
    return [role for role, granted in GRANTS.items() if permission in granted]


def require(actor, permission: str, message: str | None = None):
    """Refuse (NotAllowed, a 403) unless `actor`'s role holds `permission`."""
    if not may(actor, permission):
        raise NotAllowed(message or f"This needs the role {' or '.join(roles_with(permission))}; "
                                    f"you are {actor.role}.")


# --- briefs and tasks ----------------------------------------------------------------------------

@dataclass(frozen=True)
class TaskFacts:
    """What deciding about a task needs: its brief's owner, its assignee, whether it waits in the
    open queue, and who has acted on it (past assignees keep seeing its history)."""

    owner_id: int
    assignee_id: int | None
    queued: bool
    actor_ids: frozenset = frozenset()


@dataclass(frozen=True)
class Scope:
    """Which rows a list shows: everything, or those of one owner and/or one assignee, plus the
    open queue; nothing when empty."""

    everything: bool = False
    owner_id: int | None = None
    assignee_id: int | None = None
    open_queue: bool = False


def brief_scope(actor, mine: bool = False) -> Scope:
    """The briefs `actor` may list: every brief, or their own (always with `mine`)."""
    require(actor, READ_BRIEFS, "Briefs are for managers and admins.")
    if may(actor, READ_EVERY_BRIEF) and not mine:
        return Scope(everything=True)
    return Scope(owner_id=actor.id)


def may_read_brief(actor, owner_id: int) -> bool:
    return may(actor, READ_EVERY_BRIEF) or (may(actor, READ_BRIEFS) and owner_id == actor.id)


def task_scope(actor, mine: bool = False) -> Scope:
    """The tasks `actor` may list: every task, their briefs' tasks (always with `mine`), or their
    own work and the open queue."""
    if may(actor, READ_EVERY_BRIEF) and not mine:
        return Scope(everything=True)
    if may(actor, READ_BRIEFS):
        return Scope(owner_id=actor.id)
    if may(actor, TAKE_WORK):
        return Scope(assignee_id=actor.id, open_queue=True)
    return Scope()


def may_see_task(actor, task: TaskFacts) -> bool:
    """Readers of every brief, the owner and the assignee; those who take work also see the open
    queue and the tasks they acted on."""
    if may(actor, READ_EVERY_BRIEF) or actor.id in (task.owner_id, task.assignee_id):
        return True
    return may(actor, TAKE_WORK) and (task.queued or actor.id in task.actor_ids)


def may_act_on_brief(actor, owner_id: int) -> bool:
    """Whether the brief page offers `actor` any action (the owner's, or an overseer's cancel)."""
    return owner_id == actor.id or may(actor, OVERSEE)


def may_decide(actor, owner_id: int, decision: str) -> bool:
    """The owner's decisions (approve, request_changes, cancel, change) are the owner's; an
    overseer also cancels and changes any task."""
    return owner_id == actor.id or (decision in OVERSEER_TAKES and may(actor, OVERSEE))


def may_work_on(actor, assignee_id: int | None) -> bool:
    """Accept, decline, block, unblock, submit, resume: the assignee's alone."""
    return assignee_id is not None and assignee_id == actor.id


def may_discuss_task(actor, task: TaskFacts) -> bool:
    """Read and write a task's comments (and be @mentioned in them): whoever may see the task."""
    return may_see_task(actor, task)


def may_hand_off(actor, assignee_id: int | None) -> bool:
    """Hand a task back to the queue with a note: the assignee's alone."""
    return may_work_on(actor, assignee_id)


# --- brief templates -----------------------------------------------------------------------------

def may_keep_template(actor, owner_id: int) -> bool:
    """Read, change or delete a template: its owner; an overseer (admin) any."""
    return may(actor, KEEP_TEMPLATES) and (owner_id == actor.id or may(actor, OVERSEE))


def may_post_template(actor, owner_id: int) -> bool:
    """Post a brief from a template: its owner, who becomes the brief's accountable owner."""
    return owner_id == actor.id and may(actor, POST_BRIEFS)


def template_scope(actor) -> Scope:
    """The templates `actor` may list: everything (overseers) or their own."""
    require(actor, KEEP_TEMPLATES, "Templates are for managers and admins.")
    return Scope(everything=True) if may(actor, OVERSEE) else Scope(owner_id=actor.id)


# --- reports -------------------------------------------------------------------------------------

def report_scope(actor) -> Scope:
    """Whose tasks `actor`'s numbers cover (dashboard and report): everything, their own briefs,
    or the tasks assigned to them."""
    if may(actor, OVERSEE):
        return Scope(everything=True)
    if may(actor, READ_BRIEFS):
        return Scope(owner_id=actor.id)
    return Scope(assignee_id=actor.id)


# --- people --------------------------------------------------------------------------------------

def may_read_profile(actor, user_id: int) -> bool:
    return may(actor, READ_SPECIALISTS) or actor.id == user_id


def require_profile_change(actor, user_id: int, fields) -> None:
    """Anyone managing people changes any profile; a specialist their own, except what only an
    admin sets (capacity, active, partner)."""
    if may(actor, MANAGE_PEOPLE):
        return
    if actor.id != user_id or not may(actor, KEEP_PROFILES):
        raise NotAllowed("You can only change your own profile.")
    locked = sorted(set(fields) & MANAGED_PROFILE_FIELDS)
    if locked:
        raise NotAllowed(f"Only an admin can change {', '.join(locked)}.")


def may_book_time_off(actor, user_id: int) -> bool:
    return may(actor, MANAGE_PEOPLE) or (actor.id == user_id and may(actor, KEEP_PROFILES))


def may_manage_tokens_of(actor, user_id: int) -> bool:
    """List and revoke API tokens: one's own; anyone's with MANAGE_PEOPLE."""
    return actor.id == user_id or may(actor, MANAGE_PEOPLE)

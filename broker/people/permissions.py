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
from broker.people.roles import ADMIN, MANAGER, PARTNER_LEAD, SPECIALIST

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
READ_COSTS = "read_costs"              # the cost report (own briefs; all with OVERSEE; a lead's partner)
LEAD_PARTNER = "lead_partner"          # see and balance one partner's specialists (users.partner)
VERIFY_SKILLS = "verify_skills"        # verify or turn down the skill levels specialists propose
KEEP_TEMPLATES = "keep_templates"      # brief templates: read and change one's own (all with OVERSEE)

GRANTS: dict[str, frozenset[str]] = {  # in the order role names are listed in refusals
    MANAGER: frozenset({POST_BRIEFS, READ_BRIEFS, READ_EVERY_BRIEF, REVIEW_WORK, READ_REPORTS,
                        READ_SPECIALISTS, PLAN, VERIFY_SKILLS, KEEP_TEMPLATES}),
    ADMIN: frozenset({READ_BRIEFS, READ_EVERY_BRIEF, REVIEW_WORK, READ_REPORTS, OVERSEE,
                      READ_SPECIALISTS, KEEP_PROFILES, MANAGE_PEOPLE, MANAGE_SETTINGS, PLAN,
                      VERIFY_SKILLS, KEEP_TEMPLATES}),
    SPECIALIST: frozenset({TAKE_WORK, KEEP_PROFILES}),
    PARTNER_LEAD: frozenset({LEAD_PARTNER, READ_COSTS}),
}
# Cost reports (broker/costs), granted apart so the role lines above stay as they were.
GRANTS[MANAGER] |= {READ_COSTS}
GRANTS[ADMIN] |= {READ_COSTS}

# The owner's decisions that an overseer (admin) may also take on any task.
OVERSEER_TAKES = frozenset({"cancel", "change"})
# What only someone with MANAGE_PEOPLE changes on a specialist profile.
MANAGED_PROFILE_FIELDS = frozenset({"capacity", "active", "partner", "hourly_cost"})
# What a partner lead changes on a profile of their partner's (capacity up to the partner's cap).
LEAD_PROFILE_FIELDS = frozenset({"working_hours", "capacity"})


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
    assignee_partner: str | None = None  # the partner of the assignee's profile, if any


@dataclass(frozen=True)
class Scope:
    """Which rows a list shows: everything, or those of one owner and/or one assignee, plus the
    open queue; nothing when empty."""

    everything: bool = False
    owner_id: int | None = None
    assignee_id: int | None = None
    open_queue: bool = False
    partner: str | None = None  # the tasks assigned to this partner's specialists


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
    if leads(actor) is not None:
        return Scope(partner=leads(actor))
    return Scope()


def may_see_task(actor, task: TaskFacts) -> bool:
    """Readers of every brief, the owner and the assignee; those who take work also see the open
    queue and the tasks they acted on."""
    if may(actor, READ_EVERY_BRIEF) or actor.id in (task.owner_id, task.assignee_id):
        return True
    if task.assignee_partner is not None and leads(actor) == task.assignee_partner:
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


# Keep a brief as a template: the same rule, its owner if they may post briefs.
may_save_as_template = may_post_template


def template_scope(actor) -> Scope:
    """The templates `actor` may list: everything (overseers) or their own."""
    require(actor, KEEP_TEMPLATES, "Templates are for managers and admins.")
    return Scope(everything=True) if may(actor, OVERSEE) else Scope(owner_id=actor.id)


# --- reports -------------------------------------------------------------------------------------

def report_scope(actor) -> Scope:
    """Whose tasks `actor`'s numbers cover (dashboard and report): everything, their own briefs,
    the work of the partner they lead, or the tasks assigned to them."""
    if may(actor, OVERSEE):
        return Scope(everything=True)
    if may(actor, READ_BRIEFS):
        return Scope(owner_id=actor.id)
    partner = leads(actor)
    if partner is not None:
        return Scope(partner=partner)
    return Scope(assignee_id=actor.id)


# --- people --------------------------------------------------------------------------------------

def leads(actor) -> str | None:
    """The partner `actor` leads: a partner lead's `partner`, else None."""
    return (getattr(actor, "partner", None) or None) if may(actor, LEAD_PARTNER) else None


def may_read_profile(actor, user_id: int, partner: str | None = None) -> bool:
    """Readers of every specialist, the specialist, and the lead of the profile's `partner`."""
    return (may(actor, READ_SPECIALISTS) or actor.id == user_id
            or (partner is not None and leads(actor) == partner))


def may_see_hourly_cost(actor, user_id: int, partner: str | None = None) -> bool:
    """Hourly costs: admins and managers, the specialist, their partner's lead; never another
    specialist or another partner's lead."""
    return (may(actor, READ_SPECIALISTS) and may(actor, READ_COSTS)) or actor.id == user_id \
        or (partner is not None and leads(actor) == partner)


def require_profile_change(actor, user_id: int, fields, partner: str | None = None) -> None:
    """Anyone managing people changes any profile; a specialist their own, except what only an
    admin sets (capacity, active, partner, hourly cost); a partner lead the hours and capacity of
    their partner's specialists."""
    if may(actor, MANAGE_PEOPLE):
        return
    if partner is not None and leads(actor) == partner:
        other = sorted(set(fields) - LEAD_PROFILE_FIELDS)
        if other:
            raise NotAllowed(f"A partner lead changes hours and capacity, not {', '.join(other)}.")
        return
    if may(actor, LEAD_PARTNER):
        raise NotAllowed("You can only change the profiles of your partner's specialists.")
    if actor.id != user_id or not may(actor, KEEP_PROFILES):
        raise NotAllowed("You can only change your own profile.")
    locked = sorted(set(fields) & MANAGED_PROFILE_FIELDS)
    if locked:
        raise NotAllowed(f"Only an admin can change {', '.join(locked)}.")


def may_book_time_off(actor, user_id: int, partner: str | None = None) -> bool:
    return (may(actor, MANAGE_PEOPLE) or (actor.id == user_id and may(actor, KEEP_PROFILES))
            or (partner is not None and leads(actor) == partner))


def specialist_scope(actor) -> str | None:
    """Whose profiles a list shows: None for everyone (readers of every specialist), else the
    partner the actor leads."""
    if may(actor, READ_SPECIALISTS):
        return None
    partner = leads(actor)
    if partner is None:
        raise NotAllowed("Specialist profiles are for admins, managers and partner leads.")
    return partner


# --- time and cost -------------------------------------------------------------------------------

def may_log_time(actor, assignee_id: int | None) -> bool:
    """Time is logged on a task by its assignee alone."""
    return may(actor, TAKE_WORK) and may_work_on(actor, assignee_id)


@dataclass(frozen=True)
class CostScope:
    """Which logged time a cost report covers: everything, one owner's briefs, or the work of
    one partner's specialists."""

    everything: bool = False
    owner_id: int | None = None
    partner: str | None = None


def cost_scope(actor) -> CostScope:
    """Admins: everything; managers: their own briefs; partner leads: their partner's people."""
    require(actor, READ_COSTS, "Cost reports are for managers, admins and partner leads.")
    if may(actor, OVERSEE):
        return CostScope(everything=True)
    if may(actor, READ_BRIEFS):
        return CostScope(owner_id=actor.id)
    partner = leads(actor)
    if partner is None:
        raise NotAllowed("Your account leads no partner yet; an admin sets it.")
    return CostScope(partner=partner)


def may_set_budget(actor, owner_id: int) -> bool:
    """A brief's budget and its result: the owner's (an overseer's too)."""
    return may_decide(actor, owner_id, "change")


def may_manage_tokens_of(actor, user_id: int) -> bool:
    """List and revoke API tokens: one's own; anyone's with MANAGE_PEOPLE."""
    return actor.id == user_id or may(actor, MANAGE_PEOPLE)

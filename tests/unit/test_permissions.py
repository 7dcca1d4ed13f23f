"""The permission rules on plain data (the authorization matrix checks them through every route)."""
from dataclasses import dataclass

from broker.people import permissions as p


@dataclass
class Someone:
    id: int
    role: str


ADMIN, OWNER, OTHER = Someone(1, "admin"), Someone(2, "manager"), Someone(3, "manager")
ASSIGNEE, SPECIALIST = Someone(4, "specialist"), Someone(5, "specialist")
WORKING = p.TaskFacts(owner_id=OWNER.id, assignee_id=ASSIGNEE.id, queued=False)


def test_tasks_are_seen_by_readers_of_every_brief_the_owner_the_assignee_and_past_actors():
    seen = [who for who in (ADMIN, OWNER, OTHER, ASSIGNEE, SPECIALIST) if p.may_see_task(who, WORKING)]
    assert seen == [ADMIN, OWNER, OTHER, ASSIGNEE]  # every manager reads every brief
    handed_back = p.TaskFacts(OWNER.id, None, queued=False, actor_ids=frozenset({SPECIALIST.id}))
    assert p.may_see_task(SPECIALIST, handed_back)
    assert not p.may_see_task(Someone(6, "specialist"), handed_back)
    queued = p.TaskFacts(OWNER.id, None, queued=True)
    assert p.may_see_task(SPECIALIST, queued)


def test_decisions_are_the_owners_and_an_overseer_only_cancels_or_changes():
    assert p.may_decide(OWNER, OWNER.id, "approve") and not p.may_decide(OTHER, OWNER.id, "approve")
    assert not p.may_decide(ADMIN, OWNER.id, "approve")
    assert p.may_decide(ADMIN, OWNER.id, "cancel") and p.may_decide(ADMIN, OWNER.id, "change")
    assert p.may_work_on(ASSIGNEE, ASSIGNEE.id) and not p.may_work_on(SPECIALIST, ASSIGNEE.id)
    assert not p.may_work_on(ASSIGNEE, None)


def test_list_scopes_by_role():
    assert p.task_scope(ADMIN) == p.Scope(everything=True)
    assert p.task_scope(OWNER) == p.Scope(everything=True)
    assert p.task_scope(OWNER, mine=True) == p.Scope(owner_id=OWNER.id)
    assert p.brief_scope(OWNER, mine=True) == p.Scope(owner_id=OWNER.id)
    assert p.task_scope(ASSIGNEE) == p.Scope(assignee_id=ASSIGNEE.id, open_queue=True)
    assert p.report_scope(ASSIGNEE) == p.Scope(assignee_id=ASSIGNEE.id)
    assert p.task_scope(Someone(9, "stranger")) == p.Scope()  # a role without rules sees nothing


def test_managers_read_every_brief_and_acting_stays_the_owners():
    assert p.may(OTHER, p.READ_EVERY_BRIEF)
    assert not p.may_act_on_brief(OTHER, OWNER.id) and p.may_act_on_brief(OWNER, OWNER.id)
    assert p.may_read_brief(OTHER, OWNER.id) and p.brief_scope(OTHER).everything
    assert p.may_see_task(OTHER, WORKING)
    assert not p.may_decide(OTHER, OWNER.id, "approve")
    assert p.report_scope(OTHER) == p.Scope(owner_id=OTHER.id)  # reports stay one's own


def test_profiles():
    assert p.may_read_profile(OWNER, ASSIGNEE.id) and not p.may_read_profile(SPECIALIST, ASSIGNEE.id)
    p.require_profile_change(ASSIGNEE, ASSIGNEE.id, {"timezone"})
    p.require_profile_change(ADMIN, ASSIGNEE.id, {"capacity"})
    for who, fields, words in [(SPECIALIST, {"timezone"}, "your own"),
                               (ASSIGNEE, {"capacity", "active"}, "active, capacity"),
                               (OWNER, {"timezone"}, "your own")]:
        try:
            p.require_profile_change(who, ASSIGNEE.id, fields)
        except p.NotAllowed as refused:
            assert words in refused.message
        else:
            raise AssertionError((who, fields))
    assert p.may_book_time_off(ADMIN, ASSIGNEE.id) and not p.may_book_time_off(OWNER, OWNER.id)


def test_refusals_name_the_roles_that_may():
    assert p.roles_with(p.READ_BRIEFS) == ["manager", "admin"]
    try:
        p.require(SPECIALIST, p.MANAGE_SETTINGS)
    except p.NotAllowed as refused:
        assert refused.message == "This needs the role admin; you are specialist."

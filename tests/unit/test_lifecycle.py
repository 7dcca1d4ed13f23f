"""The task state machine: every legal step of DESIGN.md's lifecycle, and every other step refused."""
import itertools

import pytest

from broker.errors import Conflict, InvalidInput
from tasks import lifecycle as lc
from tasks.lifecycle import IllegalTransition, actions_from, next_state

# The lifecycle of DESIGN.md, written out by hand (not derived from lifecycle.ACTIONS) so that a
# change to the table has to be a change to this test too.
LEGAL = {
    ("queued", "offer"): "offered",
    ("offered", "accept"): "in_progress",
    ("offered", "decline"): "queued",
    ("offered", "expire"): "queued",
    ("offered", "withdraw"): "queued",  # the SLA sweep, on an acknowledgement breach
    ("queued", "claim"): "in_progress",
    ("in_progress", "block"): "blocked",
    ("blocked", "unblock"): "in_progress",
    ("in_progress", "submit"): "submitted",
    ("submitted", "approve"): "approved",
    ("submitted", "request_changes"): "changes_requested",
    ("changes_requested", "resume"): "in_progress",
    ("changes_requested", "submit"): "submitted",  # a revision submitted straight away
    ("pending", "release"): "queued",  # its last prerequisite approved
    ("in_progress", "handoff"): "queued",
    ("blocked", "handoff"): "queued",
    ("changes_requested", "handoff"): "queued",
    **{(state, "cancel"): "cancelled"
       for state in ("pending", "queued", "offered", "in_progress", "blocked", "submitted", "changes_requested")},
}
STATES = ["pending", "queued", "offered", "in_progress", "blocked", "submitted", "changes_requested",
          "approved", "cancelled"]
ACTIONS = ["offer", "accept", "decline", "expire", "withdraw", "claim", "block", "unblock", "submit", "resume",
           "request_changes", "approve", "cancel", "release", "handoff"]
ILLEGAL = [pair for pair in itertools.product(STATES, ACTIONS) if pair not in LEGAL]


def test_the_module_knows_exactly_these_states_and_actions():
    assert set(lc.STATES) == set(STATES)
    assert set(lc.ACTIONS) == set(ACTIONS)
    assert lc.CLOSED == {"approved", "cancelled"}
    assert lc.OPEN == set(STATES) - {"approved", "cancelled"}


@pytest.mark.parametrize(("state", "action"), sorted(LEGAL))
def test_legal_transition(state, action):
    assert next_state(state, action) == LEGAL[state, action]


@pytest.mark.parametrize(("state", "action"), ILLEGAL)
def test_every_other_pair_is_refused_with_a_reason_naming_the_state(state, action):
    with pytest.raises(IllegalTransition) as caught:
        next_state(state, action)
    error = caught.value
    assert isinstance(error, Conflict) and error.status == 409
    assert state in error.message
    assert error.message[0].isupper() and error.message.endswith(".")
    assert error.errors["state"] == [state]
    assert error.errors["allowed_from"] == sorted(s for (s, a) in LEGAL if a == action)


def test_there_are_many_illegal_pairs():
    # 8 states x 13 actions minus the 19 legal steps: guards against an empty parametrisation.
    assert len(LEGAL) == 24 and len(ILLEGAL) == 9 * 15 - 24


@pytest.mark.parametrize("state", ["approved", "cancelled"])
@pytest.mark.parametrize("action", ACTIONS)
def test_closed_states_refuse_everything_and_say_so(state, action):
    with pytest.raises(IllegalTransition, match=f"The task is {state} and closed"):
        next_state(state, action)


def test_open_state_reason_says_what_state_the_action_needs():
    with pytest.raises(IllegalTransition) as caught:
        next_state("queued", "submit")
    assert caught.value.message == (
        "Cannot submit a task that is queued (it must be changes_requested or in_progress)."
    )


def test_reasons_read_as_sentences_for_multi_word_actions():
    with pytest.raises(IllegalTransition) as caught:
        next_state("in_progress", "request_changes")
    assert caught.value.message == (
        "Cannot request changes on a task that is in_progress (it must be submitted)."
    )
    with pytest.raises(IllegalTransition, match="Cannot expire the offer on a task that is queued"):
        next_state("queued", "expire")


def test_unknown_action_is_a_domain_error_not_a_key_error():
    with pytest.raises(InvalidInput, match="Unknown task action 'fly'"):
        next_state("queued", "fly")


@pytest.mark.parametrize("state", STATES)
def test_actions_from_matches_the_table(state):
    assert actions_from(state) == sorted(a for (s, a) in LEGAL if s == state)


def test_actions_from_closed_states_is_empty():
    assert actions_from("approved") == [] and actions_from("cancelled") == []


def test_a_full_happy_path_with_a_revision_round():
    state = "queued"
    for action in ("offer", "decline", "offer", "expire", "offer", "accept", "block", "unblock",
                   "submit", "request_changes", "resume", "submit", "request_changes", "submit",
                   "approve"):
        state = next_state(state, action)
    assert state == "approved"


def test_each_action_records_a_distinct_event_name():
    events = [a.event for a in lc.ACTIONS.values()]
    assert len(events) == len(set(events))
    assert lc.ACTIONS["resume"].event == "revision_started"
    assert lc.ACTIONS["expire"].event == "offer_expired"


def test_loaded_states_are_open_and_hold_an_assignee():
    # Capacity counts only open states that have an assignee (queued never does).
    assert lc.HOLDS_A_PLACE <= lc.OPEN
    assert "queued" not in lc.HOLDS_A_PLACE

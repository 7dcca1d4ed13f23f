"""SLA clocks and statuses from a task's history, on business calendars (no database)."""
from datetime import datetime, timedelta, timezone

import pendulum
import pytest

from broker.worktime.arithmetic import WorkWeek, always
from sla.clocks import Policy, TaskFacts, compute_clocks
from sla.status import clock_view, forecast_finish

NY = "America/New_York"
NINE_TO_FIVE = {d: [["09:00", "17:00"]] for d in ("mon", "tue", "wed", "thu", "fri")}
BUSINESS = WorkWeek(NINE_TO_FIVE, NY)
NORMAL = Policy(ack_hours=4, turnaround_hours=8, warn_at=0.75, calendar="business")


def local(*args, tz=NY) -> datetime:
    return pendulum.datetime(*args, tz=tz)


def clocks(created, events=(), estimate=4.0, due=None, policy=NORMAL, week=BUSINESS, share=0.5):
    facts = TaskFacts(created, estimate, due, tuple(events))
    return {(c.target, c.cycle): c for c in compute_clocks(facts, policy, week, share, 4)}


def same_instant(a: datetime, b: datetime) -> bool:
    return a.astimezone(timezone.utc) == b.astimezone(timezone.utc)


def test_friday_afternoon_task_with_eight_hours_is_due_monday_afternoon():
    c = clocks(local(2026, 11, 13, 16))[("turnaround", 0)]
    assert same_instant(c.due_at, local(2026, 11, 16, 16))
    assert same_instant(c.warn_at, local(2026, 11, 16, 14))  # 6 of 8 hours gone
    assert c.escalate_at - c.due_at == timedelta(hours=4)


def test_due_instant_is_right_in_local_time_across_the_dst_change():
    c = clocks(local(2026, 10, 30, 16))[("turnaround", 0)]  # EDT Friday, EST Monday
    due = pendulum.instance(c.due_at).in_tz(NY)
    assert (due.day, due.hour, due.minute) == (2, 16, 0)
    assert due.utcoffset() == timedelta(hours=-5)


def test_two_hours_blocked_move_the_due_instant_by_two_working_hours():
    created = local(2026, 11, 16, 9)
    blocked = [("claimed", local(2026, 11, 16, 9, 30)), ("blocked", local(2026, 11, 16, 10)),
               ("unblocked", local(2026, 11, 16, 12))]
    plain = clocks(created)[("turnaround", 0)]
    c = clocks(created, blocked)[("turnaround", 0)]
    assert same_instant(plain.due_at, local(2026, 11, 16, 17))
    assert same_instant(c.due_at, local(2026, 11, 17, 11))
    assert c.paused_since is None


def test_a_running_block_pauses_turnaround_but_not_a_met_acknowledgement():
    created = local(2026, 11, 16, 9)
    c = clocks(created, [("claimed", local(2026, 11, 16, 10)), ("blocked", local(2026, 11, 16, 11))])
    assert c[("turnaround", 0)].paused_since == local(2026, 11, 16, 11)
    assert c[("ack", 0)].met_at == local(2026, 11, 16, 10) and c[("ack", 0)].paused_since is None
    view = clock_view(c[("turnaround", 0)], BUSINESS, local(2026, 11, 18, 9))
    assert view["status"] == "paused" and view["remaining_hours"] == 6
    assert same_instant(view["due_at"], local(2026, 11, 18, 15))  # if work resumed now


def test_a_due_date_is_the_turnaround_target_earlier_or_later_and_estimate_stretches_policy():
    created = local(2026, 11, 16, 9)
    earlier = clocks(created, due=local(2026, 11, 16, 13))[("turnaround", 0)]
    assert same_instant(earlier.due_at, local(2026, 11, 16, 13)) and earlier.budget_hours == 4
    later = clocks(created, due=local(2026, 11, 20, 17))  # the policy alone: Monday 17:00
    assert same_instant(later[("turnaround", 0)].due_at, local(2026, 11, 20, 17))
    assert later[("turnaround", 0)].budget_hours == 40
    assert same_instant(later[("turnaround", 0)].warn_at, local(2026, 11, 19, 15))  # 30 of 40 h
    assert same_instant(later[("ack", 0)].due_at, local(2026, 11, 16, 13))  # ack keeps its policy
    stretched = clocks(created, estimate=16)[("turnaround", 0)]
    assert same_instant(stretched.due_at, local(2026, 11, 17, 17))


def test_revision_has_its_own_target_as_a_share_of_turnaround():
    created = local(2026, 11, 16, 9)
    events = [("claimed", local(2026, 11, 16, 9)), ("submitted", local(2026, 11, 16, 15)),
              ("changes_requested", local(2026, 11, 16, 16))]
    c = clocks(created, events)
    assert c[("turnaround", 0)].met_at == local(2026, 11, 16, 15)
    rev = c[("revision", 1)]
    assert same_instant(rev.due_at, local(2026, 11, 17, 12)) and rev.met_at is None
    again = clocks(created, events + [("submitted", local(2026, 11, 17, 10))])[("revision", 1)]
    assert again.met_at == local(2026, 11, 17, 10)


def test_cancel_stops_open_clocks():
    c = clocks(local(2026, 11, 16, 9), [("cancelled", local(2026, 11, 16, 10))])
    assert c[("ack", 0)].stopped_at == local(2026, 11, 16, 10)
    assert clock_view(c[("ack", 0)], BUSINESS, local(2026, 11, 20))["status"] == "stopped"


@pytest.mark.parametrize("hour,status", [(10, "on_track"), (15, "at_risk"), (17, "breached")])
def test_status_by_share_of_time_elapsed(hour, status):
    c = clocks(local(2026, 11, 16, 9), [("claimed", local(2026, 11, 16, 9))])[("turnaround", 0)]
    view = clock_view(c, BUSINESS, local(2026, 11, 16, hour))
    assert view["status"] == status
    if status == "at_risk":
        assert view["why"] == {"reason": "share_elapsed", "share_elapsed": 0.75}
        assert view["elapsed_hours"] == 6 and view["remaining_hours"] == 2


def test_met_and_late_clocks():
    created = local(2026, 11, 16, 9)
    on_time = clocks(created, [("claimed", local(2026, 11, 16, 10))])[("ack", 0)]
    late = clocks(created, [("claimed", local(2026, 11, 17, 10))])[("ack", 0)]
    assert clock_view(on_time, BUSINESS, local(2026, 11, 18))["status"] == "met"
    view = clock_view(late, BUSINESS, local(2026, 11, 18))
    assert view["status"] == "breached" and view["remaining_hours"] == -5


def test_at_risk_when_the_assignee_cannot_finish_in_their_own_hours():
    """Manila specialist, 8 hours of work accepted at Monday 09:00 New York (22:00 Manila): they
    start Tuesday 09:00 Manila and finish Tuesday 17:00 Manila = 04:00 New York, on time for a 24x7
    target due Tuesday 09:00 New York; with a 12-hour estimate they finish Wednesday, late."""
    manila = WorkWeek(NINE_TO_FIVE, "Asia/Manila")
    accepted = local(2026, 11, 16, 9)
    policy = Policy(1, 24, 0.9, "24x7")
    for estimate, late in ((8, False), (12, True)):
        c = clocks(accepted, [("accepted", accepted)], estimate=estimate, policy=policy,
                   week=always())[("turnaround", 0)]
        now = accepted + timedelta(hours=1)
        finish = forecast_finish(manila, accepted, now, estimate)
        view = clock_view(c, always(), now, finish)
        assert view["status"] == ("at_risk" if late else "on_track")
        if late:
            assert view["why"]["reason"] == "forecast_late"


def test_a_calendar_without_hours_counts_wall_time():
    empty = WorkWeek({}, "UTC")
    c = clocks(datetime(2026, 11, 16, tzinfo=timezone.utc), week=empty)[("ack", 0)]
    assert c.due_at == datetime(2026, 11, 16, 4, tzinfo=timezone.utc)

"""The routing engine on plain data: follow the sun, filters, capacity and explanations."""
from datetime import timedelta

import pendulum
import pytest

from broker.routing.assign import assign_round
from broker.routing.engine import Round
from broker.routing.explain import Explainer
from broker.routing.round_data import SpecialistInput, TaskInput, Weights
from broker.worktime.arithmetic import WorkWeek
from broker.worktime.weekly_hours import WEEKDAYS

WEEKDAYS_ONLY = WEEKDAYS[:5]
NOW = pendulum.datetime(2026, 11, 24, 17, 30, tz="America/New_York")  # Tuesday 22:30 UTC


def hours(start, end, days=WEEKDAYS_ONLY):
    return {d: [[start, end]] for d in days}


def person(id_, tz, start, end, skills=None, capacity=3, load=0, days=WEEKDAYS_ONLY, **extra):
    return SpecialistInput(id=id_, name=f"S{id_}", tz=tz, skills=skills or {"google_ads": 4},
                           capacity=capacity, load=load, queued_hours=extra.pop("queued", 0.0),
                           week=WorkWeek(hours(start, end, days), tz), **extra)


def task(id_, priority="urgent", est=4.0, skills=(("google_ads", 3),), target_hours=8, **extra):
    return TaskInput(id=id_, brief_id=extra.pop("brief_id", 1), priority=priority, estimate_hours=est,
                     skills=skills, target_at=NOW + timedelta(hours=target_hours),
                     created_at=NOW, **extra)


def decide(specialists, tasks, now=NOW, weights=Weights()):
    rnd = Round(specialists, tasks, now, weights)
    return rnd, assign_round(rnd)


def test_urgent_new_york_evening_task_goes_to_the_specialist_whose_day_is_starting():
    asleep = person(1, "Asia/Manila", "09:00", "18:00")        # 06:30 local: asleep until 09:00
    starting = person(2, "Asia/Manila", "07:00", "16:00")      # starts in half an hour
    ending = person(3, "America/New_York", "09:00", "18:00")   # ends at 18:00 today
    rnd, (decision,) = decide([asleep, ending, starting], [task(10)])
    assert decision.specialist_id == 2
    explanation = Explainer(rnd).explain(decision)
    names = [c["specialist_id"] for c in explanation["candidates"]]
    assert names == [2, 1, 3]
    win = explanation["winner"]
    assert "starts Wed 07:00 local, in 0.5 h" in win["availability"]
    assert "working now (17:30 local) until 18:00 local" in explanation["candidates"][2]["availability"]
    assert "off now (06:30 local); starts Wed 09:00 local" in explanation["candidates"][1]["availability"]
    assert explanation["summary"].startswith("Offered to S2 (Asia/Manila)")
    assert "finishing sooner" in explanation["summary"]
    assert win["factors"]["on_time"] == 1.0 and explanation["candidates"][2]["factors"]["on_time"] < 0.5


def test_a_skill_nobody_has_keeps_the_task_waiting_with_the_reason():
    rnd, (decision,) = decide([person(1, "UTC", "09:00", "17:00")],
                              [task(10, skills=(("paid_media", 4),))])
    assert decision.specialist_id is None
    assert decision.reason == "no active specialist has paid_media level 4"
    assert Explainer(rnd).explain(decision)["summary"] == \
        "Waiting in the queue: no active specialist has paid_media level 4."


def test_inactive_and_off_specialists_are_filtered_and_counted():
    people = [person(1, "UTC", "09:00", "17:00", active=False),
              person(2, "UTC", "09:00", "17:00", off_now=True),
              person(3, "UTC", "09:00", "17:00", capacity=1, load=1)]
    _, (decision,) = decide(people, [task(10)])
    assert decision.specialist_id is None
    assert decision.reason == ("all 2 qualified specialists are unavailable: 1 at capacity, "
                               "1 on time off")


def test_nobody_gets_more_than_their_free_places_and_urgent_work_goes_first():
    people = [person(1, "UTC", "00:00", "24:00", capacity=2, load=1),
              person(2, "UTC", "00:00", "24:00", capacity=1)]
    tasks = [task(i, priority=p) for i, p in enumerate(["low", "normal", "urgent", "high"], 1)]
    _, decisions = decide(people, tasks)
    given = {d.task_id: d.specialist_id for d in decisions}
    assert given[1] is None and given[2] is None  # the low and normal ones wait
    assert sorted([given[3], given[4]]) == [1, 2]
    waiting = next(d for d in decisions if d.task_id == 1)
    assert "2 at capacity" in waiting.reason


def test_declined_or_lapsed_specialists_are_not_offered_the_task_again():
    people = [person(1, "UTC", "00:00", "24:00"), person(2, "UTC", "00:00", "24:00")]
    _, (first,) = decide(people, [task(10, excluded=frozenset({1}))])
    assert first.specialist_id == 2
    _, (second,) = decide(people, [task(10, excluded=frozenset({1, 2}))])
    assert second.specialist_id is None
    assert "2 declined it or let the offer lapse" in second.reason


def test_work_already_queued_pushes_the_projected_finish_back():
    busy = person(1, "UTC", "00:00", "24:00", queued=30.0)
    free = person(2, "UTC", "00:00", "24:00", queued=0.0)
    _, (decision,) = decide([busy, free], [task(10)])
    assert decision.specialist_id == 2


def test_continuity_and_manager_overlap_break_ties():
    a = person(1, "UTC", "00:00", "24:00")
    b = person(2, "UTC", "00:00", "24:00", briefs=frozenset({7}))
    _, (decision,) = decide([a, b], [task(10, brief_id=7)])
    assert decision.specialist_id == 2
    manager = WorkWeek(hours("09:00", "17:00"), "America/New_York")
    night = person(3, "Asia/Manila", "09:00", "17:00")   # no overlap with New York office hours
    day = person(4, "America/Bogota", "09:00", "17:00")  # nearly all of it
    _, (decision,) = decide([night, day], [task(11, needs_overlap=True, manager_week=manager,
                                                 target_hours=200, priority="low")])
    assert decision.specialist_id == 4


def test_unknown_weights_are_refused():
    with pytest.raises(ValueError, match="unknown routing weights: speedy"):
        Weights.from_config({"speedy": 1})


def test_rounds_with_nobody_or_nothing_decide_cleanly():
    _, (decision,) = decide([], [task(10)])
    assert decision.specialist_id is None
    assert decision.reason == "no active specialist has google_ads level 3"
    _, decisions = decide([person(1, "UTC", "09:00", "17:00")], [])
    assert decisions == []
    over = person(2, "UTC", "00:00", "24:00", capacity=1, load=3)  # capacity lowered below load
    _, (decision,) = decide([over], [task(11)])
    assert decision.specialist_id is None and "1 at capacity" in decision.reason


def test_urgency_holds_when_the_flow_was_given_too_few_arcs(monkeypatch):
    """With one arc per task and per place the flow gives a loose low task a place that a high
    task could have had, and the high task is left waiting with no free place; it takes that
    place back, and the low tasks wait."""
    import broker.routing.assign as assign
    monkeypatch.setattr(assign, "ALTERNATIVES", 1)
    monkeypatch.setattr(assign, "PER_PLACE", 1)
    soonest = person(1, "America/New_York", "00:00", "24:00", days=WEEKDAYS, capacity=1)
    later = [person(i, "Asia/Manila", "09:00", "18:00", capacity=1) for i in range(2, 7)]
    high = [task(100 + i, "high", target_hours=6) for i in range(6)]
    low = [task(200 + i, "low", target_hours=24 * 14) for i in range(6)]
    rnd, decisions = decide([soonest, *later], high + low)
    placed = {d.task_id for d in decisions if d.specialist_id is not None}
    assert placed == {t.id for t in high}
    assert all(d.reason for d in decisions if d.task_id >= 200)

"""Synthetic arrivals: repeatable from the seed, shaped by the managers' local week, sound tasks."""
from dataclasses import replace
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest

from broker.planning.demo import demo_scenario
from broker.planning.scenario import Manager
from broker.planning.workload import DEFAULT_SKILLS, arrivals


@pytest.fixture(scope="module")
def demo():
    return demo_scenario(weeks=2)


def test_the_same_seed_draws_the_same_work_and_another_seed_other_work(demo):
    assert arrivals(demo) == arrivals(demo)
    assert arrivals(demo) != arrivals(replace(demo, seed=demo.seed + 1))


def test_about_the_asked_number_of_tasks_arrive(demo):
    expected = demo.workload.tasks_per_week * demo.weeks
    assert 0.8 * expected < len(arrivals(demo)) < 1.2 * expected


def test_briefs_arrive_in_the_posting_managers_own_working_hours(demo):
    hours = tuple(1.0 if h == 10 else 0.0 for h in range(24))  # only 10:00-11:00 local
    workload = replace(demo.workload, hour_weights=hours, weekday_weights=(1, 1, 1, 1, 1, 0, 0))
    managers = (Manager("Kim", "Asia/Seoul"), Manager("Ada", "America/Denver"))
    tasks = arrivals(replace(demo, workload=workload, managers=managers))
    assert tasks
    for task in tasks:
        local = task.posted_at.astimezone(ZoneInfo(managers[task.manager].timezone))
        assert local.hour == 10 and local.weekday() < 5
        assert demo.start <= task.posted_at < demo.start + timedelta(weeks=demo.weeks)


def test_tasks_are_sound(demo):
    tasks = arrivals(demo)
    ids = {t.id: t for t in tasks}
    for task in tasks:
        assert task.work_type in demo.workload.work_types
        assert task.estimate_hours >= 0.5 and task.effort_hours > 0
        defaults = dict(DEFAULT_SKILLS[task.work_type])
        assert all(defaults[skill] <= level <= defaults[skill] + 1 for skill, level in task.skills)
        if task.due_at is not None:
            assert task.due_at > task.posted_at
            local = task.due_at.astimezone(ZoneInfo(demo.managers[task.manager].timezone))
            assert (local.hour, local.minute) == (17, 0)
        if task.after is not None:  # waits for an earlier task of the same brief
            assert ids[task.after].brief_id == task.brief_id and task.after < task.id


def test_actual_effort_spreads_around_the_estimate(demo):
    ratios = sorted(t.effort_hours / t.estimate_hours for t in arrivals(demo))
    median = ratios[len(ratios) // 2]
    assert 0.85 < median < 1.15
    assert ratios[0] < 0.8 and ratios[-1] > 1.25  # lognormal: both ways

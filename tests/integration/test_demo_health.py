"""The demo reads like a healthy team whatever day it is loaded: four weeks of history ending near
now, 85-95 % of turnaround targets met, a few breached with their reasons, cycle times in hours
for short work and days for long work, and every dashboard chart with something to say."""
from datetime import timedelta

import pytest

from broker.extensions import db
from broker.timeutil import utcnow
from sla.reporting import sla_reports
from tasks.models import Task, TaskEvent


@pytest.mark.parametrize("days_back", [0, 2.6])
def test_the_demo_is_healthy_at_different_nows(app, ctx, days_back):
    now = (utcnow() - timedelta(days=days_back)).replace(microsecond=0)
    result = app.test_cli_runner().invoke(args=["demo", "--at", now.isoformat()])
    assert result.exit_code == 0, result.output
    reports = sla_reports(now - timedelta(days=28), now, ("week", "work_type"), now)
    total = reports["week"]["total"]
    assert 85 <= total["attainment_pct"] <= 95, total
    assert len(reports["week"]["rows"]) >= 4  # spread over the four weeks
    assert total["decided"] >= 50 and total["hours_lost"] < 400
    assert all(row["tasks"] for row in reports["work_type"]["rows"])
    assert total["median_cycle_hours"] < 24 < total["p90_cycle_hours"]  # hours and days
    tasks = db.session.query(Task).all()
    assert max(t.created_at for t in tasks) > now - timedelta(days=2)  # ends near now
    assert min(t.created_at for t in tasks) < now - timedelta(days=21)
    late = [t for t in tasks if t.first_submitted_at and t.due_at and t.first_submitted_at > t.due_at]
    assert 2 <= len(late)
    reasons = {e.task_id for e in db.session.query(TaskEvent).filter(TaskEvent.type == "blocked")}
    assert all(t.id in reasons for t in late if t.state == "approved" and t.created_at < now - timedelta(days=12))

"""Time the set-based SLA sweep against a naive per-row Python loop over the same open tasks.

    .venv/bin/python bench/sla_sweep.py [--tasks 100000] [--database-url URL ...]

Without --database-url it runs on a throwaway SQLite file and on a scratch PostgreSQL database
(broker_sla_bench on 127.0.0.1, created and dropped here). Data is seeded (same rows every run)
and bulk-inserted with Core executemany. The state is a steady one: clocks spread from 3 days
behind to 3 days ahead of the sweep instant, and every step whose instant passed more than ten
minutes earlier already fired (as a sweep a minute ago would have left it), so the sweep has a few
hundred steps to fire among 100,000 open tasks. The naive loop does the same job row by row
(ORM objects, each task's clocks loaded on their own, status worked out in Python, one existence
query per crossed step) inside a transaction that is rolled back, then the real sweep runs.
"""
import argparse
import os
import random
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import sqlalchemy as sa  # noqa: E402
from flask_migrate import upgrade  # noqa: E402

from broker.app import create_app  # noqa: E402
from broker.extensions import db  # noqa: E402
from broker.people.models import User  # noqa: E402
from sla.sweep import ESCALATION_STEPS  # noqa: E402
from tasks.models import Brief, Task  # noqa: E402

NOW = datetime(2030, 3, 6, 12, 0, tzinfo=timezone.utc)
PG_ADMIN = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
PG_SCRATCH = "broker_sla_bench"
STATES = [("queued", 25), ("offered", 10), ("in_progress", 35), ("blocked", 10),
          ("submitted", 10), ("changes_requested", 10)]
# Each escalation step and the clock column whose instant triggers it.
STEP_COLUMNS = {step: column for step, (column, _event) in ESCALATION_STEPS.items()}


def _clock(task_id, target, cycle, start, due, paused=None, met=None):
    budget = max((due - start).total_seconds() / 3600, 0.5)
    return {"task_id": task_id, "target": target, "cycle": cycle, "calendar": "24x7",
            "budget_hours": budget, "started_at": start, "warn_at": start + (due - start) * 0.75,
            "due_at": due, "escalate_at": due + timedelta(hours=4), "paused_since": paused,
            "met_at": met, "stopped_at": None}


def generate(n: int, rng: random.Random, specialists: list[int], brief_ids: list[int]):
    """Rows for tasks, their clocks, and the steps an earlier sweep would have fired."""
    tasks, clocks = [], []
    states = [s for s, weight in STATES for _ in range(weight)]
    for task_id in range(1, n + 1):
        state = rng.choice(states)
        due = NOW + timedelta(minutes=rng.uniform(-3 * 24 * 60, 3 * 24 * 60))
        created = due - timedelta(hours=rng.choice([4, 8, 24, 48]))
        assignee = None if state == "queued" else rng.choice(specialists)
        tasks.append({"id": task_id, "brief_id": rng.choice(brief_ids), "title": f"Task {task_id}",
                      "work_type": "video_editing", "skills": [], "priority": "normal",
                      "estimate_hours": 4.0, "due_at": None, "needs_manager_overlap": False,
                      "state": state, "assignee_id": assignee, "version": 1,
                      "offer_expires_at": NOW + timedelta(hours=1) if state == "offered" else None,
                      "created_at": created})
        ack_due = created + (due - created) / 4
        acked = None if state in ("queued", "offered") else min(ack_due, NOW)
        clocks.append(_clock(task_id, "ack", 0, created, ack_due, met=acked))
        if state in ("submitted", "changes_requested"):
            clocks.append(_clock(task_id, "turnaround", 0, created, due, met=min(due, NOW)))
        else:
            paused = NOW - timedelta(hours=1) if state == "blocked" else None
            clocks.append(_clock(task_id, "turnaround", 0, created, due, paused=paused))
        if state == "changes_requested":
            clocks.append(_clock(task_id, "revision", 1, NOW - timedelta(hours=2),
                                 NOW + timedelta(minutes=rng.uniform(-120, 240))))
    return tasks, clocks


def fired_before(clocks, tasks) -> list[dict]:
    """Steps a sweep ten minutes ago would already have fired (steady state)."""
    earlier = NOW - timedelta(minutes=10)
    rows = []
    for c in clocks:
        if c["met_at"] or c["stopped_at"]:
            continue
        for step, column in STEP_COLUMNS.items():
            instant = c[column]
            if instant > earlier or (c["paused_since"] and instant > c["paused_since"]):
                continue
            if step == "warning" and tasks[c["task_id"] - 1]["assignee_id"] is None:
                continue
            rows.append({"task_id": c["task_id"], "target": c["target"], "cycle": c["cycle"],
                         "step": step, "due_at": c["due_at"], "fired_at": earlier})
    return rows


def seed(n: int) -> dict:
    from sla.models import SlaClock, SlaEscalation
    rng = random.Random(20261124)
    conn = db.session.connection()
    conn.execute(sa.insert(User.__table__), [
        {"id": i, "email": f"u{i}@bench.test", "name": f"User {i}", "role": "specialist" if i > 1 else "manager",
         "timezone": "Asia/Manila", "active": True, "digest_hour": 9, "created_at": NOW}
        for i in range(1, 52)])
    brief_ids = list(range(1, 1001))
    conn.execute(sa.insert(Brief.__table__), [
        {"id": b, "title": f"Brief {b}", "description": "", "objective": "pipeline",
         "success_metric": "demos", "owner_id": 1, "created_at": NOW} for b in brief_ids])
    tasks, clocks = generate(n, rng, list(range(2, 52)), brief_ids)
    started = time.perf_counter()
    for chunk in range(0, len(tasks), 20000):
        conn.execute(sa.insert(Task.__table__), tasks[chunk:chunk + 20000])
    for chunk in range(0, len(clocks), 20000):
        conn.execute(sa.insert(SlaClock.__table__), clocks[chunk:chunk + 20000])
    before = fired_before(clocks, tasks)
    if before:
        conn.execute(sa.insert(SlaEscalation.__table__), before)
    if conn.dialect.name == "postgresql":
        conn.execute(sa.text("select setval('tasks_id_seq', (select max(id) from tasks))"))
        conn.execute(sa.text("select setval('users_id_seq', 60)"))
        conn.execute(sa.text("select setval('briefs_id_seq', 2000)"))
    db.session.commit()
    if conn.dialect.name == "postgresql":
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as c:
            c.execute(sa.text("analyze"))
    return {"tasks": len(tasks), "clocks": len(clocks), "already_fired": len(before),
            "insert_s": time.perf_counter() - started}


def naive_loop(now: datetime) -> int:
    """What a first implementation would do: every open task, its clocks, status in Python."""
    from broker.worktime.arithmetic import always
    from sla.models import SlaClock, SlaEscalation
    from sla.queries import _clock
    from sla.status import clock_view
    from tasks.services import record_event
    week, fired = always(), 0
    open_tasks = db.session.scalars(sa.select(Task).where(Task.state.not_in(["approved", "cancelled"]))).all()
    for task in open_tasks:
        for row in db.session.scalars(sa.select(SlaClock).where(SlaClock.task_id == task.id)):
            clock = _clock(row)
            if clock_view(clock, week, now)["status"] in ("met", "stopped"):
                continue
            for step, column in STEP_COLUMNS.items():
                instant = getattr(row, column)
                if instant > now or (row.paused_since and instant > row.paused_since):
                    continue
                if step == "warning" and task.assignee_id is None:
                    continue
                if db.session.scalar(sa.select(SlaEscalation.id).where(
                        SlaEscalation.task_id == row.task_id, SlaEscalation.target == row.target,
                        SlaEscalation.cycle == row.cycle, SlaEscalation.step == step)):
                    continue
                db.session.add(SlaEscalation(task_id=row.task_id, target=row.target, cycle=row.cycle,
                                             step=step, due_at=row.due_at, fired_at=now))
                record_event(task, f"sla_{step}", None, now, task.state, task.state, {"target": row.target})
                fired += 1
    db.session.rollback()
    return fired


def run_on(url: str, n: int) -> dict:
    from sla.sweep import escalate_breaches
    app = create_app({"SECRET_KEY": "bench", "SQLALCHEMY_DATABASE_URI": url, "BROKER_SCHEDULER": "off",
                      "SQLALCHEMY_ENGINE_OPTIONS": {}})
    with app.app_context():
        upgrade()
        stats = seed(n)
        started = time.perf_counter()
        naive_fired = naive_loop(NOW)
        stats["naive_s"] = time.perf_counter() - started
        db.session.remove()
        started = time.perf_counter()
        result = escalate_breaches(NOW)
        stats["sweep_s"] = time.perf_counter() - started
        started = time.perf_counter()
        again = escalate_breaches(NOW)
        stats["rerun_s"] = time.perf_counter() - started
        stats["fired"] = sum(result[s] for s in STEP_COLUMNS)
        stats["withdrawn"] = result["offers_withdrawn"]
        assert stats["fired"] == naive_fired, (stats["fired"], naive_fired)
        assert sum(again[s] for s in STEP_COLUMNS) == 0
        stats["backend"] = db.engine.dialect.name
        db.session.remove()
        db.engine.dispose()
    return stats


def scratch_pg():
    admin = sa.create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f"drop database if exists {PG_SCRATCH}"))
        conn.execute(sa.text(f"create database {PG_SCRATCH}"))
    return admin, PG_ADMIN.rsplit("/", 1)[0] + "/" + PG_SCRATCH


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tasks", type=int, default=100_000)
    parser.add_argument("--database-url", action="append", default=[])
    args = parser.parse_args()
    os.environ.setdefault("NO_PROXY", "127.0.0.1,localhost")
    results, admin = [], None
    urls = args.database_url
    with tempfile.TemporaryDirectory() as tmp:
        if not urls:
            admin, pg_url = scratch_pg()
            urls = [f"sqlite:///{tmp}/bench.db", pg_url]
        try:
            for url in urls:
                results.append(run_on(url, args.tasks))
        finally:
            if admin is not None:
                with admin.connect() as conn:
                    conn.execute(sa.text(f"drop database if exists {PG_SCRATCH} with (force)"))
    header = f"{'backend':10} {'tasks':>7} {'clocks':>7} {'insert s':>8} {'fired':>6} {'withdrawn':>9} " \
             f"{'sweep s':>8} {'rerun s':>8} {'naive s':>8} {'speed-up':>8}"
    print(header)
    print("-" * len(header))
    for r in results:
        print(f"{r['backend']:10} {r['tasks']:>7} {r['clocks']:>7} {r['insert_s']:>8.2f} {r['fired']:>6} "
              f"{r['withdrawn']:>9} {r['sweep_s']:>8.3f} {r['rerun_s']:>8.3f} {r['naive_s']:>8.2f} "
              f"{r['naive_s'] / r['sweep_s']:>7.0f}x")


if __name__ == "__main__":
    main()

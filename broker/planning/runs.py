"""Planning runs for the /planning page: started in a request, worked in a background thread.

A simulated month takes seconds and a plan search minutes: too long for a web request. The
request stores a run and hands the work to this process's planning thread (one, so runs queue
rather than crowd the CPU); the thread writes its progress and result to the run's row, which
the page polls through any worker. A run whose thread went away (its worker restarted) stops
sending heartbeats and reads as failed.
"""
import logging
import threading
import time
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import datetime, timedelta

from flask import Flask
from sqlalchemy import select, update

from broker.db_events import writing
from broker.errors import NotFound
from broker.extensions import db
from broker.people import permissions
from broker.people.models import User
from broker.planning.changes import apply_changes, parse_change
from broker.planning.models import PlanningRun
from broker.planning.runner import simulate
from broker.planning.scenario import Scenario
from broker.planning.search import plan
from broker.timeutil import utcnow
from broker.unit_of_work import transaction

log = logging.getLogger(__name__)
STALE_AFTER = timedelta(minutes=3)  # no heartbeat for this long: the thread is gone
BEAT_EVERY = 1.0                    # seconds between progress writes
_executor: ThreadPoolExecutor | None = None
_executor_lock = threading.Lock()
_futures: dict[int, Future] = {}


def _pool() -> ThreadPoolExecutor:
    global _executor
    with _executor_lock:
        if _executor is None:
            _executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="planning")
        return _executor


def require_planner(actor: User):
    permissions.require(actor, permissions.PLAN, "Planning is for managers and admins.")


@transaction
def start_run(app: Flask, actor: User, kind: str, scenario: Scenario, params: dict,
              now: datetime) -> PlanningRun:
    """Store the run and queue its work on this process's planning thread."""
    require_planner(actor)
    run = PlanningRun(requested_by=actor.id, kind=kind, params=params, state="queued",
                      progress=0.0, note="waiting for the planning thread", created_at=now,
                      heartbeat_at=now)
    db.session.add(run)
    db.session.commit()
    _futures[run.id] = _pool().submit(_work, app, run.id, kind, scenario, params)
    return run


def wait_for(run_id: int, timeout: float) -> None:
    """Block until this process's thread has finished the run (for tests and scripts)."""
    future = _futures.get(run_id)
    if future is not None:
        future.result(timeout=timeout)


def run_for(actor: User, run_id: int) -> PlanningRun:
    require_planner(actor)
    run = db.session.get(PlanningRun, run_id)
    if run is None:
        raise NotFound(f"Planning run {run_id} does not exist.")
    return run


def recent_runs(actor: User, limit: int = 10) -> list[PlanningRun]:
    require_planner(actor)
    return list(db.session.scalars(select(PlanningRun).order_by(PlanningRun.id.desc()).limit(limit)))


def status(run: PlanningRun, now: datetime) -> dict:
    """What the page's polling reads: state (a silent unfinished run reads as failed), progress."""
    state, error = run.state, run.error
    if state in ("queued", "running") and now - run.heartbeat_at > STALE_AFTER:
        state, error = "failed", "The process working on this run stopped; start it again."
    return {"id": run.id, "kind": run.kind, "state": state, "progress": round(run.progress, 3),
            "note": run.note, "error": error, "created_at": run.created_at.isoformat(),
            "finished_at": run.finished_at.isoformat() if run.finished_at else None}


def execute(kind: str, scenario: Scenario, params: dict, progress) -> dict:
    """The run's work on plain data: strategies (and what-ifs) side by side, or a plan."""
    if kind == "plan":
        return {"plan": plan(scenario, params["target"], params["max_added"], progress)}
    strategies = tuple(params["strategies"])
    changes = [parse_change(text) for text in params["changes"]]
    parts = 2 if changes else 1
    baseline = simulate(scenario, strategies, lambda share: progress(share / parts, "as is"))
    what_if = None
    if changes:
        what_if = simulate(apply_changes(scenario, changes), strategies,
                           lambda share: progress(0.5 + share / 2, "with the changes"))
        what_if["changes"] = [c.text for c in changes]
    return {"baseline": baseline, "what_if": what_if}


def _work(app: Flask, run_id: int, kind: str, scenario: Scenario, params: dict):
    """The planning thread: run, report progress, store the outcome; never raises."""
    with app.app_context(), writing():
        try:
            _save(run_id, state="running", started_at=utcnow(), note="simulating")
            result = execute(kind, scenario, params, _Beat(run_id))
            _save(run_id, state="done", progress=1.0, note="done", result=result,
                  finished_at=utcnow())
        except Exception as exc:  # the run fails, the thread lives on for the next one
            log.exception("planning run %s failed", run_id)
            db.session.rollback()
            _save(run_id, state="failed", error=f"The run failed: {exc}", finished_at=utcnow())
        finally:
            db.session.remove()
            _futures.pop(run_id, None)


class _Beat:
    """Progress reports, written at most once a BEAT_EVERY seconds (each is a heartbeat)."""

    def __init__(self, run_id: int):
        self.run_id, self.last = run_id, 0.0

    def __call__(self, share: float, note: str | None = None):
        if time.monotonic() - self.last >= BEAT_EVERY:
            self.last = time.monotonic()
            _save(self.run_id, progress=max(0.0, min(share, 0.99)), **({"note": note} if note else {}),
                  queued_behind=[i for i in list(_futures) if i != self.run_id])


@transaction
def _save(run_id: int, queued_behind: list | None = None, **values):
    """Write the run's new values and its heartbeat (and that of the runs waiting behind it in
    this process, which are alive as long as this thread is)."""
    now = utcnow()
    run = db.session.get(PlanningRun, run_id)
    for key, value in values.items():
        setattr(run, key, value)
    run.heartbeat_at = now
    if queued_behind:
        db.session.execute(update(PlanningRun).where(
            PlanningRun.id.in_(queued_behind), PlanningRun.state == "queued").values(heartbeat_at=now))
    db.session.commit()


"""APScheduler wiring: one declared job list, one elected scheduler however many workers run."""
import fcntl
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.blocking import BlockingScheduler
from sqlalchemy import text

from broker.db_events import writing
from broker.extensions import db
from broker.scheduler_wakeups import start_wakeups
from broker.timeutil import utcnow

log = logging.getLogger(__name__)
LOCK_KEY = 0x42524B52  # "BRKR": the advisory lock that elects the scheduler on PostgreSQL
STATE_KEY = "broker_scheduler"
ELECTION_SECONDS = 15  # how often a standby tries to become the leader (and a leader checks)


@dataclass(frozen=True)
class Job:
    name: str
    run: Callable  # run(now) inside an app context
    seconds: int


def _expire_offers(now):
    from tasks.services import expire_offers
    return expire_offers(now)


def _route_tasks(now):
    from broker.routing.service import route_round
    return route_round(now)


def _sla_sweep(now):
    from sla.sweep import escalate_breaches, summary
    return summary(escalate_breaches(now))


def _deliver_outbox(now):
    from notifications.delivery import deliver_outbox
    return deliver_outbox(now)


def _post_templates(now):
    from tasks.templates import post_scheduled
    return post_scheduled(now)


def _send_digests(now):
    from notifications.digests import send_digests
    return send_digests(now)


JOBS = [
    Job("expire_offers", _expire_offers, 30),
    Job("route_tasks", _route_tasks, 30),
    Job("sla_sweep", _sla_sweep, 60),
    Job("deliver_outbox", _deliver_outbox, 15),
    # Users are due from their local digest hour until local midnight, so a missed run is caught
    # up by the next one; the (user, local day) key makes reruns send nothing twice.
    Job("send_digests", _send_digests, 300),
    # Each template's latest slot is posted once (unique per template and period), so a missed
    # run catches up with one post however many periods passed; `broker templates post --at`.
    Job("post_templates", _post_templates, 60),
]


def intervals(app) -> dict[str, float]:
    """Seconds between runs of each job and of the election: SCHEDULER_INTERVALS over the
    defaults; a name that is no job stops the start (a typo would silently keep the default)."""
    chosen = app.config.get("SCHEDULER_INTERVALS") or {}
    defaults = {job.name: job.seconds for job in JOBS} | {"election": ELECTION_SECONDS}
    unknown = sorted(set(chosen) - set(defaults))
    if unknown:
        raise ValueError(f"BROKER_SCHEDULER_INTERVALS names no job: {', '.join(unknown)} "
                         f"(jobs: {', '.join(defaults)})")
    return defaults | chosen


def scheduler_state(app) -> dict:
    """What the scheduler in this process is doing, for /health."""
    state = app.extensions.get(STATE_KEY)
    if state is None:
        return {"running": False, "role": "off"}
    return {"running": state["scheduler"].running, "role": state["role"],
            "jobs": [job.name for job in JOBS]}


def _guarded(app, job: Job, busy: "threading.Lock | None" = None, wait: bool = False):
    """The job in an app context, logged and surviving its failures. With `busy`, one run of the
    job at a time: a run that finds another under way waits for it (`wait`, a wake-up: the
    change it was woken for may have come after that run's reads) or leaves it the work."""
    def run():
        if busy is not None and not busy.acquire(blocking=wait):
            return
        try:
            _run(app, job)
        finally:
            if busy is not None:
                busy.release()
    return run


def _run(app, job: Job):
    with app.app_context(), writing():
        try:
            result = job.run(utcnow())
            log.info("job %s done: %s", job.name, result)
        except Exception:
            db.session.rollback()
            log.exception("job %s failed; it will run again at its next interval", job.name)


class Election:
    """Holds the lock that makes this process the one scheduler: a PostgreSQL advisory lock on a
    connection kept open, or a file lock beside the SQLite database (one host only)."""

    def __init__(self, app):
        self.app, self.held = app, None

    def try_acquire(self) -> bool:
        with self.app.app_context():
            engine = db.engine
            if engine.dialect.name == "postgresql":
                conn = engine.connect()
                conn.detach()  # its own session: closing it must end the lock, not pool it
                if conn.scalar(text("select pg_try_advisory_lock(:k)"), {"k": LOCK_KEY}):
                    self.held = conn
                    return True
                conn.close()
                return False
            path = self._lock_file(engine.url.database)
        handle = open(path, "w")
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            handle.close()
            return False
        self.held = handle
        return True

    def _lock_file(self, database: str | None) -> str:
        """Beside the SQLite database file, so each database elects its own scheduler (two
        databases in one checkout, such as a test's and the dev server's, do not share one)."""
        if database and database != ":memory:" and not database.startswith("file:"):
            return f"{database}.scheduler.lock"
        return f"{self.app.instance_path}/scheduler.lock"

    def release(self):
        """Give up the leadership. On PostgreSQL the lock is given back before the connection
        closes: closing alone frees it only once the server has ended that session, a moment
        later, so a standby (or a test) asking at once would still find it held."""
        if self.held is not None:
            if hasattr(self.held, "scalar"):
                try:
                    self.held.scalar(text("select pg_advisory_unlock(:k)"), {"k": LOCK_KEY})
                except Exception:  # a dropped connection has given the lock up already
                    log.warning("could not unlock the scheduler election; closing its connection",
                                exc_info=True)
            self.held.close()
            self.held = None

    def still_held(self) -> bool:
        if hasattr(self.held, "scalar"):
            try:
                self.held.scalar(text("select 1"))
            except Exception:
                return False
        return self.held is not None


def _add_jobs(app, scheduler, seconds: dict, busy: dict):
    for job in JOBS:
        scheduler.add_job(_guarded(app, job, busy[job.name]), "interval", seconds=seconds[job.name], id=job.name,
                          name=job.name, next_run_time=utcnow(), coalesce=True,
                          max_instances=1, replace_existing=True)


def start(app, blocking: bool = False):
    """Start a scheduler in this process; it runs the jobs only while it holds the election."""
    seconds = intervals(app)
    scheduler = (BlockingScheduler if blocking else BackgroundScheduler)(timezone="UTC")
    election = Election(app)
    busy = {job.name: threading.Lock() for job in JOBS}  # one run of a job at a time
    state = {"scheduler": scheduler, "role": "standby", "election": election}
    app.extensions[STATE_KEY] = state
    state["woken"] = start_wakeups(app, {job.name: _guarded(app, job, busy[job.name], wait=True)
                                         for job in JOBS}, lambda: state["role"] == "leader")

    def campaign():
        if state["role"] == "leader" and not election.still_held():
            log.warning("scheduler lost its election lock; standing down")
            for job in JOBS:
                scheduler.remove_job(job.name)
            state["role"], election.held = "standby", None
        if state["role"] == "standby" and election.try_acquire():
            state["role"] = "leader"
            log.info("this process is the scheduler leader")
            _add_jobs(app, scheduler, seconds, busy)

    scheduler.add_job(campaign, "interval", seconds=seconds["election"], id="election",
                      name="election", next_run_time=utcnow())
    scheduler.start()
    return scheduler


def stop(app):
    """Stop this process's scheduler and its wake-ups, and give up the election (tests, shutdown)."""
    state = app.extensions.pop(STATE_KEY, None)
    if state is not None:
        state["woken"].stop()
        if state["scheduler"].running:
            state["scheduler"].shutdown(wait=True)
        state["election"].release()

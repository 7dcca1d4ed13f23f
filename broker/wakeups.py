"""Wake-ups: a committed change asks the scheduler to run a job now, not at its next interval.

A transaction names the jobs it wants run (request_on_commit); the commit step send_wakeups_in
(declared in broker.app) tells the scheduler, and only if the transaction commits, in whatever
process or machine the scheduler runs. On PostgreSQL it issues NOTIFY inside the transaction: the
database delivers it at COMMIT (and drops it on a rollback) to the scheduler's LISTEN connection.
SQLite has no LISTEN: the transaction bumps the job's counter in `wakeup_signals`, which the
scheduler reads several times a second (broker.scheduler_wakeups.SqliteSignals). The scheduler's
intervals stay the safety net for anything a wake-up misses (a dropped LISTEN connection).
"""
from sqlalchemy import text

from broker.db_events import gathered

CHANNEL = "broker_wakeup"  # the PostgreSQL notification channel
WAKEUPS = "wakeups"        # the key of the job names gathered in a transaction
ROUTE, DELIVER = "route_tasks", "deliver_outbox"  # the scheduler's jobs a change can wake
_BUMP = text("insert into wakeup_signals (job, count) values (:job, 1) "
             "on conflict (job) do update set count = wakeup_signals.count + 1")


def request_on_commit(session, job: str):
    """Ask for `job` to run as soon as the caller's transaction commits (nothing if it rolls back)."""
    gathered(session, WAKEUPS, set).add(job)


def send_wakeups_in(session, jobs: set):
    """Commit step: NOTIFY inside the transaction (PostgreSQL), or bump each job's counter in
    `wakeup_signals` in it (SQLite); either is seen only once the transaction commits."""
    if session.get_bind().dialect.name == "postgresql":
        for job in sorted(jobs):
            session.execute(text("select pg_notify(:channel, :job)"), {"channel": CHANNEL, "job": job})
        return
    session.execute(_BUMP, [{"job": job} for job in sorted(jobs)])

"""Wake-ups: a committed change asks the scheduler to run a job now, not at its next interval.

A transaction names the jobs it wants run (request_on_commit); the commit step send_wakeups_in
(declared in broker.app) tells the scheduler, and only if the transaction commits. On PostgreSQL
it issues NOTIFY inside the transaction: the database delivers it at COMMIT (and drops it on a
rollback) to the scheduler's LISTEN connection, in whatever process or machine that runs. On
SQLite the scheduler of this process, if any, hears of it right after the commit. The scheduler's
intervals stay the safety net for anything a wake-up misses (a scheduler in another process on
SQLite, a dropped LISTEN connection).
"""
import logging
import threading
from collections.abc import Callable

from sqlalchemy import event, text
from sqlalchemy.orm import Session

from broker.db_events import gathered

log = logging.getLogger(__name__)
CHANNEL = "broker_wakeup"  # the PostgreSQL notification channel
WAKEUPS = "wakeups"        # the key of the job names gathered in a transaction
ROUTE, DELIVER = "route_tasks", "deliver_outbox"  # the scheduler's jobs a change can wake
_COMMITTING = "wakeups_committing"  # SQLite: (database, jobs) to announce once the commit is done

_listeners: dict[str, set[Callable[[str], None]]] = {}  # database URL -> this process's schedulers
_lock = threading.Lock()


def request_on_commit(session, job: str):
    """Ask for `job` to run as soon as the caller's transaction commits (nothing if it rolls back)."""
    gathered(session, WAKEUPS, set).add(job)


def send_wakeups_in(session, jobs: set):
    """Commit step: NOTIFY inside the transaction (PostgreSQL), or note the jobs for after it."""
    bind = session.get_bind()
    if bind.dialect.name == "postgresql":
        for job in sorted(jobs):
            session.execute(text("select pg_notify(:channel, :job)"), {"channel": CHANNEL, "job": job})
        return
    session.info[_COMMITTING] = (database_key(bind.url), set(jobs))
    _install_after_commit()


def database_key(url) -> str:
    """One name per database, whoever holds the engine (the URL without its password)."""
    return url.render_as_string(hide_password=True) if hasattr(url, "render_as_string") else str(url)


def listen_in_process(database: str, wake: Callable[[str], None]):
    """Call `wake(job)` after each commit in this process that asks for a job (SQLite)."""
    with _lock:
        _listeners.setdefault(database, set()).add(wake)


def stop_listening(database: str, wake: Callable[[str], None]):
    with _lock:
        _listeners.get(database, set()).discard(wake)


def _install_after_commit():
    if not event.contains(Session, "after_commit", _announce):
        event.listen(Session, "after_commit", _announce)
        event.listen(Session, "after_soft_rollback", _forget)


def _announce(session):
    """After a commit: hand the jobs it asked for to this process's scheduler, if one listens."""
    database, jobs = session.info.pop(_COMMITTING, (None, ()))
    if not jobs:
        return
    with _lock:
        wakes = list(_listeners.get(database, ()))
    for wake in wakes:
        for job in sorted(jobs):
            try:
                wake(job)
            except Exception:  # a wake-up is a hint: the commit has happened and must stand
                log.exception("waking job %s failed; its interval will run it", job)


def _forget(session, _previous_transaction):
    session.info.pop(_COMMITTING, None)

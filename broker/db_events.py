"""Engine tuning for SQLite, and the commit-time steps: work that domain packages gather during a
transaction and write just before it commits. The steps and their order are declared in one list
where the app is composed (broker.app.COMMIT_STEPS); this module only runs them."""
from collections.abc import Callable
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from sqlalchemy import event
from sqlalchemy.orm import Session


@dataclass(frozen=True)
class CommitStep:
    """Before a commit, write(session, work) with the work gathered under `key` (if any)."""

    key: str
    write: Callable[[Session, object], None]


_STEPS: tuple[CommitStep, ...] = ()  # set once by run_before_commit, run in this order

# Whether transactions begun in this context will write. On SQLite they then begin IMMEDIATE:
# a transaction that began by reading cannot take the write lock once another process has
# written ("database is locked" at once, busy timeout or not), while one that asks for the lock
# up front waits its turn. Reads keep beginning DEFERRED, so they never queue behind writers.
WRITE_INTENT: ContextVar[bool] = ContextVar("broker_write_intent", default=False)
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def register_sqlite_pragmas(engine):
    """WAL, foreign keys, a busy timeout, a page cache for large rounds, and SQLAlchemy's
    pysqlite recipe for emitting BEGIN ourselves (the driver's own deferred BEGIN would hide our
    IMMEDIATE)."""
    if engine.dialect.name != "sqlite":
        return

    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_connection, _record):
        dbapi_connection.isolation_level = None  # we emit BEGIN in _begin
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=10000")
        cursor.execute("PRAGMA journal_mode=WAL")
        # Up to 64 MiB of pages per connection (2 MiB by default): a routing round rewrites some
        # 10 MiB of tasks and explanations, which otherwise spill to the WAL before the commit.
        cursor.execute("PRAGMA cache_size=-65536")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(conn):
        conn.exec_driver_sql("BEGIN IMMEDIATE" if WRITE_INTENT.get() else "BEGIN")


@contextmanager
def writing():
    """Transactions begun inside take the write lock up front (SQLite; no effect elsewhere)."""
    token = WRITE_INTENT.set(True)
    try:
        yield
    finally:
        WRITE_INTENT.reset(token)


def register_write_intent(app):
    """A request that may change something (any method but GET, HEAD, OPTIONS) begins its
    transactions as a writer; the flag is set afresh for every request, since a worker thread
    serves many."""
    from flask import request

    @app.before_request
    def _intent():
        WRITE_INTENT.set(request.method not in SAFE_METHODS)

    @app.teardown_request
    def _clear(_exc):
        WRITE_INTENT.set(False)


def run_before_commit(steps: list[CommitStep]):
    """Run `steps` in this order just before every session commit (a step may gather work for a
    later one); a rollback drops whatever was gathered. Declaring them again replaces the list
    (apps are built many times in one process)."""
    global _STEPS
    _STEPS = tuple(steps)
    if not event.contains(Session, "before_commit", _run_steps):
        event.listen(Session, "before_commit", _run_steps)
        event.listen(Session, "after_soft_rollback", _drop_work)


def commit_steps() -> tuple[CommitStep, ...]:
    return _STEPS


def gathered(session, key: str, empty):
    """The work gathered under `key` in this session's transaction (`empty()` to begin with), for
    the commit-time step of that key to write."""
    return session.info.setdefault(key, empty())


def _run_steps(session):
    for step in _STEPS:
        work = session.info.pop(step.key, None)
        if work:
            step.write(session, work)


def _drop_work(session, previous_transaction):
    for step in _STEPS:
        session.info.pop(step.key, None)

"""The scheduler's ears: jobs that committed changes wake (broker.wakeups) run within about a
second instead of at their next interval, debounced (broker.debounce), only while this process is
the elected leader. PostgreSQL: a LISTEN connection of its own, reopened if it drops; SQLite: the
counters of `wakeup_signals`, read several times a second, whichever process committed. The
intervals still run every job as the safety net."""
import logging
import threading
import time
from collections.abc import Callable

from sqlalchemy import text

from broker import wakeups
from broker.debounce import Debounce
from broker.extensions import db

log = logging.getLogger(__name__)
WOKEN = (wakeups.ROUTE, wakeups.DELIVER)  # the jobs a change can wake
RECONNECT_SECONDS = 2.0  # pause before reopening a dropped LISTEN connection
POLL_SECONDS = 1.0       # how often the listener looks up from waiting (to notice a stop)
SIGNALS_SECONDS = 0.2    # SQLite: how often the counters of wakeup_signals are read


class WokenJob:
    """Runs one job on request, once per burst of requests, in a thread of its own."""

    def __init__(self, name: str, run: Callable[[], None], may_run: Callable[[], bool],
                 debounce: Debounce | None = None, clock: Callable[[], float] = time.monotonic):
        self.name, self.run, self.may_run, self.clock = name, run, may_run, clock
        self.debounce = debounce or Debounce()
        self.changed = threading.Condition()
        self.stopped = False
        self.runs = 0
        self.thread = threading.Thread(target=self._loop, name=f"wake-{name}", daemon=True)

    def request(self):
        with self.changed:
            self.debounce.request(self.clock())
            self.changed.notify()

    def stop(self):
        with self.changed:
            self.stopped = True
            self.changed.notify()

    def _loop(self):
        while self._next():
            try:
                if self.may_run():
                    self.runs += 1
                    self.run()
            finally:
                with self.changed:
                    self.debounce.finish(self.clock())

    def _next(self) -> bool:
        """Wait until a run is due (True) or the job is stopped (False)."""
        with self.changed:
            while not self.stopped and not self.debounce.start(self.clock()):
                self.changed.wait(self.debounce.wait(self.clock()))
            return not self.stopped


class PostgresListener:
    """LISTEN on the wake-up channel over a connection of its own; each notification wakes its job."""

    def __init__(self, app, wake: Callable[[str], None]):
        self.app, self.wake = app, wake
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self._loop, name="wake-listener", daemon=True)

    def _loop(self):
        while not self.stopping.is_set():
            try:
                self._listen()
            except Exception:
                log.warning("the wake-up LISTEN connection failed; reopening it in %s s "
                            "(the intervals cover the gap)", RECONNECT_SECONDS, exc_info=True)
                self.stopping.wait(RECONNECT_SECONDS)

    def _listen(self):
        with self.app.app_context():
            conn = db.engine.connect()
        conn.detach()  # its own session, never back in the pool
        try:
            raw = conn.connection.dbapi_connection
            raw.autocommit = True
            raw.execute(f"LISTEN {wakeups.CHANNEL}")
            for job in WOKEN:  # whatever was committed while nobody listened
                self.wake(job)
            while not self.stopping.is_set():
                for note in raw.notifies(timeout=POLL_SECONDS):
                    self.wake(note.payload)
        finally:
            conn.close()


class SqliteSignals:
    """SQLite has no LISTEN: every SIGNALS_SECONDS, read the counter each committed wake-up bumped
    (broker.wakeups) and wake the jobs whose counters moved. Nothing is missed while a read fails
    or a round runs: a counter only grows, so the next read still sees it moved. What was committed
    before the first read is the start-up runs' to handle."""

    def __init__(self, app, wake: Callable[[str], None]):
        self.app, self.wake = app, wake
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self._loop, name="wake-signals", daemon=True)

    def _loop(self):
        seen: dict[str, int] | None = None
        while True:
            try:
                counts = self._read()
            except Exception:
                log.warning("reading wakeup_signals failed; trying again (the intervals cover the gap)",
                            exc_info=True)
            else:
                for job, count in sorted(counts.items()):
                    if seen is not None and count != seen.get(job, 0):
                        self.wake(job)
                seen = counts
            if self.stopping.wait(SIGNALS_SECONDS):
                return

    def _read(self) -> dict[str, int]:
        with self.app.app_context():
            with db.engine.connect() as conn:
                return dict(conn.execute(text("select job, count from wakeup_signals")).all())


class Wakeups:
    """The woken jobs of one scheduler, and what it listens with."""

    def __init__(self, jobs: dict[str, WokenJob]):
        self.jobs = jobs
        self.listener: PostgresListener | SqliteSignals | None = None

    def wake(self, name: str):
        if name in self.jobs:
            self.jobs[name].request()

    def stop(self):
        for job in self.jobs.values():
            job.stop()
        if self.listener is not None:
            self.listener.stopping.set()


def start_wakeups(app, jobs: dict[str, Callable[[], None]], may_run: Callable[[], bool]) -> Wakeups:
    """Threads that run `jobs` (name -> run) when a commit asks for them."""
    woken = Wakeups({name: WokenJob(name, run, may_run) for name, run in jobs.items() if name in WOKEN})
    for job in woken.jobs.values():
        job.thread.start()
    with app.app_context():
        engine = db.engine
    listener = PostgresListener if engine.dialect.name == "postgresql" else SqliteSignals
    woken.listener = listener(app, woken.wake)
    woken.listener.thread.start()
    return woken

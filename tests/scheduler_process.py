"""A real `broker scheduler` process for the crash tests: the console script on the test database
with short intervals, its log in a file the test reads, ended only by SIGKILL."""
import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

BROKER = Path(sys.executable).with_name("broker")  # the console script of this virtualenv
# A leader elected and the outbox retried within a second; every job also runs once at the start,
# and again within seconds (not so often that they queue for SQLite's write lock).
SHORT_INTERVALS = {"election": 1, "deliver_outbox": 1, "expire_offers": 5, "route_tasks": 5,
                   "sla_sweep": 5, "send_digests": 5}


def wait_until(check, timeout: float, what: str, every: float = 0.02):
    """Poll `check()` until it returns something truthy, and return that; fail naming `what`
    after `timeout` seconds (a bound on a wait for an event, never a wait for time to pass).
    Pauses on an Event rather than time.sleep, which fails under faketime's real monotonic clock."""
    deadline, pause = time.monotonic() + timeout, threading.Event()
    while True:
        found = check()
        if found:
            return found
        if time.monotonic() > deadline:
            raise AssertionError(f"waited {timeout} s for {what}")
        pause.wait(every)


class SchedulerProcess:
    """One `broker scheduler` run; `settings` are extra environment variables."""

    def __init__(self, app, log_path: Path, **settings):
        self.log_path, self.process = log_path, None
        self.env = {**os.environ, "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
                    "SECRET_KEY": app.config["SECRET_KEY"],  # it seals the users' webhooks
                    "BROKER_ENV": "development", "NO_PROXY": "127.0.0.1,localhost",
                    "BROKER_SCHEDULER_INTERVALS": json.dumps(SHORT_INTERVALS), **settings}

    def start(self) -> "SchedulerProcess":
        with open(self.log_path, "wb") as log:
            self.process = subprocess.Popen([str(BROKER), "scheduler"], env=self.env, stdout=log,
                                            stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        return self

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def wait_for(self, text: str, timeout: float = 60):
        """Until the log shows `text`; a process that died first fails the wait with its log."""
        def seen():
            if self.process.poll() is not None and text not in self.log():
                raise AssertionError(f"the scheduler exited ({self.process.returncode}):\n{self.log()}")
            return text in self.log()
        wait_until(seen, timeout, f"{text!r} in the scheduler's log", every=0.05)

    def kill(self):
        """SIGKILL: no handler runs, no transaction commits, nothing is flushed or closed."""
        if self.process is not None and self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGKILL)
            self.process.wait()  # at once: a killed process cannot linger

"""When a woken job should run (pure, over an explicit clock): soon after the first request of a
burst, once for the whole burst, and never back to back with itself.

A request starts a short wait (`delay`) that gathers the rest of its burst; requests arriving
before the run starts are served by it, and one arriving during a run asks for one more run
after it. Between the end of a run and the start of the next there is a rest of at least `rest`
seconds and at least as long as the run took, so a job woken without pause (a routing round
while briefs keep coming) uses at most half of the time and leaves room for everyone else (a
round holds the specialists' row locks that claims and accepts need).
"""
from dataclasses import dataclass


@dataclass
class Debounce:
    delay: float = 0.25        # seconds from the first request of a burst to the run
    rest: float = 0.5          # least seconds from the end of one run to the start of the next
    due_at: float | None = None  # when the run asked for should start; None: nothing asked
    running_since: float | None = None
    free_at: float = float("-inf")  # the next run starts no sooner (end of last run + rest)

    def request(self, now: float) -> float:
        """Ask for a run; returns when it is due (unchanged for a request within a burst)."""
        if self.due_at is None:
            self.due_at = max(now + self.delay, self.free_at)
        return self.due_at

    def start(self, now: float) -> bool:
        """Whether a run asked for is due at `now`; if so it starts, and serves the requests so far."""
        if self.due_at is None or now < self.due_at or self.running_since is not None:
            return False
        self.due_at, self.running_since = None, now
        return True

    def finish(self, now: float):
        """The run that started is over: the next one rests at least as long as this one took."""
        took = now - (self.running_since if self.running_since is not None else now)
        self.running_since = None
        self.free_at = now + max(self.rest, took)
        if self.due_at is not None:  # asked for during the run: due after the rest
            self.due_at = max(self.due_at, self.free_at)

    def wait(self, now: float) -> float | None:
        """Seconds until the next run is due (0 if due now), or None when none is asked for."""
        if self.due_at is None or self.running_since is not None:
            return None
        return max(0.0, self.due_at - now)

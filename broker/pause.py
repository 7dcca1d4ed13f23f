"""Named pause points for the crash tests: a process whose BROKER_PAUSE_AT names a point stops
there for good and says so in its log, so a test can SIGKILL it at a known step (say, with a
routing round's offers written but not committed) instead of guessing the moment with sleeps."""
import logging
import threading

from flask import current_app

log = logging.getLogger(__name__)


def pause_point(name: str):
    """Block this thread forever at `name` when BROKER_PAUSE_AT lists it; otherwise do nothing."""
    if name in current_app.config.get("BROKER_PAUSE_AT", ()):
        log.warning("paused at %s (BROKER_PAUSE_AT); waiting to be killed", name)
        threading.Event().wait()

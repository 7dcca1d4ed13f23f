"""Events that tasks emit for sla/ and notifications/ to subscribe to (tasks never imports them)."""
from blinker import Namespace

_signals = Namespace()

# Sent inside the transaction that records the event: sender=Task, event=TaskEvent.
task_event_recorded = _signals.signal("task-event-recorded")

"""The words of the work, defined once (pure): priorities and their ranks, and objectives. Task
states and their sets belong to the state machine, tasks.lifecycle; roles to broker.people.roles."""
URGENT, HIGH, NORMAL, LOW = "urgent", "high", "normal", "low"
PRIORITIES = (URGENT, HIGH, NORMAL, LOW)  # most urgent first
# 0 is the most urgent: the queue, the pick list and routing's rounds order work by it.
PRIORITY_RANK = {priority: rank for rank, priority in enumerate(PRIORITIES)}
DEFAULT_PRIORITY = NORMAL

OBJECTIVES = ("revenue", "pipeline", "retention", "awareness")  # the business result a brief serves

"""Every piece of the product the simulator drives, imported in one place.

The planning package runs the real routing engine, lifecycle rules, SLA clocks and working-time
arithmetic over plain data; nothing here is a copy. When a module of theirs moves or is renamed,
fix its import here and the rest of broker/planning follows.
"""
# Working time: weekly hours in a timezone, time off, and arithmetic over them.
# The API's own fields for a timezone and weekly hours (a scenario file is checked like a profile).
from broker.api.people.schemas import TimezoneField, WorkingHoursField  # noqa: F401

# Routing: plain inputs, the round's filter and score, the round's assignment.
from broker.routing.assign import assign_round  # noqa: F401
from broker.routing.engine import Round  # noqa: F401
from broker.routing.round_data import FACTORS, SpecialistInput, TaskInput, Weights  # noqa: F401
from broker.routing.store import RECORD_PRIOR  # noqa: F401  (the on-time record's prior)

# Settings the scheduler and routing run with (offer windows, default targets, manager hours).
from broker.settings import DEFAULTS as SETTINGS  # noqa: F401
from broker.timeutil import is_timezone, parse_instant, to_utc  # noqa: F401
from broker.worktime.arithmetic import WorkWeek, add_working_hours, working_hours_between, working_spans  # noqa: F401

# SLA: clocks from a task's history, their status, calendars, seeded policies, report arithmetic.
from broker.worktime.calendars import calendar_errors, week_of  # noqa: F401
from broker.worktime.weekly_hours import hours_errors  # noqa: F401
from sla.clocks import Policy, TaskFacts, compute_clocks  # noqa: F401
from sla.defaults import CALENDARS, POLICIES  # noqa: F401
from sla.report_figures import summarise  # noqa: F401
from sla.reporting import _record as report_record  # noqa: F401  (one task's report line)
from sla.status import clock_status  # noqa: F401

# Tasks: the lifecycle table, eligibility to claim, the available list's order, the catalogue.
from tasks.catalogue import WORK_TYPES  # noqa: F401
from tasks.eligibility import Candidate, refusal  # noqa: F401
from tasks.lifecycle import ACTIONS, CHANGES_REQUESTED, IN_PROGRESS, OFFERED, OPEN, QUEUED, next_state  # noqa: F401
from tasks.lifecycle import HOLDS_A_PLACE as LOADED  # noqa: F401
from tasks.queries import urgency_key  # noqa: F401
from tasks.vocabulary import PRIORITIES  # noqa: F401

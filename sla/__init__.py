"""SLA policies, business calendars, clocks, sweeps, escalation and reports."""

"""SLA tracking: business calendars, policies, clocks on tasks, the sweep's escalation ladder, reports."""

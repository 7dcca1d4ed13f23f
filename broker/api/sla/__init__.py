"""/sla: calendars, policies and the SLA report."""

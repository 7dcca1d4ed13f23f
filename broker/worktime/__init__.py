"""Working time in one place (pure): weekly hours in local time (`weekly_hours`), working time
with holidays and time off and the arithmetic over it (`arithmetic`), and business calendars read
as working time (`calendars`). In the base floor, so people, SLA, routing and the dashboard share
one implementation."""

"""API for work types, briefs and tasks."""

"""Briefs and tasks: models, the task lifecycle state machine, events and services."""

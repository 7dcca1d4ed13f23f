"""Outbox, digests, Slack Block Kit rendering and delivery sinks."""

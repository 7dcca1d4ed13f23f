"""Outbound webhooks: endpoints, their delivery log and redelivery (admins)."""

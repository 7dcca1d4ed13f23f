"""Outbound webhooks: endpoints admins register, and one signed delivery per task event each."""

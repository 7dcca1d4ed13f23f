"""API for the caller, users and specialists."""

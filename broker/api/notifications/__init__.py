"""The caller's notifications and digest preview."""

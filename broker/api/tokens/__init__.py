"""/tokens: the caller's API tokens."""

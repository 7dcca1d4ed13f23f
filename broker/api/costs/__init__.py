"""Time, cost and partners in the JSON API."""

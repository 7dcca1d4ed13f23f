"""People directory: users, API tokens, specialist profiles, skills, hours and time off."""

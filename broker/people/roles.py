"""Who a user is to Broker, defined once (pure, in the base floor so every package may use it)."""
ADMIN, MANAGER, SPECIALIST = "admin", "manager", "specialist"
ROLES = (ADMIN, MANAGER, SPECIALIST)

"""Who a user is to Broker, defined once (pure, in the base floor so every package may use it)."""
ADMIN, MANAGER, SPECIALIST = "admin", "manager", "specialist"
PARTNER_LEAD = "partner_lead"  # a user of an outsourcing partner (users.partner) who balances its specialists
ROLES = (ADMIN, MANAGER, SPECIALIST, PARTNER_LEAD)

"""Broker: the service shell and brokering engine (app factory lives in broker.app)."""

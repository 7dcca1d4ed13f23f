"""Domain errors raised by services and mapped to HTTP statuses at the edge (broker.api.errors)."""


class DomainError(Exception):
    """Base of every refusal a service can give; `status` is the HTTP mapping."""

    status = 400

    def __init__(self, message: str, errors: dict | None = None):
        super().__init__(message)
        self.message = message
        self.errors = errors or {}


class InvalidInput(DomainError):
    """Input that breaks a domain rule, field by field."""

    status = 422


class NotAllowed(DomainError):
    """The actor may not do this (role or ownership)."""

    status = 403


class NotFound(DomainError):
    status = 404


class Conflict(DomainError):
    """An illegal state change or a lost race."""

    status = 409


class StaleRow(Conflict):
    """Another transaction changed the row first (its version check failed): a lost race."""

"""Bearer-token authentication for the JSON API (sessions and cookies are never accepted here)."""
from functools import wraps

from flask import g, request
from flask_smorest import abort

from broker.people.permissions import require
from broker.people.tokens import user_for_token


def current_api_user():
    """The user the request's bearer token belongs to; aborts 401 without a valid one."""
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        abort(401, message="Send an API token: 'Authorization: Bearer <token>'.")
    user = user_for_token(token.strip())
    if user is None:
        abort(401, message="The API token is unknown, revoked, or its user is inactive.")
    return user


def authenticated(permission: str | None = None):
    """Require a bearer token, and `permission` (broker.people.permissions) when given; sets
    g.user."""

    def decorate(view):
        @wraps(view)
        def wrapper(*args, **kwargs):
            g.user = current_api_user()
            if permission:
                require(g.user, permission)
            return view(*args, **kwargs)

        return wrapper

    return decorate

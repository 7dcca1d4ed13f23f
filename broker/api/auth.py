"""Bearer-token authentication for the JSON API (sessions and cookies are never accepted here)."""
from functools import wraps

from flask import g, request
from flask_smorest import abort

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


def authenticated(*roles: str):
    """Require a bearer token, and one of `roles` when any are given; sets g.user."""

    def decorate(view):
        @wraps(view)
        def wrapper(*args, **kwargs):
            g.user = current_api_user()
            if roles and g.user.role not in roles:
                abort(403, message=f"This needs the role {' or '.join(roles)}; you are {g.user.role}.")
            return view(*args, **kwargs)

        return wrapper

    return decorate

"""Browser pages: login session, CSRF-protected forms, Jinja templates."""
from functools import wraps

import pendulum
from flask import Blueprint, abort
from flask_login import current_user, login_required

from broker.extensions import db, login_manager
from broker.people.models import User

web = Blueprint("web", __name__)  # its errors are pages: see broker/api/errors.py http_error


def role_required(*roles):
    """Pages for some roles only: log in first, then a 403 page for the others."""
    def decorate(view):
        @wraps(view)
        @login_required
        def wrapper(*args, **kwargs):
            if current_user.role not in roles:
                abort(403, description=f"This page is for {' and '.join(r + 's' for r in roles)}; "
                                       f"you are logged in as a {current_user.role}.")
            return view(*args, **kwargs)
        return wrapper
    return decorate


@login_manager.user_loader
def load_user(user_id: str):
    user = db.session.get(User, int(user_id)) if user_id.isdigit() else None
    return user if user and user.active else None


def localtime(value, tz: str, fmt: str = "ddd D MMM YYYY, HH:mm") -> str:
    """Render a stored UTC instant in a reader's timezone, with the zone's abbreviation."""
    if value is None:
        return "—"
    moment = pendulum.parse(value) if isinstance(value, str) else pendulum.instance(value)
    local = moment.in_timezone(tz)
    return f"{local.format(fmt)} {local.format('zz')}"


def register_web(app):
    from broker.web import (auth_views, brief_views, dashboard_views,  # noqa: F401  (routes
                            notification_views, planning_views, profile_views,  # attach to
                            queue_views)  # `web`)
    from broker.web.throttle import register_throttle
    register_throttle(app)
    login_manager.login_view = "web.login"
    login_manager.login_message = "Log in to continue."
    app.register_blueprint(web)
    app.add_template_filter(localtime, "localtime")

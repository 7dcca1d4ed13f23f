"""Browser pages: login session, CSRF-protected forms, Jinja templates."""
import pendulum
from flask import Blueprint
from werkzeug.exceptions import HTTPException

from broker.extensions import db, login_manager
from broker.people.models import User
from broker.web.errors import http_error_page

web = Blueprint("web", __name__)
# Pages answer errors with pages; flask-smorest's app-wide handler would answer JSON. Set here,
# once, because a blueprint cannot take handlers after its first registration with an app.
web.register_error_handler(HTTPException, http_error_page)


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
                            notification_views, profile_views, queue_views)  # attach to `web`)
    from broker.web.errors import not_found
    from broker.web.throttle import register_throttle
    register_throttle(app)
    app.register_error_handler(404, not_found)  # unknown URLs outside /api/ get a page too
    login_manager.login_view = "web.login"
    login_manager.login_message = "Log in to continue."
    app.register_blueprint(web)
    app.add_template_filter(localtime, "localtime")

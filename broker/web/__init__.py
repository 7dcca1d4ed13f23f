"""Browser pages: login session, CSRF-protected forms, Jinja templates."""
from functools import wraps

from flask import Blueprint, abort
from flask_login import current_user, login_required

from broker import shown_times
from broker.extensions import login_manager
from broker.people import permissions
from broker.people.permissions import may, roles_with
from broker.people.sessions import user_for_session

web = Blueprint("web", __name__)  # its errors are pages: see broker/api/errors.py http_error


def permission_required(permission: str):
    """Pages for those holding `permission` (broker.people.permissions): log in first, then a 403
    page for the others, saying which roles the page is for."""
    def decorate(view):
        @wraps(view)
        @login_required
        def wrapper(*args, **kwargs):
            if not may(current_user, permission):
                roles = roles_with(permission)
                abort(403, description=f"This page is for {' and '.join(r + 's' for r in roles)}; "
                                       f"you are logged in as a {current_user.role}.")
            return view(*args, **kwargs)
        return wrapper
    return decorate


@login_manager.user_loader
def load_user(session_id: str):
    """Each request's user: refused once inactive or once their sessions were ended."""
    return user_for_session(session_id)


@web.app_context_processor
def page_permissions():
    """`may(P.READ_BRIEFS)` in templates: the navigation offers what the routes would allow, by the
    same grants (broker.people.permissions), never by role names."""
    return {"P": permissions,
            "may": lambda permission: current_user.is_authenticated and may(current_user, permission)}


def localtime(value, tz: str, fmt: str = "ddd D MMM YYYY, HH:mm") -> str:
    """A stored instant in a reader's timezone with its UTC offset (broker.shown_times)."""
    return shown_times.formatted(value, tz, fmt)


def register_web(app):
    from broker.web import (  # noqa: F401  (routes
        admin_people_views,
        admin_person_views,
        admin_sla_views,
        admin_work_type_views,
        auth_views,
        brief_views,
        cost_views,
        dashboard_views,
        loop_views,
        notification_views,  # attach to `web`)
        partner_views,
        planning_views,
        profile_views,
        queue_views,
        skill_views,
        webhook_views,
    )
    from broker.web.throttle import register_throttle
    register_throttle(app)
    login_manager.login_view = "web.login"
    login_manager.login_message = "Log in to continue."
    app.register_blueprint(web)
    app.add_template_filter(localtime, "localtime")
    app.add_template_filter(shown_times.shown_time, "shown_time")
    app.add_template_filter(shown_times.relative, "relative")

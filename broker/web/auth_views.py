"""/login, /logout and the landing page."""
from urllib.parse import urlsplit

from flask import redirect, render_template, request, url_for
from flask_login import current_user, login_required, login_user, logout_user
from werkzeug.exceptions import TooManyRequests

from broker.people.permissions import LEAD_PARTNER, READ_BRIEFS, may
from broker.people.services import user_by_password
from broker.web import web
from broker.web.throttle import login_wait_seconds


def _home_for(user) -> str:
    """Where each role starts: managers and admins on their briefs, specialists on their queue,
    partner leads on their partner's page."""
    if may(user, LEAD_PARTNER):
        return url_for("web.partner")
    return url_for("web.briefs") if may(user, READ_BRIEFS) else url_for("web.queue")


def _safe_next(target: str | None) -> str | None:
    """Only same-site relative paths, so /login?next= cannot send people elsewhere."""
    if not target or "\\" in target or any(ord(c) < 32 for c in target):
        return None  # browsers read /\evil.example as "//evil.example", another site
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target


@web.route("/login", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(_home_for(current_user))
    error, email = None, ""
    if request.method == "POST":
        wait = login_wait_seconds(request.remote_addr)
        if wait:
            raise TooManyRequests(retry_after=wait)
        email = request.form.get("email", "")
        user = user_by_password(email, request.form.get("password", ""))
        if user:
            login_user(user)
            return redirect(_safe_next(request.args.get("next")) or _home_for(user))
        error = "Email or password is wrong."
    return render_template("login.html", error=error, email=email), 401 if error else 200


@web.route("/logout", methods=["GET", "POST"])
def logout():
    if request.method == "POST":
        logout_user()
        return redirect(url_for("web.login"))
    return render_template("logout.html")


@web.route("/")
@login_required
def home():
    return redirect(_home_for(current_user))

"""/notifications: the logged-in user's own notifications with their delivery state."""
from flask import render_template, request
from flask_login import current_user, login_required

from broker.extensions import db
from broker.web import web
from notifications import kinds
from notifications.queries import headline, notifications_for

PAGE_SIZE = 50


@web.route("/notifications")
@login_required
def notifications():
    page = max(1, min(request.args.get("page", 1, type=int) or 1, 10_000))
    rows = db.session.scalars(notifications_for(current_user).limit(PAGE_SIZE + 1)
                              .offset((page - 1) * PAGE_SIZE)).all()
    return render_template("notifications.html", rows=rows[:PAGE_SIZE], page=page,
                           more=len(rows) > PAGE_SIZE, labels=kinds.LABELS, headline=headline)

"""/notifications and /digests/preview: the caller's own, nobody else's."""
from flask import g

from broker.api.auth import authenticated
from broker.api.blueprint import Blueprint
from broker.api.notifications import schemas as s
from broker.api.pagination import page_of
from broker.timeutil import utcnow
from notifications import digests, queries
from notifications.slack_buttons import with_buttons

blp = Blueprint("notifications", __name__, url_prefix="/api/v1",
                description="The caller's notifications and digest")


@blp.route("/notifications")
@authenticated()
@blp.errors(401)
@blp.arguments(s.NotificationQuerySchema, location="query")
@blp.response(200, s.NotificationSchema(many=True))
@blp.paginate()
def notification_list(query, pagination_parameters):
    """The caller's notifications, newest first, with their delivery state."""
    return page_of(queries.notifications_for(g.user, **query), pagination_parameters)


@blp.route("/digests/preview")
@authenticated()
@blp.errors(401)
@blp.response(200, s.DigestPreviewSchema)
def digest_preview():
    """The caller's digest as it would be sent now (Block Kit JSON, buttons included, and its
    text fallback)."""
    return with_buttons(digests.preview(g.user, utcnow()))

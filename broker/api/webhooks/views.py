"""/webhooks: thin views over notifications.webhooks.services (admins only)."""
from flask import current_app, g
from flask.views import MethodView
from sqlalchemy import select

from broker.api.auth import authenticated
from broker.api.blueprint import Blueprint
from broker.api.pagination import page_of
from broker.api.webhooks import schemas as s
from broker.people.permissions import MANAGE_SETTINGS
from broker.timeutil import utcnow
from notifications.webhooks import services
from notifications.webhooks.models import WebhookDelivery, WebhookEndpoint

blp = Blueprint("webhooks", __name__, url_prefix="/api/v1",
                description="Outbound webhooks: task events pushed to your endpoints, signed")


@blp.route("/webhooks")
class Webhooks(MethodView):
    @authenticated(MANAGE_SETTINGS)
    @blp.errors(401, 403)
    @blp.response(200, s.WebhookSchema(many=True))
    @blp.paginate()
    def get(self, pagination_parameters):
        """Registered endpoints, oldest first."""
        return page_of(select(WebhookEndpoint).order_by(WebhookEndpoint.id), pagination_parameters)

    @authenticated(MANAGE_SETTINGS)
    @blp.errors(401, 403, 415, 422)
    @blp.arguments(s.WebhookSchema)
    @blp.response(201, s.WebhookCreatedSchema)
    def post(self, data):
        """Register an endpoint for event types; a generated secret is in this answer only."""
        endpoint, generated = services.register_endpoint(
            g.user, data["url"], data["events"], current_app.config["SECRET_KEY"], utcnow(),
            secret=data.get("secret"), description=data.get("description"))
        endpoint.signing_secret = generated  # transient: dumped once, never stored in clear
        return endpoint


@blp.route("/webhooks/<id:endpoint_id>")
class Webhook(MethodView):
    @authenticated(MANAGE_SETTINGS)
    @blp.errors(401, 403, 404)
    @blp.response(200, s.WebhookSchema)
    def get(self, endpoint_id):
        """One endpoint, with its failure streak and why it was disabled."""
        return services.endpoint(endpoint_id)

    @authenticated(MANAGE_SETTINGS)
    @blp.errors(401, 403, 404, 415, 422)
    @blp.arguments(s.WebhookPatchSchema)
    @blp.response(200, s.WebhookSchema)
    def patch(self, data, endpoint_id):
        """Enable an endpoint again, or disable it."""
        return services.set_active(g.user, endpoint_id, data["active"], utcnow())

    @authenticated(MANAGE_SETTINGS)
    @blp.errors(401, 403, 404)
    @blp.response(204)
    def delete(self, endpoint_id):
        """Remove an endpoint and its delivery log."""
        services.delete_endpoint(g.user, endpoint_id)


@blp.route("/webhooks/<id:endpoint_id>/deliveries")
@authenticated(MANAGE_SETTINGS)
@blp.errors(401, 403, 404, 422)
@blp.arguments(s.DeliveryQuerySchema, location="query")
@blp.response(200, s.DeliverySchema(many=True))
@blp.paginate()
def deliveries(query, endpoint_id, pagination_parameters):
    """The endpoint's delivery log, newest first: event, status code, attempts, next attempt."""
    services.endpoint(endpoint_id)
    stmt = select(WebhookDelivery).where(WebhookDelivery.endpoint_id == endpoint_id)
    if "state" in query:
        stmt = stmt.where(WebhookDelivery.state == query["state"])
    return page_of(stmt.order_by(WebhookDelivery.id.desc()), pagination_parameters)


@blp.route("/webhooks/<id:endpoint_id>/deliveries/<id:delivery_id>/redeliver", methods=["POST"])
@authenticated(MANAGE_SETTINGS)
@blp.errors(401, 403, 404, 409)
@blp.response(200, s.DeliverySchema)
def redeliver(endpoint_id, delivery_id):
    """Queue a delivery again (same X-Broker-Delivery id); the next delivery run sends it."""
    return services.redeliver(g.user, endpoint_id, delivery_id, utcnow())

"""The JSON API under /api/v1: flask-smorest blueprints, token auth, one error format."""
from broker.extensions import api, csrf


def register_api(app):
    from broker.api.bodies import refuse_non_json_body
    from broker.api.costs.views import blp as costs
    from broker.api.errors import register_error_handlers
    from broker.api.health import blp as health
    from broker.api.loop.views import blp as loop
    from broker.api.notifications.views import blp as notifications
    from broker.api.people.views import blp as people
    from broker.api.sla.views import blp as sla
    from broker.api.tokens.views import blp as tokens
    from broker.api.webhooks.views import blp as webhooks
    from broker.api.work.views import blp as work

    for blueprint in (health, people, tokens, work, notifications, sla, webhooks, loop, costs):
        api.register_blueprint(blueprint)
        csrf.exempt(blueprint)
    app.before_request(refuse_non_json_body)
    register_error_handlers(app)

"""/tokens: list, create and revoke API tokens; thin views over broker.people.tokens."""
from flask import g
from flask.views import MethodView

from broker.api.auth import authenticated
from broker.api.blueprint import Blueprint
from broker.api.pagination import page_of
from broker.api.tokens import schemas as s
from broker.people import tokens

blp = Blueprint("tokens", __name__, url_prefix="/api/v1", description="The caller's API tokens")


@blp.route("/tokens")
class Tokens(MethodView):
    @authenticated()
    @blp.errors(401, 403)
    @blp.arguments(s.TokenQuerySchema, location="query")
    @blp.response(200, s.TokenSchema(many=True))
    @blp.paginate()
    def get(self, query, pagination_parameters):
        """The caller's tokens, live and revoked, oldest first (admins: `?user_id=` for another's)."""
        user_id = query.get("user_id", g.user.id)
        tokens.check_owner(g.user, user_id)
        return page_of(tokens.tokens_of(user_id), pagination_parameters)

    @authenticated()
    @blp.errors(401, 409)
    @blp.arguments(s.TokenCreateSchema)
    @blp.response(201, s.TokenWithSecretSchema)
    def post(self, data):
        """A new token for the caller; `api_token` is in this answer only."""
        row, token = tokens.create_token(g.user, data.get("label"))
        row.api_token = token  # transient: dumped once, never stored
        return row


@blp.route("/tokens/<id:token_id>")
class Token(MethodView):
    @authenticated()
    @blp.errors(401, 403, 404)
    @blp.response(204)
    def delete(self, token_id):
        """Revoke a token (its owner, or an admin): from now on it gets 401, on every worker."""
        tokens.revoke_token(g.user, token_id)

"""/me, /users and /specialists."""
from flask import current_app, g
from flask.views import MethodView
from sqlalchemy import select

from broker.api.auth import authenticated
from broker.api.blueprint import Blueprint
from broker.api.pagination import page_of, page_of_rows
from broker.api.people import schemas as s
from broker.errors import NotAllowed
from broker.extensions import db
from broker.people import accounts, importing, permissions, services, verification
from broker.people.models import SpecialistProfile, SpecialistSkill, User
from broker.timeutil import utcnow
from tasks.loop_services import offer_handoffs

blp = Blueprint("people", __name__, url_prefix="/api/v1", description="The caller, users, specialists")


@blp.route("/me")
class Me(MethodView):
    @authenticated()
    @blp.errors(401)
    @blp.response(200, s.UserSchema)
    def get(self):
        """The caller, with role and timezone."""
        return g.user

    @authenticated()
    @blp.errors(401, 409)
    @blp.arguments(s.MePatchSchema)
    @blp.response(200, s.UserSchema)
    def patch(self, changes):
        """Change the caller's timezone, digest hour, password, Slack webhook or urgent kinds."""
        return services.update_me(g.user, changes, current_app.config["SECRET_KEY"])


@blp.route("/users")
class Users(MethodView):
    @authenticated(permissions.MANAGE_PEOPLE)
    @blp.errors(401, 403)
    @blp.arguments(s.UserCreateSchema)
    @blp.response(201, s.UserWithTokenSchema)
    def post(self, data):
        """Create a user (admin); the API token is in the answer, once."""
        user, token = services.create_user(**data)
        user.api_token = token  # transient: dumped once, never stored
        return user


@blp.route("/users/<id:user_id>")
class UserAccount(MethodView):
    @authenticated(permissions.MANAGE_PEOPLE)
    @blp.errors(401, 403, 404, 409)
    @blp.arguments(s.UserPatchSchema)
    @blp.response(200, s.UserSchema)
    def patch(self, changes, user_id):
        """Change a user's role, activity, name or timezone (admin); deactivating ends their
        browser sessions and refuses their tokens at once."""
        return accounts.update_user(g.user, user_id, changes)


@blp.route("/specialists")
class Specialists(MethodView):
    @authenticated()
    @blp.errors(401, 403)
    @blp.arguments(s.SpecialistQuerySchema, location="query")
    @blp.response(200, s.SpecialistSchema(many=True))
    @blp.paginate()
    def get(self, query, pagination_parameters):
        """Specialist profiles, filterable by skill, activity and timezone (a partner lead: their
        partner's)."""
        stmt = select(User).join(SpecialistProfile).order_by(User.id)
        partner = permissions.specialist_scope(g.user)
        if partner is not None:
            stmt = stmt.where(SpecialistProfile.partner == partner)
        if "skill" in query:
            stmt = stmt.where(User.id.in_(select(SpecialistSkill.specialist_id)
                                          .where(SpecialistSkill.skill == query["skill"],
                                                 SpecialistSkill.verified_level.is_not(None))))
        if "active" in query:
            stmt = stmt.where(SpecialistProfile.active.is_(query["active"]))
        if "timezone" in query:
            stmt = stmt.where(User.timezone == query["timezone"])
        return [s.specialist_view(u, viewer=g.user) for u in page_of(stmt, pagination_parameters)]

    @authenticated(permissions.MANAGE_PEOPLE)
    @blp.errors(401, 403)
    @blp.arguments(s.SpecialistCreateSchema)
    @blp.response(201, s.SpecialistWithTokenSchema)
    def post(self, data):
        """Create a specialist user and profile (admin); returns the profile and a fresh token."""
        user, token = services.create_specialist(data)
        return s.specialist_view(user, token)


@blp.route("/specialists/import/preview")
class ImportPreview(MethodView):
    @authenticated(permissions.MANAGE_PEOPLE)
    @blp.errors(401, 403)
    @blp.arguments(s.ImportSchema)
    @blp.response(200, s.ImportPreviewSchema)
    def post(self, data):
        """Check a CSV file of specialists row by row (admin); nothing is stored."""
        return s.preview_view(importing.preview(g.user, data["csv"]))


@blp.route("/specialists/import")
class Import(MethodView):
    @authenticated(permissions.MANAGE_PEOPLE)
    @blp.errors(401, 403)
    @blp.arguments(s.ImportSchema)
    @blp.response(201, s.ImportResultSchema)
    def post(self, data):
        """Create every specialist of a CSV file, each with an API token shown once, or none:
        a 422 names each bad row's problems by line and column."""
        made = importing.import_specialists(g.user, data["csv"], utcnow())
        return {"created": [s.specialist_view(user, token) for user, token in made]}


@blp.route("/specialists/<id:user_id>")
class Specialist(MethodView):
    @authenticated()
    @blp.errors(401, 403, 404)
    @blp.response(200, s.SpecialistSchema)
    def get(self, user_id):
        """One specialist profile."""
        partner = db.session.scalar(select(SpecialistProfile.partner)
                                    .where(SpecialistProfile.user_id == user_id))
        if not permissions.may_read_profile(g.user, user_id, partner):
            raise NotAllowed("Specialists can only read their own profile, partner leads their "
                             "partner's specialists.")
        return s.specialist_view(services.specialist(user_id), viewer=g.user)

    @authenticated()
    @blp.errors(401, 403, 404)
    @blp.arguments(s.SpecialistPatchSchema)
    @blp.response(200, s.SpecialistSchema)
    def patch(self, data, user_id):
        """Change a profile (admin; the specialist for their own, but not capacity, active,
        partner or hourly cost; their partner's lead hours and capacity up to the partner's cap)."""
        return s.specialist_view(services.update_specialist(g.user, user_id, data), viewer=g.user)


@blp.route("/specialists/<id:user_id>/time-off")
class TimeOff(MethodView):
    @authenticated()
    @blp.errors(401, 403, 404, 409)
    @blp.arguments(s.TimeOffSchema)
    @blp.response(201, s.TimeOffSchema)
    def post(self, data, user_id):
        """Book time off for a specialist; work in hand that it would hold up is offered for
        handoff (a `handoff_suggested` notification per task)."""
        booked = services.add_time_off(g.user, user_id, **data)
        offer_handoffs(user_id, booked.starts_at, booked.ends_at, utcnow())
        return booked


@blp.route("/specialists/<id:user_id>/skills/verify")
class VerifySkills(MethodView):
    @authenticated(permissions.VERIFY_SKILLS)
    @blp.errors(401, 403, 404)
    @blp.arguments(s.SkillsVerifySchema)
    @blp.response(200, s.SpecialistSchema)
    def post(self, data, user_id):
        """Verify skills at the levels given (admins and managers); routing counts them at once."""
        return s.specialist_view(verification.verify_skills(g.user, user_id, data["skills"]))


@blp.route("/specialists/<id:user_id>/skills/reject")
class RejectSkills(MethodView):
    @authenticated(permissions.VERIFY_SKILLS)
    @blp.errors(401, 403, 404)
    @blp.arguments(s.SkillsRejectSchema)
    @blp.response(200, s.SpecialistSchema)
    def post(self, data, user_id):
        """Turn down proposed levels: a raise falls back to the verified level, a new skill goes."""
        return s.specialist_view(verification.reject_proposals(g.user, user_id, data["skills"]))


@blp.route("/skills/proposals")
class SkillProposals(MethodView):
    @authenticated(permissions.VERIFY_SKILLS)
    @blp.errors(401, 403)
    @blp.response(200, s.ProposalSchema(many=True))
    @blp.paginate()
    def get(self, pagination_parameters):
        """Every skill level a specialist proposed that nobody has verified yet."""
        rows = page_of_rows(verification.pending_proposals(), pagination_parameters)
        return [s.proposal_view(*row) for row in rows]

"""/tasks/<id>/comments, /tasks/<id>/handoff and /templates: thin views over the work loop's services."""
from flask import g
from flask.views import MethodView
from sqlalchemy import select

from broker.api.auth import authenticated
from broker.api.blueprint import Blueprint
from broker.api.loop import schemas as s
from broker.api.work import reads
from broker.api.work.schemas import BriefSchema, TaskSchema
from broker.api.work.views import with_work_types
from broker.extensions import db
from broker.people import permissions
from broker.timeutil import utcnow
from tasks import loop_services, templates
from tasks.loop_models import TemplatePost

blp = Blueprint("loop", __name__, url_prefix="/api/v1",
                description="The work loop: comments, handoffs and brief templates")


def comment_views(comments) -> list[dict]:
    who = reads.people(c.author_id for c in comments)
    return [{"id": c.id, "task_id": c.task_id, "author": who.get(c.author_id), "body": c.body,
             "mentioned_ids": c.mentioned_ids, "created_at": c.created_at} for c in comments]


@blp.route("/tasks/<id:task_id>/comments")
class Comments(MethodView):
    @authenticated()
    @blp.errors(401, 403, 404)
    @blp.response(200, s.CommentSchema(many=True))
    def get(self, task_id):
        """The task's thread, oldest first (whoever may see the task)."""
        return comment_views(loop_services.comments_of(task_id, g.user))

    @authenticated()
    @blp.errors(401, 403, 404)
    @blp.arguments(s.CommentCreateSchema)
    @blp.response(201, s.CommentSchema)
    def post(self, data, task_id):
        """Add to the thread; `@Name` or `@email` of someone who may see the task notifies them."""
        return comment_views([loop_services.add_comment(task_id, g.user, data["body"], utcnow())])[0]


@blp.route("/tasks/<id:task_id>/handoff", methods=["POST"])
@authenticated(permissions.TAKE_WORK)
@blp.errors(401, 403, 404, 409)
@blp.arguments(s.HandoffSchema)
@blp.response(200, TaskSchema)
def handoff(data, task_id):
    """The assignee hands the task back with a note: routed again, never to them; SLA runs on."""
    now = utcnow()
    return reads.task_detail(loop_services.handoff(task_id, g.user, data["note"], now), now)


def template_views(rows) -> list[dict]:
    posts: dict = {t.id: [] for t in rows}
    if rows:
        for post in db.session.scalars(select(TemplatePost).where(TemplatePost.template_id.in_(posts))
                                       .order_by(TemplatePost.id.desc())):
            posts[post.template_id].append({"brief_id": post.brief_id, "period": post.period,
                                            "posted_at": post.posted_at.isoformat()})
    names = ("id", "owner_id", "name", "brief", "checklist", "schedule", "created_at", "updated_at")
    return [dict({n: getattr(t, n) for n in names}, posted=posts[t.id]) for t in rows]


@blp.route("/templates")
class Templates(MethodView):
    @authenticated(permissions.KEEP_TEMPLATES)
    @blp.errors(401, 403)
    @blp.response(200, s.TemplateSchema(many=True))
    def get(self):
        """Templates the caller owns (admins: all)."""
        return template_views(templates.visible_templates(g.user))

    @authenticated(permissions.POST_BRIEFS)
    @blp.errors(401, 403)
    @with_work_types
    @blp.arguments(s.TemplateCreateSchema)
    @blp.response(201, s.TemplateSchema)
    def post(self, data):
        """Keep a brief as a template, with a checklist and an optional schedule."""
        return template_views([templates.create_template(g.user, data, utcnow())])[0]


@blp.route("/templates/<id:template_id>")
class TemplateItem(MethodView):
    @authenticated(permissions.KEEP_TEMPLATES)
    @blp.errors(401, 403, 404)
    @blp.response(200, s.TemplateSchema)
    def get(self, template_id):
        return template_views([templates.template_for(g.user, template_id)])[0]

    @authenticated(permissions.KEEP_TEMPLATES)
    @blp.errors(401, 403, 404)
    @with_work_types
    @blp.arguments(s.TemplateCreateSchema)
    @blp.response(200, s.TemplateSchema)
    def put(self, data, template_id):
        """Replace the template; a schedule counts from this change."""
        return template_views([templates.update_template(g.user, template_id, data, utcnow())])[0]

    @authenticated(permissions.KEEP_TEMPLATES)
    @blp.errors(401, 403, 404)
    @blp.response(204)
    def delete(self, template_id):
        templates.delete_template(g.user, template_id)


@blp.route("/templates/<id:template_id>/post", methods=["POST"])
@authenticated(permissions.POST_BRIEFS)
@blp.errors(401, 403, 404)
@blp.response(201, BriefSchema)
def post_template(template_id):
    """Post a brief from the template now (its owner); due dates count from now."""
    now = utcnow()
    return reads.brief_detail(templates.post_template(g.user, template_id, now), now)

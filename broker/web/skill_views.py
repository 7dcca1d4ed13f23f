"""/skills: the skill levels specialists proposed, for whoever verifies them (VERIFY_SKILLS:
managers and admins). The buttons post to the same routes as /admin/people's."""
from flask import render_template

from broker.extensions import db
from broker.people import permissions, verification
from broker.web import permission_required, web


@web.route("/skills")
@permission_required(permissions.VERIFY_SKILLS)
def skill_proposals():
    proposals = db.session.execute(verification.pending_proposals()).all()
    return render_template("people/skills.html", proposals=proposals, proposals_back="skills")

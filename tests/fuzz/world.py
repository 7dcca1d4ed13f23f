"""A small organisation for fuzzing: one user of each role, a brief with tasks in several states,
and the real ids that generated requests are steered to (random ids alone only find 404s)."""
import threading
from contextlib import contextmanager
from dataclasses import dataclass, field

from schemathesis.specs.openapi.checks import positive_data_acceptance
from werkzeug.serving import make_server

from broker.extensions import db
from broker.people import services as people
from broker.people.models import User
from broker.timeutil import utcnow
from tasks import services as tasks

ROLES = ("admin", "manager", "specialist")


# Schema-valid requests that the domain refuses with a documented 422 (an unknown timezone, a due
# date in the past, an unknown work type) are answers, not failures; the schema cannot say them all.
SKIPPED_CHECKS = [positive_data_acceptance]


@dataclass
class World:
    headers: dict[str, dict]
    ids: dict[str, list] = field(default_factory=dict)

    def auth(self, case, role: str) -> dict:
        """The role's token, unless the case is about a broken Authorization header itself."""
        if "Authorization" in (case.headers or {}) and is_negative(case):
            return {}
        return self.headers[role]


def build_world(app, make) -> World:
    """Users of each role (no passwords: hashing them is slow) and a brief with a queued, an
    in-progress and a submitted task."""
    with app.app_context():
        try:
            admin, admin_token = people.create_user("admin@fuzz.example", "Admin", "admin", "UTC")
            manager, manager_token = people.create_user("manager@fuzz.example", "Manager", "manager",
                                                        "Europe/London")
            specialist, specialist_token = people.create_specialist({
                "email": "specialist@fuzz.example", "name": "Specialist", "timezone": "Asia/Manila",
                "skills": [{"skill": "premiere_pro", "level": 5}, {"skill": "google_ads", "level": 5}],
                "working_hours": {d: [["00:00", "23:59"]] for d in ("mon", "tue", "wed", "thu", "fri",
                                                                      "sat", "sun")},
                "capacity": 50})
            ids = {"user_id": [admin.id, manager.id, specialist.id]}
        finally:
            db.session.remove()
    brief_id, task_ids = make.brief(make_ref(manager.id, manager_token), n_tasks=3)
    with app.app_context():
        try:
            who = db.session.get(User, specialist.id)
            tasks.claim(task_ids[1], who, utcnow())
            tasks.claim(task_ids[2], who, utcnow())
            tasks.assignee_action(task_ids[2], "submit", who, utcnow(),
                                  {"deliverable_url": "https://drive.example.com/cut.mp4", "note": None})
        finally:
            db.session.remove()
    ids |= {"brief_id": [brief_id], "task_id": task_ids, "name": ["24x7", "business"]}
    tokens = {"admin": admin_token, "manager": manager_token, "specialist": specialist_token}
    return World({role: {"Authorization": f"Bearer {t}"} for role, t in tokens.items()}, ids)


def make_ref(user_id: int, token: str):
    from tests.factories import Made
    return Made(user_id, token, "")


def with_real_ids(case, world: World):
    """Point about half the generated path ids of valid requests at rows that exist (the rest,
    and every request meant to be invalid, stay as generated)."""
    if is_negative(case):
        return
    for name, value in (case.path_parameters or {}).items():
        real = world.ids.get(name)
        if real and isinstance(value, int) and value % 2 == 0:
            case.path_parameters[name] = real[(value // 2) % len(real)]
        elif real and isinstance(value, str) and len(value) % 2 == 0:
            case.path_parameters[name] = real[len(value) // 2 % len(real)]


def openapi_document() -> dict:
    """The API's OpenAPI document, read from an app on an in-memory database (the document does
    not depend on data; the pytest plugin's lazy fixture loader does not run under pytest 9.2)."""
    from broker.app import create_app
    app = create_app({"TESTING": True, "SECRET_KEY": "fuzz", "SQLALCHEMY_DATABASE_URI": "sqlite://",
                      "BROKER_SCHEDULER": "off"})
    return app.test_client().get("/api/v1/openapi.json").get_json()


def is_negative(case) -> bool:
    """Whether schemathesis generated this case to break the schema somewhere."""
    return case.meta is not None and case.meta.generation.mode.is_negative


@contextmanager
def serve(app):
    """Serve `app` from a thread on a free loopback port; yields its base URL."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join()

"""Health, the OpenAPI document, error format edges, and the CLI."""
import re

from broker.extensions import db
from broker.people.services import user_for_token
from tests.factories import scratch_app


def test_health_reports_database_and_scheduler(client):
    r = client.get("/api/v1/health")
    assert r.status_code == 200
    assert r.json == {"status": "ok", "database": "ok", "scheduler": {"running": False, "role": "off"}}


def test_health_is_503_when_the_database_does_not_answer(tmp_path):
    app = scratch_app(tmp_path, migrate=False,
                      SQLALCHEMY_DATABASE_URI="postgresql+psycopg://postgres@127.0.0.1:1/none",
                      SQLALCHEMY_ENGINE_OPTIONS={"connect_args": {"connect_timeout": 2}})
    r = app.test_client().get("/api/v1/health")
    assert r.status_code == 503
    assert r.json["database"] == "unavailable" and r.json["status"] == "degraded"


def test_openapi_document_describes_the_api(client):
    r = client.get("/api/v1/openapi.json")
    assert r.status_code == 200
    spec = r.json
    assert spec["openapi"].startswith("3.")
    paths = spec["paths"]
    for path in ["/api/v1/briefs", "/api/v1/tasks/{task_id}/claim", "/api/v1/tasks/available",
                 "/api/v1/specialists/{user_id}/time-off", "/api/v1/me", "/api/v1/health"]:
        assert path in paths, path
    assert "BriefCreate" in spec["components"]["schemas"]
    assert spec["components"]["securitySchemes"]["bearer"]["scheme"] == "bearer"


def test_unknown_path_and_wrong_method_are_json(client, make):
    m = make.user("manager")
    r = client.get("/api/v1/nothing-here", headers=m.headers)
    assert r.status_code == 404 and r.is_json
    r = client.delete("/api/v1/briefs", headers=m.headers)
    assert r.status_code == 405 and r.is_json
    assert set(r.headers["Allow"].split(", ")) >= {"GET", "POST"}


def test_unexpected_errors_are_a_500_that_hides_details(tmp_path):
    """JSON under /api/, our error page elsewhere; the cause never shows."""
    app = scratch_app(tmp_path, migrate=False, TESTING=False)

    @app.route("/api/v1/_boom", endpoint="api_boom")
    @app.route("/_boom")
    def boom():
        raise RuntimeError("secret internals")

    api = app.test_client().get("/api/v1/_boom")
    assert api.status_code == 500 and api.json["code"] == 500
    page = app.test_client().get("/_boom")
    assert (page.status_code, page.mimetype) == (500, "text/html")
    assert "Something went wrong on our side" in page.text
    assert all("secret internals" not in r.text for r in (api, page))


def test_cli_users_create_prints_the_token_last(app):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["users", "create", "--email", "ops@example.com", "--name", "Ops",
                                 "--role", "admin", "--timezone", "Europe/Warsaw", "--password", "s3cret-pass"])
    assert result.exit_code == 0, result.output
    token = result.output.strip().splitlines()[-1]
    assert re.fullmatch(r"brk_[A-Za-z0-9_-]{40,}", token)
    with app.app_context():
        assert user_for_token(token).email == "ops@example.com"
        db.session.remove()
    bad = runner.invoke(args=["users", "create", "--email", "x@example.com", "--name", "X",
                              "--role", "manager", "--timezone", "Nowhere/Town"])
    assert bad.exit_code != 0 and "timezone" in bad.output
    dup = runner.invoke(args=["users", "create", "--email", "OPS@example.com", "--name", "Ops",
                              "--role", "admin", "--timezone", "UTC"])
    assert dup.exit_code != 0 and "already exists" in dup.output


def test_absurd_ids_and_pages_are_refused_not_crashed(client, make):
    admin = make.user("admin")
    for path in ["/api/v1/briefs/9908231464484892672", "/api/v1/specialists/288764389048434969496518656",
                 "/api/v1/tasks/99999999999999999999"]:
        assert client.get(path, headers=admin.headers).status_code == 404, path
    r = client.get("/api/v1/tasks?brief_id=-1434156806146558018188256215040", headers=admin.headers)
    assert r.status_code == 422
    r = client.get("/api/v1/specialists?page=208210932015893676928973452345344", headers=admin.headers)
    assert r.status_code == 200 and r.json == []


def test_absurd_ids_in_page_urls_are_a_404_too(app, make):
    """The pages share the API's id converter: an id no row can have never reaches the database
    (on PostgreSQL it would fail as an integer out of range)."""
    from tests.factories import csrf_token, logged_in
    client = logged_in(app, make.user("manager"))
    assert client.get("/briefs/9908231464484892672").status_code == 404
    token = csrf_token(client, "/briefs")
    for path in ["/tasks/99999999999999999999/review", "/tasks/99999999999999999999/step",
                 "/tasks/99999999999999999999/claim"]:
        assert client.post(path, data={"csrf_token": token}).status_code == 404, path


def test_id_path_parameters_are_documented_as_integers(client):
    spec = client.get("/api/v1/openapi.json").json
    param = spec["paths"]["/api/v1/tasks/{task_id}"]["parameters"][0]
    assert param["schema"] == {"type": "integer", "minimum": 0, "maximum": 2**31 - 1}

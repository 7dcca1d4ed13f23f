"""Guards around the pages that need no browser: CSRF, error pages, redirects, tampered forms.

They use Flask's test client, so they run (and guard) even where Chromium is missing.
"""

import pytest
from sqlalchemy import select

from broker.extensions import db
from tasks.models import Brief
from tests.factories import PASSWORD, count_rows, csrf_token, logged_in

pytestmark = pytest.mark.e2e




BRIEF = {"title": "Forged", "objective": "pipeline", "success_metric": "none", "row_count": "3",
         "tasks-0-title": "Forged task", "tasks-0-work_type": "design",
         "tasks-0-priority": "normal", "tasks-0-estimate_hours": "2", "action": "post"}


def test_post_without_csrf_token_is_refused(app, make):
    """A logged-in manager's POST to /briefs/new without the session's token gets 400."""
    client = logged_in(app, make.user("manager"))
    refused = client.post("/briefs/new", data=BRIEF)
    assert refused.status_code == 400
    assert refused.mimetype == "text/html"
    assert "security token" in refused.text
    assert client.post("/briefs/new", data=BRIEF | {"csrf_token": "forged"}).status_code == 400
    assert count_rows(app, Brief) == 0
    # The same form with the session's token goes through, so the 400 was the token alone.
    posted = client.post("/briefs/new", data=BRIEF | {"csrf_token": csrf_token(client, "/briefs/new")})
    assert posted.status_code == 302
    assert count_rows(app, Brief) == 1


def test_review_and_logout_need_the_token_too(app, make):
    manager = make.user("manager")
    _, (task_id,) = make.brief(manager)
    client = logged_in(app, manager)
    assert client.post(f"/tasks/{task_id}/review", data={"action": "cancel"}).status_code == 400
    assert client.post("/logout").status_code == 400
    assert client.get("/briefs").status_code == 200  # still logged in


def test_login_never_redirects_to_another_site(app, make):
    manager = make.user("manager")
    for target in ("https://evil.example/", "//evil.example/", "/\\evil.example", "\\\\evil.example",
                   "javascript:alert(1)", "briefs"):
        client = app.test_client()
        answer = client.post("/login", query_string={"next": target},
                             data={"email": manager.email, "password": PASSWORD,
                                   "csrf_token": csrf_token(client)})
        assert answer.status_code == 302
        assert answer.headers["Location"] == "/briefs", target
    client = app.test_client()
    answer = client.post("/login", query_string={"next": "/briefs/new?x=1"},
                         data={"email": manager.email, "password": PASSWORD,
                               "csrf_token": csrf_token(client)})
    assert answer.headers["Location"] == "/briefs/new?x=1"


def test_errors_on_pages_are_pages_and_the_api_keeps_json(app, make):
    specialist = make.specialist()
    client = logged_in(app, specialist)
    refused = client.get("/briefs/new")
    assert (refused.status_code, refused.mimetype) == (403, "text/html")
    assert "This page is for managers" in refused.text
    missing = client.get("/no-such-page")
    assert (missing.status_code, missing.mimetype) == (404, "text/html")
    wrong_method = client.put("/briefs/new")
    assert (wrong_method.status_code, wrong_method.mimetype) == (405, "text/html")
    assert "POST" in wrong_method.headers["Allow"]
    assert "This page cannot be used that way." in wrong_method.text  # our page, not Werkzeug's
    api = client.get("/api/v1/no-such-thing", headers=specialist.headers)
    assert (api.status_code, api.mimetype) == (404, "application/json")
    assert api.json["code"] == 404
    api = client.get("/api/v1/briefs", headers=specialist.headers)
    assert (api.status_code, api.mimetype) == (403, "application/json")


def test_a_tampered_row_count_is_bounded(app, make):
    client = logged_in(app, make.user("manager"))
    token = csrf_token(client, "/briefs/new")
    for row_count, rows in (("999999999", 50), ("-5", 4), ("lots", 4)):  # add_row adds one
        page = client.post("/briefs/new", data={"row_count": row_count, "action": "add_row",
                                                "csrf_token": token})
        assert page.status_code in (200, 422), row_count
        assert page.text.count('class="task-row') == rows, row_count
    assert count_rows(app, Brief) == 0


def test_review_of_someone_elses_task_is_refused(app, make):
    owner, other = make.user("manager"), make.user("manager")
    _, (task_id,) = make.brief(owner)
    client = logged_in(app, other)
    answer = client.post(f"/tasks/{task_id}/review",
                         data={"action": "cancel", "csrf_token": csrf_token(client, "/briefs")})
    assert answer.status_code == 403
    assert client.post("/tasks/999999/review",
                       data={"action": "cancel", "csrf_token": csrf_token(client, "/briefs")}
                       ).status_code == 404
    with app.app_context():
        assert db.session.scalar(select(Brief)).tasks[0].state == "queued"
        db.session.remove()

"""Every API error body carries `message`; a body that is not JSON is a 415, never a 422."""
import pytest

from tasks.models import Brief
from tests.factories import count_rows


def assert_error(r, code: int):
    assert r.status_code == code, r.text
    assert r.is_json and r.json["code"] == code and r.json["message"].strip(), r.json


def test_a_422_names_the_fields_in_its_message(client, make):
    m = make.user("manager")
    r = client.post("/api/v1/briefs", json={"title": 1}, headers=m.headers)
    assert_error(r, 422)
    assert {"title", "objective", "tasks"} <= set(r.json["errors"]["json"])
    assert "title" in r.json["message"] and "objective" in r.json["message"]


def test_a_bad_query_parameter_says_where_it_was(client, make):
    m = make.user("manager")
    r = client.get("/api/v1/briefs?page_size=0", headers=m.headers)
    assert_error(r, 422)
    assert "page_size" in r.json["message"] and "query" in r.json["message"]


def test_invalid_json_is_a_400_with_a_message(client, make):
    m = make.user("manager")
    r = client.post("/api/v1/briefs", data="{not json", headers={**m.headers, "Content-Type": "application/json"})
    assert_error(r, 400)
    assert "JSON" in r.json["message"]


def test_unknown_paths_and_methods_have_a_message(client, make):
    m = make.user("manager")
    assert_error(client.get("/api/v1/nothing-here", headers=m.headers), 404)
    assert_error(client.delete("/api/v1/briefs", headers=m.headers), 405)
    assert_error(client.get("/api/v1/me"), 401)


@pytest.mark.parametrize("body", [
    {"data": {"title": "Q4 launch"}},  # a browser form
    {"data": "title=Q4", "content_type": "text/plain"},
    {"data": '{"title": "Q4"}'},  # JSON text without a JSON Content-Type
    {"data": "<brief/>", "content_type": "application/xml"},
])
def test_a_body_that_is_not_json_is_a_415(client, make, app, body):
    m = make.user("manager")
    r = client.post("/api/v1/briefs", headers=m.headers, **body)
    assert_error(r, 415)
    assert "application/json" in r.json["message"]
    assert count_rows(app, Brief) == 0


def test_json_with_a_charset_or_a_suffix_is_json(client, make):
    m = make.user("manager")
    for content_type in ("application/json; charset=utf-8", "application/merge-patch+json"):
        r = client.patch("/api/v1/me", data='{"digest_hour": 7}', headers={**m.headers, "Content-Type": content_type})
        assert r.status_code == 200 and r.json["digest_hour"] == 7, (content_type, r.text)


def test_an_empty_body_needs_no_content_type(client, make):
    """Actions without a body (claim, accept...) are not refused for what they do not send."""
    m, s = make.user("manager"), make.specialist()
    _, (task,) = make.brief(m)
    r = client.post(f"/api/v1/tasks/{task}/claim", headers={**s.headers, "Content-Type": "text/plain"})
    assert r.status_code == 200, r.text


def test_pages_still_take_forms(app, make):
    from tests.factories import csrf_token
    client = app.test_client()
    r = client.post("/login", data={"email": "nobody@example.com", "password": "x",
                                    "csrf_token": csrf_token(client)})
    assert r.status_code == 401 and r.mimetype == "text/html"

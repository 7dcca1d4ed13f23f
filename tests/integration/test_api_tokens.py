"""/tokens: listed, created (shown once) and revoked, with the revocation holding at once on every
worker; last use recorded at most once a minute."""
from datetime import timedelta

from sqlalchemy import select

from broker.app import create_app
from broker.extensions import db
from broker.people.models import ApiToken
from broker.people.tokens import LAST_USE_STEP, MAX_LIVE_TOKENS, user_for_token

LISTED = {"id", "user_id", "prefix", "label", "created_at", "last_used_at", "revoked_at"}


def bearer(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


def test_create_list_and_use_a_token(client, make, app):
    m = make.user("manager")
    r = client.post("/api/v1/tokens", headers=m.headers, json={"label": "reporting script"})
    assert r.status_code == 201, r.json
    created = r.json
    assert created["api_token"].startswith("brk_") and created["label"] == "reporting script"
    assert created["api_token"].startswith(created["prefix"]) and created["revoked_at"] is None
    assert client.get("/api/v1/me", headers=bearer(created["api_token"])).json["id"] == m.id
    listed = client.get("/api/v1/tokens", headers=m.headers)
    assert listed.status_code == 200
    assert [t["id"] for t in listed.json][-1] == created["id"] and len(listed.json) == 2
    assert all(set(t) == LISTED for t in listed.json)  # never the token, never its hash
    assert created["api_token"] not in listed.text
    with app.app_context():
        assert created["api_token"] not in db.session.scalars(select(ApiToken.token_hash)).all()
        db.session.remove()


def test_a_token_needs_no_label_but_a_label_has_bounds(client, make):
    m = make.user("manager")
    assert client.post("/api/v1/tokens", headers=m.headers).status_code == 201
    assert client.post("/api/v1/tokens", headers=m.headers, json={}).json["label"] is None
    for body in ({"label": ""}, {"label": "x" * 101}, {"label": 7}, {"owner": 1}):
        r = client.post("/api/v1/tokens", headers=m.headers, json=body)
        assert r.status_code == 422 and r.json["message"], body


def test_a_revoked_token_gets_401_at_once_and_the_others_still_work(client, make):
    m = make.user("manager")
    spare = client.post("/api/v1/tokens", headers=m.headers, json={"label": "laptop"}).json
    r = client.delete(f"/api/v1/tokens/{spare['id']}", headers=m.headers)
    assert r.status_code == 204 and r.data == b""
    refused = client.get("/api/v1/me", headers=bearer(spare["api_token"]))
    assert refused.status_code == 401 and "revoked" in refused.json["message"]
    assert client.get("/api/v1/me", headers=m.headers).status_code == 200
    listed = {t["id"]: t for t in client.get("/api/v1/tokens", headers=m.headers).json}
    revoked_at = listed[spare["id"]]["revoked_at"]
    assert revoked_at is not None
    again = client.delete(f"/api/v1/tokens/{spare['id']}", headers=m.headers)  # changes nothing
    assert again.status_code == 204
    assert {t["id"]: t for t in client.get("/api/v1/tokens", headers=m.headers).json}[spare["id"]][
        "revoked_at"] == revoked_at


def test_a_token_can_revoke_itself(client, make):
    m = make.user("manager")
    own = client.get("/api/v1/tokens", headers=m.headers).json[0]
    assert client.delete(f"/api/v1/tokens/{own['id']}", headers=m.headers).status_code == 204
    assert client.get("/api/v1/tokens", headers=m.headers).status_code == 401


def test_revocation_holds_on_another_worker_at_once(app, make):
    """Two apps on one database stand for two gunicorn workers: each has its own engine and
    memory, so only a check in the database can see the other's revocation."""
    m = make.user("manager")
    other_worker = create_app({**{k: app.config[k] for k in ("TESTING", "SECRET_KEY",
                                                            "SQLALCHEMY_DATABASE_URI")},
                               "BROKER_SCHEDULER": "off"})
    a, b = app.test_client(), other_worker.test_client()
    spare = a.post("/api/v1/tokens", headers=m.headers, json={}).json
    assert b.get("/api/v1/me", headers=bearer(spare["api_token"])).status_code == 200  # known there
    assert a.delete(f"/api/v1/tokens/{spare['id']}", headers=m.headers).status_code == 204
    assert b.get("/api/v1/me", headers=bearer(spare["api_token"])).status_code == 401
    with other_worker.app_context():
        db.session.remove()
        db.engine.dispose()


def test_owner_or_admin_revokes_and_only_admins_list_others(client, make):
    m, other, admin = make.user("manager"), make.user("manager"), make.user("admin")
    theirs = client.get("/api/v1/tokens", headers=other.headers).json[0]["id"]
    r = client.delete(f"/api/v1/tokens/{theirs}", headers=m.headers)
    assert r.status_code == 403 and "another user" in r.json["message"]
    assert client.get(f"/api/v1/tokens?user_id={other.id}", headers=m.headers).status_code == 403
    assert client.get(f"/api/v1/tokens?user_id={m.id}", headers=m.headers).status_code == 200
    assert client.delete("/api/v1/tokens/999999", headers=m.headers).status_code == 404
    listed = client.get(f"/api/v1/tokens?user_id={other.id}", headers=admin.headers)
    assert listed.status_code == 200 and [t["id"] for t in listed.json] == [theirs]
    assert client.delete(f"/api/v1/tokens/{theirs}", headers=admin.headers).status_code == 204
    assert client.get("/api/v1/me", headers=other.headers).status_code == 401
    for path in ("/api/v1/tokens?user_id=0", "/api/v1/tokens?user_id=99999999999999999999"):
        assert client.get(path, headers=admin.headers).status_code == 422, path


def test_tokens_need_a_token(client):
    assert client.get("/api/v1/tokens").status_code == 401
    assert client.post("/api/v1/tokens", json={}).status_code == 401
    assert client.delete("/api/v1/tokens/1").status_code == 401


def test_live_tokens_are_bounded(client, make):
    m = make.user("manager")
    for _ in range(MAX_LIVE_TOKENS - 1):
        assert client.post("/api/v1/tokens", headers=m.headers, json={}).status_code == 201
    r = client.post("/api/v1/tokens", headers=m.headers, json={})
    assert r.status_code == 409 and "revoke one" in r.json["message"]
    newest = client.get("/api/v1/tokens?page_size=100", headers=m.headers).json[-1]["id"]
    assert client.delete(f"/api/v1/tokens/{newest}", headers=m.headers).status_code == 204
    assert client.post("/api/v1/tokens", headers=m.headers, json={}).status_code == 201


def last_used(app, token_id: int):
    with app.app_context():
        try:
            return db.session.get(ApiToken, token_id).last_used_at
        finally:
            db.session.remove()


def test_last_use_is_recorded_at_most_once_a_minute(client, make, app):
    m = make.user("manager")
    (token,) = client.get("/api/v1/tokens", headers=m.headers).json
    assert token["last_used_at"] is not None  # that request used it
    first = last_used(app, token["id"])
    with app.app_context():
        assert user_for_token(m.token, now=first + LAST_USE_STEP - timedelta(seconds=1)).id == m.id
        db.session.remove()
    assert last_used(app, token["id"]) == first  # within the minute: nothing written
    later = first + LAST_USE_STEP
    with app.app_context():
        assert user_for_token(m.token, now=later).id == m.id
        db.session.remove()
    assert last_used(app, token["id"]) == later


def test_reading_with_a_fresh_stamp_writes_nothing(client, make, app):
    from tests.integration.test_query_counts import counted
    m = make.user("manager")
    client.get("/api/v1/me", headers=m.headers)  # stamps last_used_at
    with counted(app) as statements:
        assert client.get("/api/v1/me", headers=m.headers).status_code == 200
    assert not [s for s in statements if s.lstrip().upper().startswith("UPDATE")], statements


def test_the_new_endpoints_are_documented(client):
    paths = client.get("/api/v1/openapi.json").json["paths"]
    assert {"get", "post"} <= set(paths["/api/v1/tokens"])
    assert "delete" in paths["/api/v1/tokens/{token_id}"]
    assert "patch" in paths["/api/v1/users/{user_id}"]
    assert "204" in paths["/api/v1/tokens/{token_id}"]["delete"]["responses"]

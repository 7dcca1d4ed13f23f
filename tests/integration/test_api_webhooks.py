"""The webhooks API: admins register (secret shown once), list, enable, delete, read the delivery
log and redeliver; everyone else is refused, and bad input is refused field by field."""
from datetime import timedelta

from broker.timeutil import utcnow
from tests.webhook_helpers import deliver, deliveries

NOW = utcnow().replace(microsecond=0)


def test_an_admin_registers_an_endpoint_and_sees_the_secret_once(client, make, receiver):
    admin = make.user("admin")
    made = client.post("/api/v1/webhooks", headers=admin.headers,
                       json={"url": receiver.url(), "events": ["task.offered", "task.submitted"],
                             "description": "n8n flow"})
    assert made.status_code == 201, made.json
    secret = made.json["secret"]
    assert secret.startswith("whsec_") and len(secret) > 40
    assert made.json["secret_hint"] == secret[:8] + "…" and made.json["active"] is True
    listed = client.get("/api/v1/webhooks", headers=admin.headers)
    assert listed.status_code == 200 and [w["id"] for w in listed.json] == [made.json["id"]]
    assert secret not in listed.text and "secret" not in listed.json[0]
    own = client.post("/api/v1/webhooks", headers=admin.headers,
                      json={"url": receiver.url("/b"), "events": ["*"], "secret": "s" * 20})
    assert own.status_code == 201 and own.json["secret"] is None


def test_only_admins_manage_webhooks(client, make, receiver):
    manager = make.user("manager")
    assert client.get("/api/v1/webhooks", headers=manager.headers).status_code == 403
    assert client.post("/api/v1/webhooks", headers=manager.headers,
                       json={"url": receiver.url(), "events": ["*"]}).status_code == 403
    assert client.get("/api/v1/webhooks").status_code == 401


def test_bad_webhooks_are_refused_field_by_field(client, make):
    admin = make.user("admin")
    bad = client.post("/api/v1/webhooks", headers=admin.headers,
                      json={"url": "http://example.com/hook", "events": ["task.gossip"], "secret": "short"})
    assert bad.status_code == 422
    assert set(bad.json["errors"]["json"]) == {"url", "events", "secret"}
    for body in ({"url": "", "events": ["*"]}, {"url": "https://x.example", "events": []},
                 {"url": "https://x.example"}, {"url": 5, "events": "*"}):
        answer = client.post("/api/v1/webhooks", headers=admin.headers, json=body)
        assert answer.status_code == 422, body
    assert client.delete("/api/v1/webhooks/999", headers=admin.headers).status_code == 404
    missing = client.patch("/api/v1/webhooks/999", headers=admin.headers, json={"active": True})
    assert missing.status_code == 404


def test_the_delivery_log_and_a_redelivery_with_the_same_id(client, app, make, receiver):
    admin, manager = make.user("admin"), make.user("manager")
    made = client.post("/api/v1/webhooks", headers=admin.headers,
                       json={"url": receiver.url(), "events": ["task.created"]}).json
    receiver.secret = made["secret"]
    make.brief(manager, now=NOW)
    deliver(app, NOW)
    log = client.get(f"/api/v1/webhooks/{made['id']}/deliveries", headers=admin.headers)
    assert log.status_code == 200
    (row,) = log.json
    assert (row["event"], row["status_code"], row["attempts"], row["state"]) == (
        "task.created", 204, 1, "sent")
    redeliver = f"/api/v1/webhooks/{made['id']}/deliveries/{row['id']}/redeliver"
    again = client.post(redeliver, headers=admin.headers)
    assert again.status_code == 200 and again.json["state"] == "queued"
    deliver(app, utcnow() + timedelta(seconds=1))
    first, second = receiver.delivered()
    assert first["headers"]["X-Broker-Delivery"] == second["headers"]["X-Broker-Delivery"] == row["uid"]
    assert client.post(f"/api/v1/webhooks/{made['id']}/deliveries/999/redeliver",
                       headers=admin.headers).status_code == 404
    disabled = client.patch(f"/api/v1/webhooks/{made['id']}", headers=admin.headers, json={"active": False})
    assert disabled.json["active"] is False and disabled.json["disabled_reason"].startswith("Disabled by")
    refused = client.post(redeliver, headers=admin.headers)
    assert refused.status_code == 409 and "enable it first" in refused.json["message"]
    assert client.delete(f"/api/v1/webhooks/{made['id']}", headers=admin.headers).status_code == 204
    assert deliveries(app) == []
    assert client.get(f"/api/v1/webhooks/{made['id']}/deliveries", headers=admin.headers).status_code == 404


def test_the_openapi_document_describes_the_webhooks(client):
    paths = client.get("/api/v1/openapi.json").json["paths"]
    assert {"/api/v1/webhooks", "/api/v1/webhooks/{endpoint_id}",
            "/api/v1/webhooks/{endpoint_id}/deliveries",
            "/api/v1/webhooks/{endpoint_id}/deliveries/{delivery_id}/redeliver"} <= set(paths)

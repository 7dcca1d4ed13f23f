"""Webhook signing, subscriptions and bodies (pure), and Slack clicks read from form bodies."""
import hashlib
import hmac
import json
from urllib.parse import urlencode

import pytest

from broker.slack_app.clicks import BadPayload, read_click
from notifications.webhooks.events import EVENT_TYPES, body_bytes, unknown_types, wants
from notifications.webhooks.signing import signature, signed_headers


def test_the_signature_is_hmac_sha256_over_timestamp_dot_body():
    body = b'{"id":1,"type":"task.offered"}'
    expected = hmac.new(b"whsec_test", b"1700000000." + body, hashlib.sha256).hexdigest()
    assert signature("whsec_test", "1700000000", body) == "sha256=" + expected
    headers = signed_headers("whsec_test", "task.offered", "d-1", 1700000000, body)
    assert headers["X-Broker-Signature"] == "sha256=" + expected
    assert (headers["X-Broker-Event"], headers["X-Broker-Delivery"], headers["X-Broker-Timestamp"]) == (
        "task.offered", "d-1", "1700000000")


def test_subscriptions_and_the_catalogue_of_event_types():
    assert {"task.created", "task.offered", "task.approved", "task.sla_breached"} <= set(EVENT_TYPES)
    assert len(EVENT_TYPES) == len(set(EVENT_TYPES))
    assert wants(["*"], "task.offered") and wants(["task.offered"], "task.offered")
    assert not wants(["task.approved"], "task.offered")
    assert unknown_types(["*", "task.offered", "task.gossip", "offered"]) == ["task.gossip", "offered"]


def test_the_body_is_the_same_bytes_every_time():
    payload = {"type": "task.offered", "id": 3, "task": {"title": "Café teaser", "id": 9}}
    assert body_bytes(payload) == body_bytes(dict(reversed(payload.items())))
    assert json.loads(body_bytes(payload)) == payload


def _form(payload) -> bytes:
    return urlencode({"payload": json.dumps(payload)}).encode()


def test_clicks_are_read_from_buttons_and_the_decline_menu():
    base = {"type": "block_actions", "user": {"id": "U1"},
            "response_url": "https://hooks.slack.com/actions/x"}
    button = {"action_id": "accept", "value": "42", "block_id": "task-42"}
    accept = read_click(_form({**base, "actions": [button]}))
    assert (accept.slack_user_id, accept.action, accept.task_id, accept.reason) == ("U1", "accept", 42, None)
    decline = read_click(_form({**base, "actions": [
        {"action_id": "decline", "selected_option": {"value": "42:deadline"}}]}))
    assert (decline.task_id, decline.reason) == (42, "Cannot make the due date")
    assert read_click(_form({"type": "view_submission"})) is None


@pytest.mark.parametrize("body", [
    b"", b"payload=not-json", _form([1, 2]), _form({"type": "block_actions", "actions": [{}]}),
    _form({"type": "block_actions", "user": {"id": "U1"}, "actions": []}),
    _form({"type": "block_actions", "user": {"id": "U1"},
           "actions": [{"action_id": "claim", "value": "-1"}]}),
    _form({"type": "block_actions", "user": {"id": "U1"},
           "actions": [{"action_id": "decline", "selected_option": {"value": "4:bored"}}]}),
    b"payload=%ff%fe",
])
def test_unreadable_payloads_are_bad_payloads(body):
    with pytest.raises(BadPayload):
        read_click(body)

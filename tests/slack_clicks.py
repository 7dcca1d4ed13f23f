"""Slack interactivity requests as Slack sends them: a block_actions payload, form-encoded and
signed with the app's signing secret (HMAC-SHA256 of `v0:{timestamp}:{body}`)."""
import hashlib
import hmac
import json
import time
from urllib.parse import urlencode

SIGNING_SECRET = "8f742231b10e8888abcd99yyyzzz85a5"


def sign(body: str, timestamp: str, secret: str = SIGNING_SECRET) -> str:
    """X-Slack-Signature exactly as Slack computes it."""
    base = f"v0:{timestamp}:{body}".encode()
    return "v0=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()


def click_payload(slack_user_id: str, message: dict, action: dict, response_url: str) -> dict:
    """A block_actions payload for one click on `message` (the message as Slack shows it)."""
    return {"type": "block_actions", "user": {"id": slack_user_id, "username": "someone", "team_id": "T0"},
            "api_app_id": "A0BROKER", "team": {"id": "T0", "domain": "acme"},
            "container": {"type": "message", "message_ts": "1700000000.000100", "channel_id": "D0"},
            "channel": {"id": "D0", "name": "directmessage"}, "trigger_id": "1.2.abc",
            "message": message, "response_url": response_url, "actions": [action]}


def button(message: dict, action_id: str) -> dict:
    """The click on the button `action_id` of `message`, with its block_id and value."""
    for block in message["blocks"]:
        for element in block.get("elements", []):
            if block["type"] == "actions" and element.get("action_id") == action_id:
                return {"type": element["type"], "action_id": action_id, "block_id": block["block_id"],
                        "value": element.get("value"), "action_ts": "1700000001.000200"}
    raise AssertionError(f"no {action_id} button in the message")


def menu_choice(message: dict, action_id: str, code: str) -> dict:
    """Picking the option ending in `:code` from the menu `action_id` of `message`."""
    for block in message["blocks"]:
        for element in block.get("elements", []):
            if block["type"] == "actions" and element.get("action_id") == action_id:
                (option,) = [o for o in element["options"] if o["value"].endswith(f":{code}")]
                return {"type": "static_select", "action_id": action_id, "block_id": block["block_id"],
                        "selected_option": option, "action_ts": "1700000001.000200"}
    raise AssertionError(f"no {action_id} menu in the message")


def post_click(client, payload: dict, timestamp: int | None = None, signature: str | None = None):
    """POST the payload to /slack/interactions as Slack does; a signature of our own replaces
    the right one, and `timestamp` (seconds) replaces the current time."""
    body = urlencode({"payload": json.dumps(payload)})
    stamp = str(int(time.time()) if timestamp is None else timestamp)
    return client.post("/slack/interactions", data=body,
                       content_type="application/x-www-form-urlencoded",
                       headers={"X-Slack-Request-Timestamp": stamp,
                                "X-Slack-Signature": signature or sign(body, stamp)})

"""A Slack interactivity request read as one click (pure): who clicked which button of which task.

Slack posts `payload=<JSON>` as a form; a block_actions payload lists the actions taken, of which
Broker reads the first. Buttons carry the task id as their value; the decline menu's options carry
`<task id>:<reason code>`."""
import json
from dataclasses import dataclass, field
from urllib.parse import parse_qs

from notifications.buttons import DECLINE_REASONS

TASK_ACTIONS = ("accept", "decline", "claim", "approve", "request_changes")


class BadPayload(ValueError):
    """The request was signed by Slack but is not a payload Broker can read (a 400)."""


@dataclass(frozen=True)
class Click:
    slack_user_id: str
    action: str  # one of TASK_ACTIONS, or another id (a link button) that needs no work
    task_id: int | None = None
    reason: str | None = None  # the decline reason picked from the menu
    block_id: str | None = None
    response_url: str | None = None
    message: dict = field(default_factory=dict)  # the message the button sits in, as Slack has it


def read_click(raw_body: bytes) -> Click | None:
    """The click in a form-encoded interactivity body; None for payloads that are not button
    clicks (Broker acknowledges them and does nothing)."""
    payload = _payload(raw_body)
    if payload.get("type") != "block_actions":
        return None
    user, actions = payload.get("user"), payload.get("actions")
    if not isinstance(user, dict) or not isinstance(user.get("id"), str):
        raise BadPayload("The payload has no user.id.")
    if not isinstance(actions, list) or not actions or not isinstance(actions[0], dict):
        raise BadPayload("The payload has no actions.")
    action = actions[0]
    name = str(action.get("action_id", ""))
    common = {"slack_user_id": user["id"], "action": name, "block_id": action.get("block_id"),
              "response_url": _text_or_none(payload.get("response_url")),
              "message": payload.get("message") if isinstance(payload.get("message"), dict) else {}}
    if name not in TASK_ACTIONS:
        return Click(**common)
    task_id, reason = _target(name, action)
    return Click(**common, task_id=task_id, reason=reason)


def _payload(raw_body: bytes) -> dict:
    try:
        fields = parse_qs(raw_body.decode("utf-8"), strict_parsing=False)
        payload = json.loads(fields["payload"][0])
    except (UnicodeDecodeError, KeyError, IndexError, ValueError):
        raise BadPayload("Expected a form field `payload` holding Slack's JSON.") from None
    if not isinstance(payload, dict):
        raise BadPayload("The payload must be a JSON object.")
    return payload


def _target(name: str, action: dict) -> tuple[int, str | None]:
    """The task id (and decline reason) a click is about."""
    if name == "decline" and isinstance(action.get("selected_option"), dict):
        value = str(action["selected_option"].get("value", ""))
        task, _, code = value.partition(":")
        if code not in DECLINE_REASONS:
            raise BadPayload(f"Unknown decline reason {code!r}.")
        return _task_id(task), DECLINE_REASONS[code]
    return _task_id(action.get("value")), None


def _task_id(value) -> int:
    if isinstance(value, str) and value.isdigit() and 0 < int(value) < 2**31:
        return int(value)
    raise BadPayload("The action's value must be a task id.")


def _text_or_none(value):
    return value if isinstance(value, str) and value.startswith(("https://", "http://")) else None

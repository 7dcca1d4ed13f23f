"""The Slack adapter's buttons: marker blocks (notifications.buttons) become Block Kit actions
blocks built with slack_sdk's models, so Slack's own rules (limits, required fields) apply."""
from slack_sdk.models.blocks import ActionsBlock, ButtonElement, Option, StaticSelectElement

from notifications.buttons import ACTIONS_BLOCK, DECLINE_REASONS

LABELS = {"accept": "Accept", "claim": "Claim", "approve": "Approve",
          "request_changes": "Request changes"}
STYLES = {"accept": "primary", "claim": "primary", "approve": "primary"}


def with_buttons(message: dict) -> dict:
    """The message with every button marker turned into a Block Kit actions block."""
    blocks = [actions(b["task_id"], b["actions"], b["block_id"]) if b.get("type") == ACTIONS_BLOCK
              else b for b in message.get("blocks") or ()]
    return {**message, "blocks": blocks}


def actions(task_id: int, names: list[str], block_id: str) -> dict:
    """One task's buttons; a click's value (or the picked option) carries the task id."""
    return ActionsBlock(block_id=block_id,
                        elements=[_element(name, task_id) for name in names]).to_dict()


def _element(name: str, task_id: int):
    if name == "decline":
        return decline_menu(task_id)
    return ButtonElement(text=LABELS[name], action_id=name, value=str(task_id),
                         style=STYLES.get(name))


def decline_menu(task_id: int) -> StaticSelectElement:
    """Decline with a reason picked from a menu: each option's value is `<task id>:<reason>`."""
    return StaticSelectElement(
        action_id="decline", placeholder="Decline…",
        options=[Option(value=f"{task_id}:{code}", label=label)
                 for code, label in DECLINE_REASONS.items()])

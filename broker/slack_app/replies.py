"""Answers to a click, built with slack_sdk's Block Kit models, and posted to the click's
response_url as Slack documents for block_actions (the HTTP answer only acknowledges)."""
import logging

from slack_sdk.models.blocks import ContextBlock, MarkdownTextObject
from slack_sdk.webhook import WebhookClient

from notifications.blockkit import escape

log = logging.getLogger("broker.slack")
_quiet = logging.getLogger("broker.slack.slack_sdk")  # slack_sdk's own lines would repeat ours
_quiet.setLevel(logging.CRITICAL)


def replacement(message: dict, block_id: str | None, outcome: str) -> dict:
    """The clicked message again with the clicked buttons replaced by the outcome; without a
    block to replace, its buttons go and the outcome is added at the end."""
    note = ContextBlock(block_id=block_id,
                        elements=[MarkdownTextObject(text=escape(outcome))]).to_dict()
    blocks = list(message.get("blocks") or [])
    if block_id and any(b.get("block_id") == block_id for b in blocks):
        blocks = [note if b.get("block_id") == block_id else b for b in blocks]
    else:
        blocks = [b for b in blocks if b.get("type") != "actions"] + [note]
    return {"replace_original": True, "text": outcome, "blocks": blocks}


def ephemeral(text: str) -> dict:
    """A note only the clicker sees; the message and its buttons stay as they are."""
    return {"response_type": "ephemeral", "replace_original": False, "text": text}


def post_reply(response_url: str | None, reply: dict, timeout: float) -> bool:
    """POST the reply to Slack's response_url; a failure is logged (the step itself is done)."""
    if not response_url:
        return False
    client = WebhookClient(response_url, timeout=timeout, retry_handlers=[], logger=_quiet)
    try:
        status = client.send_dict(reply).status_code
    except Exception as exc:  # refused, reset or timed out: urllib raises several types
        log.warning("Slack reply to a click failed: %s", type(exc).__name__)
        return False
    if status != 200:
        log.warning("Slack reply to a click answered HTTP %s", status)
    return status == 200

"""One notification as a Slack message (pure): a sentence with a link, and its text fallback."""
from dataclasses import dataclass

from notifications import kinds
from notifications.blockkit import context, escape, link, local_time, section, task_url
from notifications.buttons import actions_block, buttons_for


@dataclass(frozen=True)
class Reader:
    """Who a message is for, as far as rendering cares."""

    name: str
    role: str
    timezone: str
    base_url: str


def _detail_line(kind: str, details: dict, reader: Reader) -> str:
    if kind == "offered" and details.get("expires_at"):
        return f"Accept or decline by {local_time(details['expires_at'], reader.timezone)}."
    if kind.startswith("sla_") and details.get("due_at"):
        target = details.get("target", "turnaround")
        return f"{target.capitalize()} target due {local_time(details['due_at'], reader.timezone)}."
    lines = [f"{key.capitalize()}: {details[key]}" for key in ("reason", "note") if details.get(key)]
    lines += [f"{n}. {item}" for n, item in enumerate(details.get("items") or [], start=1)]
    return "\n".join(lines)[:2900]  # a context element holds 3,000 characters


def render_notification(kind: str, payload: dict, task_id: int | None, reader: Reader) -> dict:
    """{"text", "blocks"} for one urgent notification, with the reader's buttons when the kind
    offers any (accept or decline an offer, approve a submission...)."""
    title = payload.get("title") or f"Task {task_id}"
    label = kinds.LABELS.get(kind, kind.replace("_", " ").capitalize())
    url = task_url(reader.base_url, reader.role, payload.get("brief_id"), task_id)
    detail = _detail_line(kind, payload.get("details") or {}, reader)
    blocks = [section(f"*{escape(label)}:* {link(url, title)}")]
    if detail:
        blocks.append(context(escape(detail)))
    buttons = buttons_for(kind, reader.role)
    if buttons and task_id is not None:
        blocks.append(actions_block(task_id, buttons))
    text = f"{label}: {title}" + (f" ({detail})" if detail else "") + f" {url}"
    return {"text": text, "blocks": blocks}

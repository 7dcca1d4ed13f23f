"""Slack Block Kit building blocks (pure): escaping, links, local times and Slack's limits."""
from datetime import datetime

from broker.people.roles import SPECIALIST
from broker.shown_times import shown_time

MAX_BLOCKS = 50
MAX_SECTION_TEXT = 3000
MAX_HEADER_TEXT = 150


def escape(text: str) -> str:
    """Slack mrkdwn control characters: &, < and > must be sent as entities."""
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def link(url: str, label: str) -> str:
    """A mrkdwn link; the label is escaped and cannot end the link early."""
    return f"<{url}|{escape(label).replace('|', '¦')}>"


def task_url(base_url: str, role: str, brief_id: int | None, task_id: int | None) -> str:
    """Where a task lives in the app for this reader: the brief page for managers and admins,
    the queue for specialists."""
    base = base_url.rstrip("/")
    if task_id is None:
        return f"{base}/notifications"
    if role == SPECIALIST:
        return f"{base}/queue#task-{task_id}"
    return f"{base}/briefs/{brief_id}#task-{task_id}"


def local_time(value: datetime | str | None, timezone: str) -> str:
    """An instant as the reader reads it: `Tue 24 Nov 14:00 UTC+8` (broker.shown_times)."""
    if value is None:
        return ""
    try:
        return shown_time(value, timezone)
    except ValueError:
        return str(value)


def section(text: str) -> dict:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text[:MAX_SECTION_TEXT]}}


def header(text: str) -> dict:
    return {"type": "header", "text": {"type": "plain_text", "text": text[:MAX_HEADER_TEXT], "emoji": True}}


def context(text: str) -> dict:
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": text[:MAX_SECTION_TEXT]}]}


def fold_lines(title: str, lines: list[str], limit: int = MAX_SECTION_TEXT, max_lines: int = 15) -> str:
    """`title` then as many lines as fit in `limit` characters (and `max_lines`), the rest folded
    into "…and N more"."""
    shown: list[str] = []
    used = len(title)
    for index, line in enumerate(lines):
        rest = len(lines) - index - 1
        more = f"\n…and {rest} more" if rest else ""
        if len(shown) == max_lines or used + 1 + len(line) + len(more) > limit:
            break
        shown.append(line)
        used += 1 + len(line)
    hidden = len(lines) - len(shown)
    text = "\n".join([title, *shown])
    return text + (f"\n…and {hidden} more" if hidden else "")

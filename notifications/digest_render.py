"""A user's digest as plain data, and its Block Kit rendering (pure, no Flask, no database)."""
from dataclasses import dataclass, field
from datetime import date, datetime

from notifications.blockkit import MAX_BLOCKS, context, escape, fold_lines, header, link, local_time, section, task_url
from notifications.buttons import OFFER, REVIEW, actions_block
from notifications.messages import Reader

SECTIONS = (
    ("offered", "Offered to you", "offered to you"),
    ("review", "Waiting for your review", "waiting for your review"),
    ("updates", "Conversation and review", "updates"),
    ("due_today", "Due today", "due today"),
    ("at_risk", "At risk", "at risk"),
    ("breached", "Breached", "breached"),
    ("done", "Done since your last digest", "done"),
)


@dataclass(frozen=True)
class Item:
    """One line of a digest: a task, when it is due, and a short note."""

    task_id: int
    brief_id: int | None
    title: str
    due_at: datetime | None = None
    note: str = ""


@dataclass
class Digest:
    reader: Reader
    local_date: date
    sections: dict[str, list[Item]] = field(default_factory=dict)

    def counts(self) -> dict[str, int]:
        return {key: len(self.sections.get(key, ())) for key, _, _ in SECTIONS}

    @property
    def size(self) -> int:
        return sum(self.counts().values())

    @property
    def is_empty(self) -> bool:
        return self.size == 0


def _line(item: Item, reader: Reader) -> str:
    url = task_url(reader.base_url, reader.role, item.brief_id, item.task_id)
    parts = [f"• {link(url, item.title)}"]
    if item.due_at is not None:
        parts.append(f"due {local_time(item.due_at, reader.timezone)}")
    if item.note:
        parts.append(escape(item.note))
    return " · ".join(parts)


# Sections whose items carry buttons, and how many items get their own buttons (the rest are
# listed after them): 2 sections x (2 + 2 x 5) blocks stay well inside Slack's 50.
BUTTONS = {"offered": OFFER, "review": REVIEW}
WITH_BUTTONS = 5


def _section_blocks(key: str, title: str, items: list[Item], reader: Reader) -> list[dict]:
    """A divider and the section's lines folded into one block; in a section with buttons, the
    first items each get their own block and buttons, and the rest are folded after them."""
    lines = [_line(item, reader) for item in items]
    heading = f"*{title} ({len(items)})*"
    if key not in BUTTONS:
        return [{"type": "divider"}, section(fold_lines(heading, lines))]
    blocks = [{"type": "divider"}]
    for index, (item, line) in enumerate(zip(items[:WITH_BUTTONS], lines[:WITH_BUTTONS], strict=True)):
        blocks += [section(f"{heading}\n{line}" if index == 0 else line),
                   actions_block(item.task_id, BUTTONS[key])]
    if len(items) > WITH_BUTTONS:
        blocks.append(section(fold_lines(f"*More {title.lower()}*", lines[WITH_BUTTONS:])))
    return blocks


def _day(local_date: date) -> str:
    return f"{local_date:%a} {local_date.day} {local_date:%b}"


def summary(digest: Digest) -> str:
    """The counts in words, e.g. `2 offered to you, 1 due today` (non-zero ones only)."""
    counts = digest.counts()
    return ", ".join(f"{counts[key]} {words}" for key, _, words in SECTIONS if counts[key])


def render_digest(digest: Digest) -> dict:
    """{"blocks", "text"} within Slack's limits: at most 50 blocks, sections of at most 3,000
    characters (longer lists end in "…and N more"), and a plain-text fallback; offers and
    submissions waiting for review carry their buttons."""
    counts = digest.counts()
    blocks = [header(f"Your Broker digest · {_day(digest.local_date)}"),
              context(" · ".join(f"*{counts[key]}* {words}" for key, _, words in SECTIONS))]
    for key, title, _ in SECTIONS:
        items = digest.sections.get(key) or []
        if items:
            blocks += _section_blocks(key, title, items, digest.reader)
    home = f"{digest.reader.base_url.rstrip('/')}/notifications"
    blocks.append(context(f"{link(home, 'Open Broker')} · times in {escape(digest.reader.timezone)}"))
    text = f"Broker digest for {_day(digest.local_date)}: {summary(digest) or 'nothing pending'}."
    return {"blocks": blocks[:MAX_BLOCKS], "text": text}

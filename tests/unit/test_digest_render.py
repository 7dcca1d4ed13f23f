"""Digest and message rendering (pure, no database): Slack's limits, folding, escaping, golden JSON."""
import json
import os
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

from notifications.blockkit import MAX_BLOCKS, MAX_SECTION_TEXT, fold_lines, local_time
from notifications.buttons import ACTIONS_BLOCK
from notifications.digest_render import Digest, Item, render_digest
from notifications.messages import Reader, render_notification

GOLDEN = Path(__file__).resolve().parent.parent / "golden" / "digest_manila.json"
AT = datetime(2026, 11, 24, 1, 0, tzinfo=timezone.utc)
READER = Reader("Ana Santos", "specialist", "Asia/Manila", "https://broker.example")


def _digest(n_each: int, title="Cut the launch teaser") -> Digest:
    sections = {key: [Item(i + 1, 7, f"{title} {i + 1}", AT + timedelta(hours=i),
                           f"note {i}" if key == "at_risk" else "")
                      for i in range(n_each)]
                for key in ("offered", "due_today", "at_risk", "breached", "done")}
    return Digest(READER, date(2026, 11, 24), sections)


def _sections(message):
    return [b for b in message["blocks"] if b["type"] == "section"]


def test_golden_block_kit_for_a_digest():
    sections = {
        "offered": [Item(41, 7, "Cut the launch teaser", AT + timedelta(days=1),
                         "offer expires Tue 24 Nov 13:00 UTC+8")],
        "due_today": [Item(42, 7, "Q4 <webinar> & recap", AT + timedelta(hours=8))],
        "at_risk": [Item(43, 8, "LinkedIn ads | retargeting", None, "turnaround target at risk")],
        "breached": [],
        "done": [Item(40, 7, "Hero banner", None, "approved Mon 23 Nov 17:00 UTC+8")],
    }
    message = render_digest(Digest(READER, date(2026, 11, 24), sections))
    if os.environ.get("BROKER_UPDATE_GOLDEN") == "1":
        GOLDEN.write_text(json.dumps(message, indent=2, ensure_ascii=False) + "\n")
    assert message == json.loads(GOLDEN.read_text())


def test_limits_hold_for_a_huge_digest():
    message = render_digest(_digest(500, title="A very long deliverable title " * 6))
    assert len(message["blocks"]) <= MAX_BLOCKS
    for block in _sections(message):
        assert len(block["text"]["text"]) <= MAX_SECTION_TEXT
    # Every list folds its tail; the offers first show five with their own buttons.
    assert sum(b["text"]["text"].endswith("more") for b in _sections(message)) == 5
    assert [b["task_id"] for b in message["blocks"] if b["type"] == ACTIONS_BLOCK] == [1, 2, 3, 4, 5]
    assert len(message["blocks"][0]["text"]["text"]) <= 150
    assert message["text"] == ("Broker digest for Tue 24 Nov: 500 offered to you, 500 due today, "
                               "500 at risk, 500 breached, 500 done.")


def test_folding_keeps_the_count_right():
    lines = [f"• line {i} " + "x" * 200 for i in range(40)]
    text = fold_lines("*Due today (40)*", lines)
    shown = text.count("• line")
    assert len(text) <= MAX_SECTION_TEXT
    assert text.endswith(f"…and {40 - shown} more")
    assert fold_lines("*T*", ["a", "b"]) == "*T*\na\nb"
    tight = fold_lines("*T*", ["x" * 50] * 3, limit=100)
    assert len(tight) <= 100 and tight.endswith("…and 2 more")


def test_empty_sections_are_left_out_and_titles_are_escaped():
    digest = Digest(READER, date(2026, 11, 24), {"offered": [Item(1, 2, "<b>Tom & Jerry</b>|x")]})
    message = render_digest(digest)
    assert len(_sections(message)) == 1
    text = _sections(message)[0]["text"]["text"]
    assert "&lt;b&gt;Tom &amp; Jerry&lt;/b&gt;¦x" in text and "<b>" not in text
    assert "<https://broker.example/queue#task-1|" in text
    assert digest.size == 1 and not digest.is_empty
    assert Digest(READER, date(2026, 11, 24), {}).is_empty


def test_times_read_in_the_readers_zone():
    # An offset nobody misreads: never "PST" for Manila (a New York reader takes it for Pacific).
    assert local_time(AT, "Asia/Manila") == "Tue 24 Nov 09:00 UTC+8"
    assert local_time(AT.isoformat(), "America/Bogota") == "Mon 23 Nov 20:00 UTC-5"
    assert local_time(AT, "Asia/Kolkata") == "Tue 24 Nov 06:30 UTC+5:30"


def test_an_urgent_message_links_and_falls_back_to_text():
    manager = Reader("Mo", "manager", "Europe/London", "https://broker.example/")
    message = render_notification("sla_breached", {"title": "Teaser", "brief_id": 3,
                                                   "details": {"target": "ack", "due_at": AT.isoformat()}}, 9, manager)
    assert message["text"] == ("SLA breached: Teaser (Ack target due Tue 24 Nov 01:00 UTC.) "
                               "https://broker.example/briefs/3#task-9")
    assert message["blocks"][0]["text"]["text"] == "*SLA breached:* <https://broker.example/briefs/3#task-9|Teaser>"

"""Turn the brief form's fields into the API's brief payload, and errors back onto rows."""
import re
from datetime import datetime

import pendulum

TASK_FIELDS = ("title", "work_type", "skills", "priority", "estimate_hours", "due_at")
_SKILL = re.compile(r"^\s*([a-z][a-z0-9_]*)\s*:\s*(\d+)\s*$")


def task_rows(form, minimum: int = 3) -> list[dict]:
    """The task rows as typed, by index, at least `minimum` of them."""
    count = max(minimum, int(form.get("row_count", 0) or 0))
    rows = []
    for i in range(count):
        row = {f: form.get(f"tasks-{i}-{f}", "") for f in TASK_FIELDS}
        row["needs_manager_overlap"] = form.get(f"tasks-{i}-needs_manager_overlap") == "on"
        rows.append(row)
    return rows


def is_blank(row: dict) -> bool:
    return not any(str(row[f]).strip() for f in ("title", "skills", "estimate_hours", "due_at"))


def parse_skills(text: str):
    """'premiere_pro:3, after_effects:2' -> [{skill, min_level}]; None when blank."""
    if not text.strip():
        return None
    skills = []
    for part in text.split(","):
        match = _SKILL.match(part)
        if not match:
            raise ValueError(f"Write skills as name:level, e.g. premiere_pro:3 (not {part.strip()!r}).")
        skills.append({"skill": match.group(1), "min_level": int(match.group(2))})
    return skills


def local_due(text: str, tz: str) -> str | None:
    """A datetime-local value read in the manager's timezone, as ISO 8601 with offset."""
    if not text.strip():
        return None
    try:
        naive = datetime.fromisoformat(text.strip())
    except ValueError:
        raise ValueError("Use a date and time like 2026-11-30 17:00.")
    return pendulum.instance(naive, tz=tz).isoformat() if naive.tzinfo is None else naive.isoformat()


def payload(form, rows: list[dict], tz: str) -> tuple[dict, list[int], dict]:
    """The brief payload, the row index of each task in it, and errors found while parsing."""
    data = {k: form.get(k, "") for k in ("title", "description", "objective", "success_metric")}
    data["campaign"] = form.get("campaign", "").strip() or None
    data["tasks"], row_of, errors = [], [], {}
    for index, row in enumerate(rows):
        if is_blank(row):
            continue
        task = {k: row[k] for k in ("title", "work_type", "priority", "estimate_hours")}
        task["needs_manager_overlap"] = row["needs_manager_overlap"]
        for key, parse, source in (("skills", parse_skills, (row["skills"],)),
                                   ("due_at", local_due, (row["due_at"], tz))):
            try:
                task[key] = parse(*source)
            except ValueError as exc:
                errors.setdefault(index, {})[key] = [str(exc)]
        data["tasks"].append(task)
        row_of.append(index)
    return data, row_of, errors


def row_errors(messages: dict, row_of: list[int]) -> tuple[dict, dict]:
    """Split schema or service messages into brief-level errors and errors per form row."""
    brief = {k: v for k, v in messages.items() if k != "tasks"}
    rows: dict = {}
    tasks = messages.get("tasks", {})
    if isinstance(tasks, list):
        brief["tasks"] = tasks
    else:
        for position, problems in tasks.items():
            rows[row_of[int(position)]] = _flatten(problems)
    return {k: _flatten(v) for k, v in brief.items()}, rows


def _flatten(problems):
    if isinstance(problems, dict):
        return {k: " ".join(_messages(v)) for k, v in problems.items()}
    return " ".join(_messages(problems))


def _messages(value) -> list[str]:
    if isinstance(value, dict):
        return [f"{k}: {m}" for k, v in value.items() for m in _messages(v)]
    return [str(v) for v in value] if isinstance(value, list) else [str(value)]

"""Turn the brief form's fields into the API's brief payload, and errors back onto rows."""
import re

from broker.web.form_fields import local_instant

TASK_FIELDS = ("title", "work_type", "skills", "priority", "estimate_hours", "due_at", "after")
MAX_ROWS = 50  # BriefCreateSchema takes at most 50 tasks; more rows could never be posted
_SKILL = re.compile(r"^\s*([a-z][a-z0-9_]*)\s*:\s*(\d+)\s*$")
REQUIRED = "Required."


def blank_row() -> dict:
    return dict.fromkeys(TASK_FIELDS, "") | {"needs_manager_overlap": False}


def task_rows(form, minimum: int = 3) -> list[dict]:
    """The task rows as typed, by index, at least `minimum` and at most MAX_ROWS of them."""
    try:
        count = int(form.get("row_count") or 0)
    except ValueError:
        count = 0
    rows = []
    for i in range(min(max(minimum, count), MAX_ROWS)):
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
        level = int(match.group(2))
        if not 1 <= level <= 5:
            raise ValueError(f"Skill levels go from 1 to 5 (not {part.strip()!r}).")
        skills.append({"skill": match.group(1), "min_level": level})
    return skills


def payload(form, rows: list[dict], tz: str) -> tuple[dict, list[int], dict]:
    """The brief payload, the row index of each task in it, and the errors found while parsing.

    Errors have the schema's shape ({"tasks": {position: {field: [message]}}}) so they merge
    with the schema's own and every problem is reported in one round trip.
    """
    data = {k: form.get(k, "") for k in ("title", "description", "objective", "success_metric")}
    data["campaign"] = form.get("campaign", "").strip() or None
    data["tasks"], row_of, problems = [], [], {}
    for index, row in enumerate(rows):
        if is_blank(row):
            continue
        position = len(data["tasks"])
        task = {k: row[k] for k in ("title", "work_type", "priority", "estimate_hours")}
        task["needs_manager_overlap"] = row["needs_manager_overlap"]
        try:
            task["skills"] = parse_skills(row["skills"])
        except ValueError as exc:
            problems.setdefault(position, {})["skills"] = [str(exc)]
        try:
            due = local_instant(row["due_at"], tz)
        except ValueError as exc:
            problems.setdefault(position, {})["due_at"] = [str(exc)]
        else:
            if due is not None:
                task["due_at"] = due.isoformat()
        data["tasks"].append(task)
        row_of.append(index)
    link_after(data["tasks"], rows, row_of, problems)
    return data, row_of, {"tasks": problems} if problems else {}


def link_after(tasks: list[dict], rows: list[dict], row_of: list[int], problems: dict):
    """Each row's "waits for" row numbers (as shown, from 1) as the API's `after` positions."""
    position_of = {index: position for position, index in enumerate(row_of)}
    for position, index in enumerate(row_of):
        typed = str(rows[index].get("after") or "").replace(",", " ").split()
        after = []
        for number in typed:
            row = int(number) - 1 if number.isdigit() else -1
            if row not in position_of:
                problems.setdefault(position, {})["after"] = [f"Row {number} holds no task."]
                break
            after.append(position_of[row])
        if after:
            tasks[position]["after"] = after


def merge(a, b):
    """Merge two error trees (dicts of lists, nested by field and position)."""
    if isinstance(a, dict) and isinstance(b, dict):
        out = dict(a)
        for key, value in b.items():
            out[key] = merge(out[key], value) if key in out else value
        return out
    if isinstance(a, list) and isinstance(b, list):
        return a + [m for m in b if m not in a]
    return a


def row_errors(messages: dict, row_of: list[int], form=None, rows=None) -> tuple[dict, dict]:
    """Split schema or service messages into brief-level errors and errors per form row.

    With the typed `form` and `rows`, a field left blank says "Required." instead of the
    validator's wording ("Length must be between 1 and 200.", "Not a valid number.").
    """
    form, rows = form or {}, rows or []
    brief: dict = {}
    for key, value in messages.items():
        if key == "tasks" and not isinstance(value, list):
            continue
        brief[key] = _say(value, form.get(key) if key != "tasks" else None)
    task_rows_: dict = {}
    tasks = messages.get("tasks", {})
    if isinstance(tasks, dict):
        for position, problems in tasks.items():
            index = row_of[int(position)]
            typed = rows[index] if index < len(rows) else {}
            if isinstance(problems, dict):
                task_rows_[index] = {k: _say(v, typed.get(k)) for k, v in problems.items()}
            else:
                task_rows_[index] = {"row": _say(problems, None)}
    return brief, task_rows_


def _say(problems, typed) -> str:
    if typed is not None and not str(typed).strip():
        return REQUIRED
    return " ".join(_messages(problems))


def _messages(value) -> list[str]:
    if isinstance(value, dict):
        return [f"{k}: {m}" for k, v in value.items() for m in _messages(v)]
    return [str(v) for v in value] if isinstance(value, list) else [str(value)]

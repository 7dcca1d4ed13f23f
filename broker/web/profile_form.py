"""The profile form's fields to the API's specialist payload, and its errors back onto fields.

The rules themselves stay in the API's schemas (SpecialistPatchSchema, TimeOffSchema: hours via
hours_errors, IANA timezones, skill slugs and levels, capacity bounds) and in the people services;
this module only reads what was typed and says where each error belongs.
"""
import re
from functools import cache
from zoneinfo import available_timezones

from broker.web.form_fields import error_text, local_instant
from broker.worktime.weekly_hours import WEEKDAYS

DAY_NAMES = dict(zip(WEEKDAYS, ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday",
                                "Saturday", "Sunday")))
_SPAN = re.compile(r"^\s*(\d{1,2}:\d{2})\s*[-–—]\s*(\d{1,2}:\d{2})\s*$")
SPAN_HINT = "Write spans like 09:00–17:00, separated by commas (22:00–06:00 runs past midnight)."
EXTRA_SKILL_ROWS = 2
MAX_SKILL_ROWS = 60


@cache
def timezone_names() -> list[str]:
    return sorted(z for z in available_timezones() if "/" in z or z == "UTC")


def hours_text(hours: dict) -> dict[str, str]:
    """Stored hours as the text of each weekday's field: '09:00–13:00, 14:00–18:00'."""
    return {day: ", ".join(f"{s}–{e}" for s, e in hours.get(day, [])) for day in WEEKDAYS}


def _clock(text: str) -> str:
    return text.zfill(5)  # "9:00" -> "09:00"; hours_errors checks the ranges


def parse_hours(form) -> tuple[dict, dict]:
    """{weekday: [[start, end]]} from the weekday fields, and the fields that could not be read."""
    hours, problems = {}, {}
    for day in WEEKDAYS:
        text = form.get(f"hours-{day}", "").strip()
        if not text:
            continue
        spans = []
        for part in text.split(","):
            match = _SPAN.match(part)
            if not match:
                problems[day] = f"Cannot read {part.strip()!r}. {SPAN_HINT}"
                break
            spans.append([_clock(match.group(1)), _clock(match.group(2))])
        else:
            hours[day] = spans
    return hours, problems


def skill_rows(form=None, skills=None) -> list[dict]:
    """The skill rows as typed (or stored), with blank rows to add more."""
    if form is None:
        rows = [{"skill": s.skill, "level": str(s.level)} for s in skills or []]
        return rows + [{"skill": "", "level": ""} for _ in range(EXTRA_SKILL_ROWS)]
    try:
        count = min(int(form.get("skill_rows") or 0), MAX_SKILL_ROWS)
    except ValueError:
        count = 0
    return [{"skill": form.get(f"skill-{i}-name", "").strip(),
             "level": form.get(f"skill-{i}-level", "").strip()} for i in range(count)]


def skills_payload(rows: list[dict]) -> tuple[list[dict], list[int], dict]:
    """[{skill, level}] from the non-blank rows, the row of each item, and problems per row."""
    items, row_of, problems, seen = [], [], {}, set()
    for index, row in enumerate(rows):
        if not row["skill"] and not row["level"]:
            continue
        if row["skill"] and row["skill"] in seen:
            problems[index] = {"skill": "Listed twice; keep one row per skill."}
            continue
        seen.add(row["skill"])
        item = {"skill": row["skill"]} if row["skill"] else {}
        if row["level"]:
            item["level"] = int(row["level"]) if row["level"].isdigit() else row["level"]
        items.append(item)
        row_of.append(index)
    return items, row_of, problems


def skill_errors(messages, row_of: list[int]) -> dict:
    """Schema errors on skills ({position: {field: [..]}}) as {row: {field: text}}."""
    if not isinstance(messages, dict):
        return {}
    out = {}
    for position, fields in messages.items():
        if isinstance(fields, dict) and int(position) < len(row_of):
            out[row_of[int(position)]] = {k: error_text(v) for k, v in fields.items()}
    return out


def time_off_payload(form, tz: str) -> tuple[dict, dict]:
    """TimeOffSchema's input from the local date-time fields, and the fields that could not be read."""
    data, problems = {}, {}
    for key in ("starts_at", "ends_at"):
        text = form.get(f"timeoff-{key}", "")
        if not text.strip():
            continue  # the schema says it is required
        try:
            data[key] = local_instant(text, tz).isoformat()
        except ValueError as exc:
            problems[key] = str(exc)
    reason = form.get("timeoff-reason", "").strip()
    data["reason"] = reason or None
    return data, problems


def field_errors(messages: dict) -> dict:
    """Flat {field: text} for the scalar fields of a schema's or service's errors."""
    return {k: error_text(v) for k, v in messages.items() if k not in ("skills", "working_hours")}


def hours_errors_by_day(messages) -> dict:
    """Errors on working_hours keyed by weekday ('_schema' when not about one day)."""
    if isinstance(messages, dict):
        return {k: error_text(v) for k, v in messages.items()}
    return {"_schema": error_text(messages)}


def merge_errors(errors: dict, messages: dict, row_of: list) -> dict:
    """Add a schema's or a service's `messages` to a profile form's `errors` ({fields, hours,
    skills}): scalar fields, hours by day, and skill problems on the rows they came from."""
    errors["fields"] |= field_errors(messages)
    if "working_hours" in messages:
        errors["hours"] = hours_errors_by_day(messages["working_hours"]) | errors["hours"]
    for row, problems in skill_errors(messages.get("skills"), row_of).items():
        errors["skills"][row] = problems | errors["skills"].get(row, {})
    if "skills" in messages and not isinstance(messages["skills"], dict):
        errors["fields"]["skills"] = error_text(messages["skills"])
    return errors

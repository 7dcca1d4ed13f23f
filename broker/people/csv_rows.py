"""Specialists from a CSV file (pure): each row read into a profile payload with every problem of
that row named by column, so a preview can show them all before anything is stored.

Columns: email, name, timezone, skills (`premiere_pro:4;after_effects:3`), hours
(`mon-fri 09:00-17:00; sat 10:00-14:00`, several spans of a day separated by spaces), capacity
(0-50, 3 when empty) and partner (optional).
"""
import csv
import io
import re
from dataclasses import dataclass, field

from marshmallow import ValidationError, validate

from broker.timeutil import is_timezone
from broker.worktime.weekly_hours import WEEKDAYS, hours_errors

COLUMNS = ("email", "name", "timezone", "skills", "hours", "capacity", "partner")
REQUIRED = ("email", "name", "timezone", "hours")
MAX_ROWS = 500
EXAMPLE = ("email,name,timezone,skills,hours,capacity,partner\n"
           "ana.reyes@studio.example,Ana Reyes,Asia/Manila,premiere_pro:4;after_effects:3,"
           "mon-fri 09:00-18:00,3,Luzon Creative")
_SLUG = re.compile(r"^[a-z][a-z0-9_]{0,63}$")
_SPAN = re.compile(r"^(\d{1,2}:\d{2})[-–](\d{1,2}:\d{2})$")
_EMAIL = validate.Email()


@dataclass
class CsvRow:
    """One data row: its line in the file, what was typed, the payload and problems by column."""

    line: int
    typed: dict
    data: dict = field(default_factory=dict)
    errors: dict = field(default_factory=dict)


def read_rows(text: str) -> tuple[list[CsvRow], list[str]]:
    """The file's rows, each checked alone, and problems of the file as a whole."""
    if "\0" in text:
        return [], ["The file holds NUL bytes: is it a spreadsheet file rather than CSV?"]
    try:
        return _read(text)
    except csv.Error as exc:  # a NUL byte, an unclosed quote at the end, a giant field
        return [], [f"Cannot read the file as CSV: {exc}."]


def _read(text: str) -> tuple[list[CsvRow], list[str]]:
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff").strip()))
    header = [(name or "").strip().lower() for name in reader.fieldnames or []]
    problems = _header_problems(header)
    if problems:
        return [], problems
    reader.fieldnames = header
    rows = []
    for number, record in enumerate(reader, start=2):
        if not any((v or "").strip() for k, v in record.items() if k):
            continue  # a blank line
        typed = {k: (record.get(k) or "").strip() for k in COLUMNS}
        rows.append(check_row(number, typed))
    if not rows:
        problems.append("The file has a header but no rows.")
    elif len(rows) > MAX_ROWS:
        problems.append(f"At most {MAX_ROWS} rows at a time; this file has {len(rows)}.")
    return rows, problems


def _header_problems(header: list[str]) -> list[str]:
    if not header:
        return ["The file is empty; the first line names the columns: " + ", ".join(COLUMNS) + "."]
    problems = []
    unknown = [h for h in header if h not in COLUMNS]
    if unknown:
        problems.append(f"Unknown columns: {', '.join(unknown)}; use {', '.join(COLUMNS)}.")
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        problems.append(f"Missing columns: {', '.join(missing)}.")
    return problems


def check_row(line: int, typed: dict) -> CsvRow:
    """Read one row's fields; every column's problem is kept, none stops the others."""
    row = CsvRow(line, typed)
    for column in REQUIRED:
        if not typed[column]:
            row.errors[column] = "Required."
    readers = {"email": _email, "name": _name, "timezone": _timezone, "skills": _skills,
               "hours": _hours, "capacity": _capacity, "partner": _partner}
    for column, read in readers.items():
        if column in row.errors:
            continue
        try:
            read(typed[column], row.data)
        except ValueError as exc:
            row.errors[column] = str(exc)
    return row


def _email(text, data):
    try:
        _EMAIL(text)
    except ValidationError:
        raise ValueError(f"{text!r} is not an email address.") from None
    if len(text) > 254:
        raise ValueError("At most 254 characters.")
    data["email"] = text.lower()


def _name(text, data):
    if len(text) > 120:
        raise ValueError("At most 120 characters.")
    data["name"] = text


def _timezone(text, data):
    if not is_timezone(text):
        raise ValueError(f"Unknown timezone {text!r}; use an IANA name like Asia/Manila.")
    data["timezone"] = text


def _skills(text, data):
    """`premiere_pro:4;after_effects:3` (empty: no skills)."""
    skills = {}
    for part in filter(None, (p.strip() for p in text.split(";"))):
        name, _, level = part.partition(":")
        name, level = name.strip(), level.strip()
        if not _SLUG.match(name):
            raise ValueError(f"{name!r} is not a skill slug like premiere_pro.")
        if not level.isdigit() or not 1 <= int(level) <= 5:
            raise ValueError(f"{part!r}: the level after the colon is 1 to 5, as in {name}:3.")
        if name in skills:
            raise ValueError(f"{name} is listed twice.")
        skills[name] = int(level)
    data["skills"] = [{"skill": k, "level": v} for k, v in skills.items()]


def _hours(text, data):
    """`mon-fri 09:00-17:00; sat 10:00-14:00`; an end before the start runs past midnight."""
    hours: dict = {}
    for part in filter(None, (p.strip() for p in text.split(";"))):
        days, *spans = part.replace(",", " ").split()
        if not spans:
            raise ValueError(f"{part!r}: write days then spans, as in mon-fri 09:00-17:00.")
        for day in _days(days):
            hours.setdefault(day, []).extend(_span(s) for s in spans)
    problems = hours_errors(hours)
    if problems:
        raise ValueError(" ".join(str(p) for p in _flat(problems)))
    data["working_hours"] = hours


def _days(text: str) -> list[str]:
    text = text.lower()
    first, _, last = text.partition("-")
    if first not in WEEKDAYS or (last and last not in WEEKDAYS):
        raise ValueError(f"{text!r}: days are mon, tue, … sun, or a range like mon-fri.")
    start, end = WEEKDAYS.index(first), WEEKDAYS.index(last or first)
    if end < start:
        raise ValueError(f"{text!r}: a range runs forwards, like mon-fri.")
    return list(WEEKDAYS[start:end + 1])


def _span(text: str) -> list[str]:
    match = _SPAN.match(text)
    if not match:
        raise ValueError(f"{text!r} is not a span like 09:00-17:00.")
    return [match.group(1).zfill(5), match.group(2).zfill(5)]


def _flat(problems):
    if isinstance(problems, dict):
        for value in problems.values():
            yield from _flat(value)
    elif isinstance(problems, list):
        for value in problems:
            yield from _flat(value)
    else:
        yield problems


def _capacity(text, data):
    if not text:
        data["capacity"] = 3
        return
    if not text.isdigit() or int(text) > 50:
        raise ValueError("A whole number from 0 to 50.")
    data["capacity"] = int(text)


def _partner(text, data):
    if len(text) > 120:
        raise ValueError("At most 120 characters.")
    data["partner"] = text or None

"""How JSON columns are written and read: orjson, several times as fast as the standard
library (a routing round writes thousands of explanations and reads thousands of skill lists),
with the same text for the same values: non-string keys become strings and numpy scalars plain
numbers.

The columns a routing round writes by the thousand (a task's routing explanation, its events'
details, the outbox's payloads) are JSONText: the same JSON, kept in a text column. PostgreSQL's
`json` type adds nothing but a check of the text on every write, at about 80 MB/s, which cost a
5,000-task round about 0.15 s; Broker writes these values itself (from orjson) and reads them
back whole. In SQL, `CAST(routing AS json) ->> 'summary'` reads one field (text_field does it for
a query on either backend).
"""
import json

import orjson
from sqlalchemy import String, Text, literal
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement
from sqlalchemy.types import TypeDecorator

_OPTIONS = orjson.OPT_NON_STR_KEYS | orjson.OPT_SERIALIZE_NUMPY


def dumps(value) -> str:
    return orjson.dumps(value, option=_OPTIONS).decode()


def loads(text: str | bytes):
    """orjson's reading, or the standard library's for what orjson refuses and rows written
    before it may hold (NaN)."""
    try:
        return orjson.loads(text)
    except orjson.JSONDecodeError:
        return json.loads(text)


class JSONText(TypeDecorator):
    """A JSON value (dict, list, ...) stored as its text. None is written as JSON null, as
    SQLAlchemy's JSON type writes it (a column left out of an INSERT stays SQL NULL); both read
    back as None."""

    impl = Text
    cache_ok = True
    hashable = False  # dicts and lists: the ORM must not put them in sets
    should_evaluate_none = True  # None goes through process_bind_param, as with JSON

    def process_bind_param(self, value, dialect):
        return dumps(value)

    def process_result_value(self, value, dialect):
        return None if value is None else loads(value)


class text_field(FunctionElement):
    """`text_field(Task.routing, "reason")`: one top-level field of a JSONText column, as text
    (NULL when missing or null), on SQLite and on PostgreSQL."""

    type = String()
    inherit_cache = True

    def __init__(self, column, key: str):
        super().__init__(column, literal(key))


@compiles(text_field)
def _sqlite_field(element, compiler, **kw):
    column, key = element.clauses
    return (f"json_extract({compiler.process(column, **kw)}, "
            f"'$.' || {compiler.process(key, **kw)})")


@compiles(text_field, "postgresql")
def _postgres_field(element, compiler, **kw):
    column, key = element.clauses
    return f"(CAST({compiler.process(column, **kw)} AS JSON) ->> {compiler.process(key, **kw)})"

"""Helpers for writes of thousands of rows in one transaction."""
from collections import defaultdict

from sqlalchemy import Integer, inspect, text


def reserve_ids(session) -> int:
    """Give the session's pending objects their primary keys from the table's sequence, one query
    per table (PostgreSQL only; returns how many were given).

    With every key known, the flush sends one executemany INSERT per table instead of pages of
    INSERT ... VALUES (...), (...) RETURNING id, whose thousands of placeholders psycopg parses
    on the client every time.
    """
    if session.get_bind().dialect.name != "postgresql":
        return 0
    pending = defaultdict(list)
    for obj in session.new:
        mapper = inspect(obj).mapper
        keys = mapper.primary_key
        if len(keys) == 1 and isinstance(keys[0].type, Integer) and keys[0].autoincrement in (True, "auto"):
            attr = mapper.get_property_by_column(keys[0]).key
            if getattr(obj, attr) is None:
                pending[(keys[0].table.name, keys[0].name, attr)].append(obj)
    for (table, column, attr), objects in pending.items():
        ids = session.scalars(text(
            "select nextval(pg_get_serial_sequence(:t, :c)) from generate_series(1, :n)"),
            {"t": table, "c": column, "n": len(objects)}).all()
        for obj, id_ in zip(objects, ids):
            setattr(obj, attr, id_)
    return sum(len(objects) for objects in pending.values())

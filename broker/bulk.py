"""Writes of thousands of rows in one transaction, without the ORM's per-object cost."""
from sqlalchemy import insert, text


def insert_with_ids(session, table, rows: list[dict]) -> list[int]:
    """Insert `rows` into `table` in one executemany and return their new ids, in order.

    PostgreSQL: the ids come from the table's sequence in one query first, so the insert is a
    plain executemany (INSERT ... RETURNING pages with thousands of placeholders cost psycopg a
    client-side parse each time). SQLite: one INSERT ... RETURNING in parameter order.
    """
    if not rows:
        return []
    if session.get_bind().dialect.name == "postgresql":
        ids = session.scalars(text(
            "select nextval(pg_get_serial_sequence(:t, 'id')) from generate_series(1, :n)"),
            {"t": table.name, "n": len(rows)}).all()
        session.execute(insert(table), [{**row, "id": id_} for row, id_ in zip(rows, ids)])
        return list(ids)
    result = session.execute(insert(table).returning(table.c.id, sort_by_parameter_order=True), rows)
    return list(result.scalars())

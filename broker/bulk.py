"""Writes of thousands of rows in one transaction, without the ORM's per-object cost.

Each table gets one statement: on PostgreSQL the rows travel as one array per column and are
spread out again by `unnest` (a handful of parameters, one round trip; an executemany costs
psycopg a pipeline step per row and a VALUES list thousands of placeholders to parse), on SQLite
one executemany of plain tuples (the sqlite3 module loops in C). Values go through each column's
own type (JSON, UTC timestamps) column by column, as SQLAlchemy would process them row by row.
"""
from datetime import datetime

from sqlalchemy import ARRAY, Table, text


def insert_rows(session, table: Table, rows: list[dict]):
    """Insert `rows` (dicts with the same keys) into `table`; columns they leave out take their
    Python-side defaults, as with SQLAlchemy's insert()."""
    if not rows:
        return
    rows = _with_defaults(table, rows)
    names = list(rows[0])
    columns = ", ".join(names)
    if _is_postgres(session):
        arrays = ", ".join(_array(session, table, name, i) for i, name in enumerate(names))
        _execute(session, f"INSERT INTO {table.name} ({columns}) SELECT * FROM unnest({arrays})",
                 _column_values(session, table, names, rows))
    else:
        marks = ", ".join("?" for _ in names)
        _execute_many(session, f"INSERT INTO {table.name} ({columns}) VALUES ({marks})",
                      _row_tuples(session, table, names, rows))


def update_rows(session, table: Table, rows: list[dict], match: dict[str, str]) -> int:
    """Set each row's values on the row of `table` whose columns equal its `match` entries
    ({column: key of the row holding the value to match}); the keys named there are not set.
    Returns how many rows were changed."""
    if not rows:
        return 0
    keys = list(rows[0])
    setting = [k for k in keys if k not in match.values()]
    if _is_postgres(session):
        fields = ", ".join(f"v{i}" for i in range(len(keys)))
        arrays = ", ".join(_array(session, table, _column_of(k, match), i) for i, k in enumerate(keys))
        sets = ", ".join(f"{k} = v.v{keys.index(k)}" for k in setting)
        where = " AND ".join(f"t.{column} = v.v{keys.index(key)}" for column, key in match.items())
        return _execute(session, f"UPDATE {table.name} AS t SET {sets} FROM unnest({arrays}) "
                                 f"AS v({fields}) WHERE {where}",
                        _column_values(session, table, [_column_of(k, match) for k in keys], rows,
                                       keys))
    order = setting + list(match.values())
    sets = ", ".join(f"{k} = ?" for k in setting)
    where = " AND ".join(f"{column} = ?" for column in match)
    return _execute_many(session, f"UPDATE {table.name} SET {sets} WHERE {where}",
                         _row_tuples(session, table, [_column_of(k, match) for k in order], rows,
                                     order))


def insert_with_ids(session, table: Table, rows: list[dict]) -> list[int]:
    """Insert `rows` into `table` in one statement and return their new ids, in order.

    PostgreSQL: the ids come from the table's sequence in one query first. SQLite: the round's
    transaction holds the database's only write lock, so the rows of one executemany get
    consecutive ids ending at last_insert_rowid().
    """
    if not rows:
        return []
    if _is_postgres(session):
        ids = session.scalars(text(
            "select nextval(pg_get_serial_sequence(:t, 'id')) from generate_series(1, :n)"),
            {"t": table.name, "n": len(rows)}).all()
        insert_rows(session, table, [{**row, "id": id_} for row, id_ in zip(rows, ids)])
        return list(ids)
    insert_rows(session, table, rows)
    last = session.connection().exec_driver_sql("select last_insert_rowid()").scalar()
    return list(range(last - len(rows) + 1, last + 1))


def _with_defaults(table: Table, rows: list[dict]) -> list[dict]:
    """`rows` with each left-out column's scalar or callable default (called once per row)."""
    missing = [c for c in table.columns if c.name not in rows[0] and c.default is not None
               and (c.default.is_scalar or c.default.is_callable)]
    if not missing:
        return rows
    scalars = {c.name: c.default.arg for c in missing if c.default.is_scalar}
    callables = [(c.name, c.default.arg) for c in missing if c.default.is_callable]
    return [{**row, **scalars, **{name: make(None) for name, make in callables}} for row in rows]


def _is_postgres(session) -> bool:
    return session.get_bind().dialect.name == "postgresql"


def _column_of(key: str, match: dict[str, str]) -> str:
    """The column a row's key holds a value for (a match key names its column in `match`)."""
    return next((column for column, k in match.items() if k == key), key)


def _processor(session, table: Table, name: str):
    return table.c[name].type._cached_bind_processor(session.get_bind().dialect)


def _array(session, table: Table, name: str, index: int) -> str:
    """`CAST(%(c3)b AS <column type>[])` for the column's values as one array parameter."""
    item = table.c[name].type
    array = ARRAY(item.impl if hasattr(item, "impl") else item)
    return f"CAST(%(c{index})b AS {array.compile(dialect=session.get_bind().dialect)})"


def _column_values(session, table, columns: list[str], rows: list[dict], keys=None) -> dict:
    """One list per column, each value processed by the column's type, for unnest."""
    params = {}
    for i, (column, key) in enumerate(zip(columns, keys or columns)):
        params[f"c{i}"] = _processed(_processor(session, table, column), [row[key] for row in rows])
    return params


def _row_tuples(session, table, columns: list[str], rows: list[dict], keys=None) -> list[tuple]:
    """Each row as a tuple of values processed by their columns' types, for executemany."""
    processed = [_processed(_processor(session, table, column), [row[key] for row in rows])
                 for column, key in zip(columns, keys or columns)]
    return list(zip(*processed))


def _processed(process, values: list) -> list:
    """`values` through a column type's processor; an instant (with its offset) is processed
    once however often it recurs (a round's events and notifications all happen at its now)."""
    if process is None:
        return values
    done: dict = {}
    out = []
    for value in values:
        if isinstance(value, datetime):
            key = (value, value.utcoffset())
            if key not in done:
                done[key] = process(value)
            out.append(done[key])
        else:
            out.append(process(value))
    return out


def _execute(session, sql: str, params: dict) -> int:
    return session.connection().exec_driver_sql(sql, params).rowcount


def _execute_many(session, sql: str, rows: list[tuple]) -> int:
    return session.connection().exec_driver_sql(sql, rows).rowcount

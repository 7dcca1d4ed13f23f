"""Writes of thousands of rows in one transaction, without the ORM's per-object cost.

Each table gets one statement. On PostgreSQL inserts are a COPY (psycopg formats the rows in C
and the server inserts them in batches) and updates take their rows as one array per column,
spread out again by `unnest` (a handful of parameters, one round trip; an executemany costs
psycopg a pipeline step per row and a VALUES list thousands of placeholders to parse); a
Pipeline sends many such statements without waiting for each. On SQLite each is one
executemany of plain tuples (the sqlite3 module loops in C). Values go through each column's
own type (JSON, UTC timestamps) column by column, as SQLAlchemy would process them row by row.
"""
from datetime import datetime

from sqlalchemy import ARRAY, Table
from sqlalchemy.exc import DBAPIError


def insert_rows(session, table: Table, rows: list[dict]):
    """Insert `rows` (dicts with the same keys) into `table`; columns they leave out take their
    Python-side defaults, as with SQLAlchemy's insert()."""
    if not rows:
        return
    rows = _with_defaults(table, rows)
    names = list(rows[0])
    columns = ", ".join(names)
    if _is_postgres(session):
        _copy(session, f"COPY {table.name} ({columns}) FROM STDIN",
              _row_tuples(session, table, names, rows))
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
    sql, params = _update_statement(session, table, rows, match)
    if _is_postgres(session):
        return _execute(session, sql, params)
    return _execute_many(session, sql, params)


def _update_statement(session, table: Table, rows: list[dict], match: dict[str, str]):
    """update_rows' SQL and its parameters: arrays for unnest on PostgreSQL, tuples elsewhere."""
    keys = list(rows[0])
    setting = [k for k in keys if k not in match.values()]
    if _is_postgres(session):
        fields = ", ".join(f"v{i}" for i in range(len(keys)))
        arrays = ", ".join(_array(session, table, _column_of(k, match), i) for i, k in enumerate(keys))
        sets = ", ".join(f"{k} = v.v{keys.index(k)}" for k in setting)
        where = " AND ".join(f"t.{column} = v.v{keys.index(key)}" for column, key in match.items())
        return (f"UPDATE {table.name} AS t SET {sets} FROM unnest({arrays}) AS v({fields}) "
                f"WHERE {where}",
                _column_values(session, table, [_column_of(k, match) for k in keys], rows, keys))
    order = setting + list(match.values())
    sets = ", ".join(f"{k} = ?" for k in setting)
    where = " AND ".join(f"{column} = ?" for column in match)
    return (f"UPDATE {table.name} SET {sets} WHERE {where}",
            _row_tuples(session, table, [_column_of(k, match) for k in order], rows, order))


def insert_with_ids(session, table: Table, rows: list[dict]) -> list[int]:
    """Insert `rows` into `table` in one statement and return their new ids, in order.

    PostgreSQL: each row takes the next id of the table's sequence in the statement, which
    returns them. SQLite: the round's transaction holds the database's only write lock, so the
    rows of one executemany get consecutive ids ending at last_insert_rowid().
    """
    if not rows:
        return []
    if _is_postgres(session):
        return _ids_returned(session.connection().exec_driver_sql(*_insert_returning_ids(session, table, rows)))
    insert_rows(session, table, rows)
    last = session.connection().exec_driver_sql("select last_insert_rowid()").scalar()
    return list(range(last - len(rows) + 1, last + 1))


class Pipeline:
    """update_rows and insert_with_ids for many chunks of one transaction, each statement sent
    without waiting for the ones before to finish (psycopg's pipeline mode, on PostgreSQL): the
    server writes one chunk while Python prepares the next. What the statements answer is known
    once the block ends: `counts`, each update's changed rows, and `ids`, each insert's new ids
    in its rows' order. Elsewhere each statement runs at once.

        with Pipeline(session) as writes:
            writes.insert_with_ids(events, rows)
            writes.update_rows(tasks, rows, match)
        writes.ids, writes.counts
    """

    def __init__(self, session):
        self.session = session
        self._counts: list = []  # ints, or on PostgreSQL the cursors that will know them
        self._ids: list = []  # lists of ids, or on PostgreSQL the cursors returning them
        self._pipeline = None

    def __enter__(self):
        if _is_postgres(self.session):
            self._connection = _driver_connection(self.session)
            self._pipeline = self._connection.pipeline()
            self._pipeline.__enter__()
        return self

    def __exit__(self, exc_type, error, traceback):
        if self._pipeline is None:
            return
        driver_error = self.session.get_bind().dialect.loaded_dbapi.Error
        try:
            self._pipeline.__exit__(exc_type, error, traceback)  # every result received
            if error is None:
                self._counts = [c if isinstance(c, int) else c.rowcount for c in self._counts]
                self._ids = [c if isinstance(c, list) else _ids_returned(c) for c in self._ids]
        except driver_error as failed:  # a statement failed: raised as SQLAlchemy would raise it
            raise self._as_sqlalchemy_error(failed) from failed
        if isinstance(error, driver_error):  # raised inside the block
            raise self._as_sqlalchemy_error(error) from error

    def _as_sqlalchemy_error(self, error):
        dialect = self.session.get_bind().dialect
        return DBAPIError.instance(None, None, error, dialect.loaded_dbapi.Error, dialect=dialect)

    @property
    def counts(self) -> list[int]:
        return list(self._counts)

    @property
    def ids(self) -> list[list[int]]:
        return list(self._ids)

    def update_rows(self, table: Table, rows: list[dict], match: dict[str, str]):
        if self._pipeline is None or not rows:
            self._counts.append(update_rows(self.session, table, rows, match))
        else:
            self._counts.append(self._send(*_update_statement(self.session, table, rows, match)))

    def insert_with_ids(self, table: Table, rows: list[dict]):
        if self._pipeline is None or not rows:
            self._ids.append(insert_with_ids(self.session, table, rows))
        else:
            self._ids.append(self._send(*_insert_returning_ids(self.session, table, rows)))

    def _send(self, sql: str, params: dict):
        cursor = self._connection.cursor()
        cursor.execute(sql, params)
        return cursor


def _insert_returning_ids(session, table: Table, rows: list[dict]) -> tuple[str, dict]:
    """PostgreSQL: one INSERT of `rows` from arrays spread out by unnest, each row taking the
    next id of the table's sequence, returning them (COPY cannot return ids, nor run in a
    pipeline)."""
    rows = _with_defaults(table, rows)
    names = list(rows[0])
    arrays = ", ".join(_array(session, table, name, i) for i, name in enumerate(names))
    return (f"INSERT INTO {table.name} (id, {', '.join(names)}) "
            f"SELECT nextval(pg_get_serial_sequence('{table.name}', 'id')), * FROM unnest({arrays}) "
            "RETURNING id", _column_values(session, table, names, rows))


def _ids_returned(result) -> list[int]:
    """The ids _insert_returning_ids' statement returned, in its rows' order: nextval ran row by
    row in the order unnest spread the rows out, so they ascend in that order, whatever order
    RETURNING gives them in."""
    return sorted(id_ for id_, in result.fetchall())


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


def _copy(session, sql: str, rows: list[tuple]):
    """COPY `rows` in: psycopg formats each row in C, and the server inserts them in batches."""
    with _driver_connection(session).cursor() as cursor:
        with cursor.copy(sql) as copy:
            for row in rows:
                copy.write_row(row)


def _driver_connection(session):
    """The psycopg connection under the session's (for COPY and pipeline mode)."""
    return session.connection().connection.dbapi_connection


def _execute_many(session, sql: str, rows: list[tuple]) -> int:
    return session.connection().exec_driver_sql(sql, rows).rowcount

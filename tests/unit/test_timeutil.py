"""Instants and zones: parse_instant, is_timezone, to_utc and UTCDateTime through real databases."""
import os
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pendulum
import pytest
import sqlalchemy as sa
from sqlalchemy.exc import StatementError

from broker.settings import normalise_database_url
from broker.timeutil import UTCDateTime, is_timezone, parse_instant, to_utc, utcnow

KOLKATA = ZoneInfo("Asia/Kolkata")


# --- parse_instant ----------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "expected"), [
    ("2026-11-24T09:00:00+08:00", datetime(2026, 11, 24, 1, 0, tzinfo=timezone.utc)),
    ("2026-11-24T09:00:00Z", datetime(2026, 11, 24, 9, 0, tzinfo=timezone.utc)),
    ("2026-11-24T09:00:00-05:00", datetime(2026, 11, 24, 14, 0, tzinfo=timezone.utc)),
    ("2026-11-24T09:00:00+05:30", datetime(2026, 11, 24, 3, 30, tzinfo=timezone.utc)),
    ("2026-11-24 09:00:00+00:00", datetime(2026, 11, 24, 9, 0, tzinfo=timezone.utc)),
    ("2026-11-24T09:00:00.250Z", datetime(2026, 11, 24, 9, 0, 0, 250000, tzinfo=timezone.utc)),
    ("2026-11-24T02:00:00+08:00", datetime(2026, 11, 23, 18, 0, tzinfo=timezone.utc)),  # day before
])
def test_parse_instant_returns_stdlib_utc(text, expected):
    parsed = parse_instant(text)
    assert parsed == expected
    assert parsed.tzinfo is timezone.utc
    assert type(parsed) is datetime  # not pendulum's subclass, whose arithmetic differs


@pytest.mark.parametrize(("text", "message"), [
    ("2026-11-24T09:00:00", "has no offset"),        # naive: which 09:00?
    ("2026-11-24 09:00", "has no offset"),
    ("20261124T090000", "has no offset"),
    ("2026-11-24", "not a date and time"),           # date only
    ("09:00+08:00", "not a date and time"),          # time only
    ("P1D", "not a date and time"),                  # a duration
    ("2026-11-24T09:00:00Z/2026-11-25T09:00:00Z", "not a date and time"),  # an interval
    ("garbage", "Unable to parse"),
    ("", "Unable to parse"),
    ("2026-11-24T25:00:00Z", "Unable to parse"),
    ("2026-02-30T09:00:00Z", "Unable to parse"),  # no 30 February
    ("2026-11-24T09:00:00+25:00", "Unable to parse"),
    (None, "not a date and time"),
])
def test_parse_instant_refuses(text, message):
    with pytest.raises(ValueError, match=message):
        parse_instant(text)


# --- is_timezone ------------------------------------------------------------------------------

@pytest.mark.parametrize("name", [
    "Asia/Kolkata", "America/Bogota", "UTC", "Asia/Manila", "Europe/London", "America/New_York",
    "America/Argentina/Buenos_Aires",  # three parts
    "US/Eastern",  # a backward-compatible IANA link: still a real zone
])
def test_known_iana_zones(name):
    assert is_timezone(name)


# Abbreviations ("EST", "GMT", "EST5EDT") are real files in the tz database but are not places:
# they carry no regional DST history people expect (EST is -05:00 all year), so they are refused;
# a user picks "America/New_York". Only "UTC" is allowed without a slash. Offsets are not zones.
@pytest.mark.parametrize("name", [
    "Mars/Olympus", "EST", "GMT", "EST5EDT", "+08:00", "UTC+8", "", " ", "utc", "asia/kolkata",
    "Asia/Kolkata ", "Asia/Kolkata\n", "Asia", "America/Indiana",  # a directory, not a zone
    "right/UTC", "posix/Asia/Kolkata",  # leap-second and duplicate copies, not IANA names
    "Asia/../Asia/Kolkata", "/etc/passwd", "../../etc/passwd", "Factory", None, 8,
])
def test_not_zones(name):
    assert not is_timezone(name)


# --- to_utc, utcnow ---------------------------------------------------------------------------

def test_to_utc_converts_aware_values_and_refuses_naive_ones():
    assert to_utc(datetime(2026, 11, 24, 9, 30, tzinfo=KOLKATA)) == datetime(2026, 11, 24, 4, 0,
                                                                              tzinfo=timezone.utc)
    converted = to_utc(pendulum.datetime(2026, 11, 24, 9, 30, tz="Asia/Kolkata"))
    assert type(converted) is datetime and converted.tzinfo is timezone.utc
    assert converted.hour == 4
    with pytest.raises(ValueError, match="naive"):
        to_utc(datetime(2026, 11, 24, 9, 30))


def test_utcnow_is_aware_utc():
    now = utcnow()
    assert now.tzinfo is timezone.utc


# --- UTCDateTime through a real database -------------------------------------------------------

def _events_table(metadata: sa.MetaData, **kw) -> sa.Table:
    return sa.Table("tz_roundtrip", metadata,
                    sa.Column("id", sa.Integer, primary_key=True),
                    sa.Column("at", UTCDateTime, nullable=True), **kw)


def _round_trip(conn, table):
    kolkata_morning = datetime(2026, 11, 24, 9, 30, tzinfo=KOLKATA)
    conn.execute(table.insert(), [{"id": 1, "at": kolkata_morning},
                                  {"id": 2, "at": pendulum.datetime(2026, 11, 24, 6, 0, tz="America/Bogota")},
                                  {"id": 3, "at": None}])
    rows = dict(conn.execute(sa.select(table.c.id, table.c.at).order_by(table.c.id)).all())
    back = rows[1]
    assert back.tzinfo is not None and back.utcoffset() == timedelta(0)
    assert back == datetime(2026, 11, 24, 4, 0, tzinfo=timezone.utc)
    assert (back.hour, back.minute) == (4, 0)  # not 09:30 read as UTC
    assert rows[2] == datetime(2026, 11, 24, 11, 0, tzinfo=timezone.utc)
    assert rows[3] is None
    # Comparisons in SQL bind through the decorator too: an aware bound in another zone works.
    bound = datetime(2026, 11, 24, 5, 0, tzinfo=ZoneInfo("Europe/Paris"))  # 04:00 UTC
    assert conn.scalars(sa.select(table.c.id).where(table.c.at <= bound)).all() == [1]
    with pytest.raises(StatementError, match="naive"):
        conn.execute(table.insert(), {"id": 4, "at": datetime(2026, 11, 24, 9, 30)})


def test_utc_datetime_round_trip_on_sqlite():
    engine = sa.create_engine("sqlite://")
    metadata = sa.MetaData()
    table = _events_table(metadata)
    metadata.create_all(engine)
    with engine.connect() as conn:
        _round_trip(conn, table)
        # SQLite keeps the UTC wall time as text; the offset is gone, which is why we store UTC.
        raw = conn.exec_driver_sql("select at from tz_roundtrip where id = 1").scalar()
        assert raw.startswith("2026-11-24 04:00:00")
    engine.dispose()


def _postgres_url():
    url = os.environ.get("TEST_DATABASE_URL", "")
    return normalise_database_url(url) if url.startswith(("postgres://", "postgresql")) else None


@pytest.mark.skipif(_postgres_url() is None, reason="TEST_DATABASE_URL is not PostgreSQL")
def test_utc_datetime_round_trip_on_postgresql():
    engine = sa.create_engine(_postgres_url())
    metadata = sa.MetaData()
    table = _events_table(metadata, prefixes=["TEMPORARY"])
    try:
        with engine.connect() as conn:
            # A session zone other than UTC: values must still come back in UTC.
            conn.exec_driver_sql("set time zone 'America/Los_Angeles'")
            metadata.create_all(conn)
            _round_trip(conn, table)
            column_type = conn.exec_driver_sql(
                "select data_type from information_schema.columns where table_name = 'tz_roundtrip'"
                " and column_name = 'at'").scalar()
            assert column_type == "timestamp with time zone"
            conn.rollback()
    finally:
        engine.dispose()

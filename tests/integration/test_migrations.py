"""The migrations alone build exactly the schema the models describe, seed the catalogue, and undo."""
import json

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy.types import TypeDecorator

from broker.extensions import NAMING, db
from tasks.catalogue import WORK_TYPES
from tests.factories import scratch_app

SEEDED_SLUGS = {"video_editing", "paid_media", "content_scheduling", "social_ops", "design",
                "copywriting", "reporting"}


def compare_stored_type(context, inspected_column, metadata_column, inspected_type, metadata_type):
    """Compare a TypeDecorator column by the type it is stored as (its impl), else defer to Alembic.

    A database only knows the impl (UTCDateTime is TIMESTAMP WITH TIME ZONE on PostgreSQL, DATETIME
    on SQLite); the decorator's Python-side conversion cannot be reflected. Alembic's default
    comparison happens to look at the DDL a type compiles to, which for a decorator is its impl's,
    so today there is no spurious diff; this callable says so explicitly instead of relying on it,
    and keeps the dialect's own rules (e.g. WITH vs WITHOUT TIME ZONE on PostgreSQL) for the impl.
    Returning None lets Alembic's default comparison decide for every other type.
    """
    if isinstance(metadata_type, TypeDecorator):
        stored = metadata_type.load_dialect_impl(context.dialect)
        return context.impl.compare_type(inspected_column, sa.Column(metadata_column.name, stored))
    return None


def schema_diff(connection, metadata) -> list:
    context = MigrationContext.configure(connection, opts={
        "compare_type": compare_stored_type,
        "compare_server_default": True,
    })
    return compare_metadata(context, metadata)


def test_migrated_schema_matches_the_models(app):
    with app.app_context(), db.engine.connect() as connection:
        assert schema_diff(connection, db.metadata) == []


def test_the_comparison_would_notice_a_drift(app):
    """Guards the test above: a changed type, a new column and a new table all show up."""
    drifted = sa.MetaData(naming_convention=NAMING)
    for table in db.metadata.sorted_tables:
        table.to_metadata(drifted)
    drifted.tables["tasks"].c.due_at.type = sa.String(40)
    drifted.tables["users"].append_column(sa.Column("nickname", sa.String(40)))
    sa.Table("ghosts", drifted, sa.Column("id", sa.Integer, primary_key=True))
    with app.app_context(), db.engine.connect() as connection:
        diffs = schema_diff(connection, drifted)
        kinds = {(d[0] if isinstance(d, tuple) else d[0][0]) for d in diffs}
        assert {"add_table", "add_column", "modify_type"} <= kinds
        if connection.dialect.name == "postgresql":
            # The impl's own rules still apply: a timestamp without zone is a different type.
            plain = sa.MetaData(naming_convention=NAMING)
            for table in db.metadata.sorted_tables:
                table.to_metadata(plain)
            plain.tables["tasks"].c.due_at.type = sa.DateTime(timezone=False)
            assert [d[0][0] for d in schema_diff(connection, plain)] == ["modify_type"]


def test_migration_seeds_the_work_type_catalogue(app):
    with app.app_context():
        rows = db.session.execute(sa.text("select slug, name, default_skills from work_types")).all()
        db.session.remove()
    assert {row.slug for row in rows} == SEEDED_SLUGS
    assert len(rows) == 7
    # The migration carries its own copy of the catalogue; it must agree with tasks.catalogue.
    by_slug = {w["slug"]: w for w in WORK_TYPES}
    for row in rows:
        skills = row.default_skills  # a raw select: PostgreSQL decodes JSON, SQLite gives text
        skills = json.loads(skills) if isinstance(skills, str) else skills
        assert (row.name, skills) == (by_slug[row.slug]["name"], by_slug[row.slug]["default_skills"])


def test_downgrade_to_base_and_upgrade_again(app, tmp_path):
    with app.app_context():
        if db.engine.dialect.name != "sqlite":
            pytest.skip("runs on a throwaway SQLite file; the session database stays untouched")
    other = scratch_app(tmp_path, migrate=False)
    app_tables = {t.name for t in db.metadata.sorted_tables}
    with other.app_context():
        upgrade()
        assert app_tables <= set(sa.inspect(db.engine).get_table_names())
        downgrade(revision="base")
        assert set(sa.inspect(db.engine).get_table_names()) <= {"alembic_version"}
        upgrade()
        assert app_tables <= set(sa.inspect(db.engine).get_table_names())
        with db.engine.connect() as connection:
            assert schema_diff(connection, db.metadata) == []
            slugs = connection.execute(sa.text("select slug from work_types")).scalars().all()
        assert set(slugs) == SEEDED_SLUGS and len(slugs) == 7
        db.session.remove()
        db.engine.dispose()


@pytest.mark.postgres
def test_routing_explanations_are_compressed_with_lz4(app):
    """An offer's explanation is past PostgreSQL's compression threshold: lz4 writes and reads it
    several times as fast as the default pglz (this server is built with lz4)."""
    with app.app_context():
        method = db.session.scalar(sa.text(
            "select attcompression from pg_attribute "
            "where attrelid = 'tasks'::regclass and attname = 'routing'"))
        db.session.remove()
    assert method == "l"

"""specialists and SLA calendars name a country (and subdivision) whose public holidays count

Revision ID: 0012
Revises: 0015
"""
from alembic import op
import sqlalchemy as sa


revision = "0012"
down_revision = "0015"
branch_labels = None
depends_on = None

TABLES = ("specialist_profiles", "sla_calendars")


def upgrade():
    for table in TABLES:
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column("country", sa.String(length=2), nullable=True))
            batch.add_column(sa.Column("subdivision", sa.String(length=10), nullable=True))


def downgrade():
    for table in TABLES:
        with op.batch_alter_table(table) as batch:
            batch.drop_column("subdivision")
            batch.drop_column("country")

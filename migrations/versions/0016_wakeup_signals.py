"""wakeup_signals: SQLite's stand-in for LISTEN/NOTIFY, so a scheduler in another process hears of new work

Revision ID: 0016
Revises: 0012
"""
from alembic import op
import sqlalchemy as sa


revision = "0016"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "wakeup_signals",
        sa.Column("job", sa.String(length=40), primary_key=True),
        sa.Column("count", sa.BigInteger(), nullable=False),
    )


def downgrade():
    op.drop_table("wakeup_signals")

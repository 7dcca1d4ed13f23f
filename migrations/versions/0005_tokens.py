"""tokens: labels and last use of API tokens; users' session version (ends sessions on demand)

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-30 06:00:00.000000

Every step is a plain ADD or DROP COLUMN, never batch mode's copy of the table: on SQLite that
copy drops `users`, and with foreign keys on the drop cascades to every row that points at it
(tokens, profiles, notifications...). SQLite has had DROP COLUMN since 3.35.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade():
    op.add_column('api_tokens', sa.Column('label', sa.String(length=100), nullable=True))
    op.add_column('api_tokens', sa.Column('last_used_at', sa.DateTime(timezone=True), nullable=True))
    # Existing users start at version 1 (the server default fills their rows).
    op.add_column('users', sa.Column('session_version', sa.Integer(), nullable=False,
                                     server_default=sa.text('1')))


def downgrade():
    op.drop_column('users', 'session_version')
    op.drop_column('api_tokens', 'last_used_at')
    op.drop_column('api_tokens', 'label')

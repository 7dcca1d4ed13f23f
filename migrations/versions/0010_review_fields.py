"""tasks: revision rounds and the owner's rating, shared by the work loop and the cost reports

Revision ID: 0010
Revises: 0009
"""
from alembic import op
import sqlalchemy as sa


revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("tasks") as batch:
        batch.add_column(sa.Column("revision", sa.Integer(), nullable=False, server_default="0"))
        batch.add_column(sa.Column("rating", sa.Integer(), nullable=True))
        batch.create_check_constraint(op.f("ck_tasks_rating"), "rating between 1 and 5")


def downgrade():
    with op.batch_alter_table("tasks") as batch:
        batch.drop_constraint(op.f("ck_tasks_rating"), type_="check")
        batch.drop_column("rating")
        batch.drop_column("revision")

"""planning: runs started from the /planning page, with their progress and results

Revision ID: 0009
Revises: 0006 (re-chain after the other branches' migrations at merge)
"""
from alembic import op
import sqlalchemy as sa


revision = "0009"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "planning_runs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("requested_by", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("params", sa.JSON(), nullable=False),
        sa.Column("state", sa.String(length=10), nullable=False),
        sa.Column("progress", sa.Float(), nullable=False),
        sa.Column("note", sa.String(length=300), nullable=True),
        sa.Column("result", sa.JSON(), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("heartbeat_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("state in ('queued', 'running', 'done', 'failed')",
                           name=op.f("ck_planning_runs_state")),
        sa.CheckConstraint("kind in ('simulate', 'plan')", name=op.f("ck_planning_runs_kind")),
        sa.ForeignKeyConstraint(["requested_by"], ["users.id"],
                                name=op.f("fk_planning_runs_requested_by_users"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_planning_runs")),
    )
    with op.batch_alter_table("planning_runs") as batch:
        batch.create_index(batch.f("ix_planning_runs_requested_by"), ["requested_by"], unique=False)


def downgrade():
    with op.batch_alter_table("planning_runs") as batch:
        batch.drop_index(batch.f("ix_planning_runs_requested_by"))
    op.drop_table("planning_runs")

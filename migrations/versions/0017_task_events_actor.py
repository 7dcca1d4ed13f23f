"""task_events: an index on actor_id, so a specialist's pick list leaves out the tasks they handed off without reading every event

Revision ID: 0017
Revises: 0016
"""
from alembic import op


revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("task_events") as batch:
        batch.create_index("ix_task_events_actor_id", ["actor_id"])


def downgrade():
    with op.batch_alter_table("task_events") as batch:
        batch.drop_index("ix_task_events_actor_id")

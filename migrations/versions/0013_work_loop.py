"""work loop: task comments, dependencies between sibling tasks, brief templates and their posts

Revision ID: 0013
Revises: 0011
"""
from alembic import op
import sqlalchemy as sa


revision = "0013"
down_revision = "0011"
branch_labels = None
depends_on = None

AT = sa.DateTime(timezone=True)


def upgrade():
    op.create_table(
        "task_comments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("task_id", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("mentioned_ids", sa.JSON(), nullable=False),
        sa.Column("created_at", AT, nullable=False),
        sa.ForeignKeyConstraint(["task_id"], ["tasks.id"], name=op.f("fk_task_comments_task_id_tasks"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["author_id"], ["users.id"], name=op.f("fk_task_comments_author_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_task_comments")),
    )
    op.create_index(op.f("ix_task_comments_task_id"), "task_comments", ["task_id"], unique=False)
    op.create_table(
        "task_dependencies",
        sa.Column("task_id", sa.Integer(), nullable=False),
        sa.Column("prerequisite_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["task_id"], ["tasks.id"],
                                name=op.f("fk_task_dependencies_task_id_tasks"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["prerequisite_id"], ["tasks.id"],
                                name=op.f("fk_task_dependencies_prerequisite_id_tasks"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("task_id", "prerequisite_id", name=op.f("pk_task_dependencies")),
    )
    op.create_index(op.f("ix_task_dependencies_prerequisite_id"), "task_dependencies",
                    ["prerequisite_id"], unique=False)
    op.create_table(
        "brief_templates",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("brief", sa.JSON(), nullable=False),
        sa.Column("checklist", sa.JSON(), nullable=False),
        sa.Column("schedule", sa.JSON(), nullable=True),
        sa.Column("created_at", AT, nullable=False),
        sa.Column("updated_at", AT, nullable=False),
        sa.ForeignKeyConstraint(["owner_id"], ["users.id"], name=op.f("fk_brief_templates_owner_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_brief_templates")),
    )
    op.create_index(op.f("ix_brief_templates_owner_id"), "brief_templates", ["owner_id"], unique=False)
    op.create_table(
        "template_posts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("template_id", sa.Integer(), nullable=False),
        sa.Column("brief_id", sa.Integer(), nullable=False),
        sa.Column("period", sa.String(length=16), nullable=True),
        sa.Column("posted_at", AT, nullable=False),
        sa.ForeignKeyConstraint(["template_id"], ["brief_templates.id"],
                                name=op.f("fk_template_posts_template_id_brief_templates"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["brief_id"], ["briefs.id"],
                                name=op.f("fk_template_posts_brief_id_briefs"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_template_posts")),
        sa.UniqueConstraint("brief_id", name=op.f("uq_template_posts_brief_id")),
        sa.UniqueConstraint("template_id", "period", name="uq_template_posts_period"),
    )
    op.create_index(op.f("ix_template_posts_template_id"), "template_posts", ["template_id"], unique=False)


def downgrade():
    op.drop_table("template_posts")
    op.drop_table("brief_templates")
    op.drop_table("task_dependencies")
    op.drop_table("task_comments")

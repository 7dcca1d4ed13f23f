"""time logged per task, hourly costs, brief budgets and results, partners and their leads

Revision ID: 0015
Revises: 0013
"""
from alembic import op
import sqlalchemy as sa


revision = "0015"
down_revision = "0013"
branch_labels = None
depends_on = None

OLD_ROLES = "role in ('admin', 'manager', 'specialist')"
NEW_ROLES = "role in ('admin', 'manager', 'specialist', 'partner_lead')"


def upgrade():
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("partner", sa.String(length=120), nullable=True))
        batch.drop_constraint(op.f("ck_users_role"), type_="check")
        batch.create_check_constraint(op.f("ck_users_role"), NEW_ROLES)
    with op.batch_alter_table("specialist_profiles") as batch:
        batch.add_column(sa.Column("hourly_cost", sa.Numeric(10, 2), nullable=True))
        batch.create_check_constraint(op.f("ck_specialist_profiles_hourly_cost"), "hourly_cost >= 0")
    with op.batch_alter_table("briefs") as batch:
        batch.add_column(sa.Column("budget", sa.Numeric(12, 2), nullable=True))
        batch.create_check_constraint(op.f("ck_briefs_budget"), "budget > 0")
    op.create_table(
        "time_entries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("task_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("minutes", sa.Integer(), nullable=False),
        sa.Column("on", sa.Date(), nullable=False),
        sa.Column("note", sa.String(length=500), nullable=True),
        sa.Column("hourly_cost", sa.Numeric(10, 2), nullable=True),
        sa.Column("cost", sa.Numeric(12, 2), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("minutes between 1 and 1440", name=op.f("ck_time_entries_minutes")),
        sa.ForeignKeyConstraint(["task_id"], ["tasks.id"], name=op.f("fk_time_entries_task_id_tasks"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_time_entries_user_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_time_entries")),
    )
    op.create_index(op.f("ix_time_entries_task_id"), "time_entries", ["task_id"])
    op.create_index(op.f("ix_time_entries_user_id"), "time_entries", ["user_id"])
    op.create_table(
        "budget_alerts",
        sa.Column("brief_id", sa.Integer(), nullable=False),
        sa.Column("level", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("spent", sa.Numeric(12, 2), nullable=False),
        sa.ForeignKeyConstraint(["brief_id"], ["briefs.id"], name=op.f("fk_budget_alerts_brief_id_briefs"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("brief_id", "level", name=op.f("pk_budget_alerts")),
    )
    op.create_table(
        "brief_results",
        sa.Column("brief_id", sa.Integer(), nullable=False),
        sa.Column("value", sa.Numeric(18, 4), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("recorded_by", sa.Integer(), nullable=True),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["brief_id"], ["briefs.id"], name=op.f("fk_brief_results_brief_id_briefs"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["recorded_by"], ["users.id"],
                                name=op.f("fk_brief_results_recorded_by_users")),
        sa.PrimaryKeyConstraint("brief_id", name=op.f("pk_brief_results")),
    )
    op.create_table(
        "partners",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("capacity_cap", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("capacity_cap between 0 and 50", name=op.f("ck_partners_capacity_cap")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_partners")),
        sa.UniqueConstraint("name", name=op.f("uq_partners_name")),
    )


def downgrade():
    op.drop_table("partners")
    op.drop_table("brief_results")
    op.drop_table("budget_alerts")
    op.drop_index(op.f("ix_time_entries_user_id"), table_name="time_entries")
    op.drop_index(op.f("ix_time_entries_task_id"), table_name="time_entries")
    op.drop_table("time_entries")
    with op.batch_alter_table("briefs") as batch:
        batch.drop_constraint(op.f("ck_briefs_budget"), type_="check")
        batch.drop_column("budget")
    with op.batch_alter_table("specialist_profiles") as batch:
        batch.drop_constraint(op.f("ck_specialist_profiles_hourly_cost"), type_="check")
        batch.drop_column("hourly_cost")
    op.execute("update users set role = 'manager' where role = 'partner_lead'")
    with op.batch_alter_table("users") as batch:
        batch.drop_constraint(op.f("ck_users_role"), type_="check")
        batch.create_check_constraint(op.f("ck_users_role"), OLD_ROLES)
        batch.drop_column("partner")

"""SLA: business calendars, policies, clocks and escalation steps, with seeded defaults

Revision ID: 0003
Revises: 0001
Create Date: 2026-11-24 10:00:00

"""
from datetime import datetime, timezone

from alembic import op
import sqlalchemy as sa


revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
# The migration keeps its own copy of the seed (sla.defaults); a test checks they agree.
CALENDARS = [
    {"name": "24x7", "timezone": "UTC", "hours": {d: [["00:00", "24:00"]] for d in WEEKDAYS},
     "holidays": []},
    {"name": "business", "timezone": "America/New_York",
     "hours": {d: [["09:00", "17:00"]] for d in WEEKDAYS[:5]},
     "holidays": ["2026-12-25", "2027-01-01"]},
]
WORK_TYPES = ("video_editing", "paid_media", "content_scheduling", "social_ops", "design",
              "copywriting", "reporting")
LADDER = {"urgent": (1, 4, "24x7"), "high": (2, 8, "24x7"), "normal": (4, 8, "business"),
          "low": (8, 24, "business")}
POLICIES = [
    {"work_type": w, "priority": p, "ack_hours": float(a), "turnaround_hours": float(t),
     "calendar": c, "warn_at": 0.75}
    for w in WORK_TYPES for p, (a, t, c) in LADDER.items()
]


def upgrade():
    op.create_table('sla_calendars',
    sa.Column('name', sa.String(length=64), nullable=False),
    sa.Column('timezone', sa.String(length=64), nullable=False),
    sa.Column('hours', sa.JSON(), nullable=False),
    sa.Column('holidays', sa.JSON(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('name', name=op.f('pk_sla_calendars'))
    )
    op.create_table('sla_policies',
    sa.Column('work_type', sa.String(length=64), nullable=False),
    sa.Column('priority', sa.String(length=10), nullable=False),
    sa.Column('ack_hours', sa.Float(), nullable=False),
    sa.Column('turnaround_hours', sa.Float(), nullable=False),
    sa.Column('calendar', sa.String(length=64), nullable=False),
    sa.Column('warn_at', sa.Float(), nullable=False),
    sa.CheckConstraint('ack_hours > 0 and turnaround_hours > 0', name=op.f('ck_sla_policies_hours')),
    sa.CheckConstraint('warn_at > 0 and warn_at < 1', name=op.f('ck_sla_policies_warn_at')),
    sa.ForeignKeyConstraint(['calendar'], ['sla_calendars.name'], name=op.f('fk_sla_policies_calendar_sla_calendars')),
    sa.ForeignKeyConstraint(['work_type'], ['work_types.slug'], name=op.f('fk_sla_policies_work_type_work_types')),
    sa.PrimaryKeyConstraint('work_type', 'priority', name=op.f('pk_sla_policies'))
    )
    op.create_table('sla_clocks',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('task_id', sa.Integer(), nullable=False),
    sa.Column('target', sa.String(length=12), nullable=False),
    sa.Column('cycle', sa.Integer(), nullable=False),
    sa.Column('calendar', sa.String(length=64), nullable=False),
    sa.Column('budget_hours', sa.Float(), nullable=False),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('warn_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('due_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('escalate_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('paused_since', sa.DateTime(timezone=True), nullable=True),
    sa.Column('met_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('stopped_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("target in ('ack', 'turnaround', 'revision')", name=op.f('ck_sla_clocks_target')),
    sa.ForeignKeyConstraint(['task_id'], ['tasks.id'], name=op.f('fk_sla_clocks_task_id_tasks'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sla_clocks')),
    sa.UniqueConstraint('task_id', 'target', 'cycle', name='uq_sla_clocks_target')
    )
    with op.batch_alter_table('sla_clocks', schema=None) as batch_op:
        batch_op.create_index('ix_sla_clocks_open_due', ['met_at', 'stopped_at', 'due_at'], unique=False)
        batch_op.create_index('ix_sla_clocks_open_warn', ['met_at', 'stopped_at', 'warn_at'], unique=False)

    op.create_table('sla_escalations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('task_id', sa.Integer(), nullable=False),
    sa.Column('target', sa.String(length=12), nullable=False),
    sa.Column('cycle', sa.Integer(), nullable=False),
    sa.Column('step', sa.String(length=12), nullable=False),
    sa.Column('due_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('fired_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['task_id'], ['tasks.id'], name=op.f('fk_sla_escalations_task_id_tasks'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sla_escalations')),
    sa.UniqueConstraint('task_id', 'target', 'cycle', 'step', name='uq_sla_escalations_step')
    )
    _seed()


def _seed():
    calendars = sa.table(
        "sla_calendars", sa.column("name", sa.String), sa.column("timezone", sa.String),
        sa.column("hours", sa.JSON), sa.column("holidays", sa.JSON),
        sa.column("updated_at", sa.DateTime(timezone=True)),
    )
    # SQLite keeps naive UTC (as broker.timeutil.UTCDateTime writes it); PostgreSQL an aware value.
    now = datetime.now(timezone.utc)
    if op.get_bind().dialect.name == "sqlite":
        now = now.replace(tzinfo=None)
    op.bulk_insert(calendars, [dict(c, updated_at=now) for c in CALENDARS])
    policies = sa.table(
        "sla_policies", sa.column("work_type", sa.String), sa.column("priority", sa.String),
        sa.column("ack_hours", sa.Float), sa.column("turnaround_hours", sa.Float),
        sa.column("calendar", sa.String), sa.column("warn_at", sa.Float),
    )
    op.bulk_insert(policies, POLICIES)


def downgrade():
    op.drop_table('sla_escalations')
    with op.batch_alter_table('sla_clocks', schema=None) as batch_op:
        batch_op.drop_index('ix_sla_clocks_open_warn')
        batch_op.drop_index('ix_sla_clocks_open_due')
    op.drop_table('sla_clocks')
    op.drop_table('sla_policies')
    op.drop_table('sla_calendars')

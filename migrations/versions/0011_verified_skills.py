"""specialist_skills: the verified level beside the level as last set (skills routing can trust)

Skills stored before this revision were set through the admin API or by specialists when routing
believed everyone; they are kept as verified so routing does not lose the team overnight.

Revision ID: 0011
Revises: 0010
"""
from alembic import op
import sqlalchemy as sa


revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("specialist_skills") as batch:
        batch.add_column(sa.Column("verified_level", sa.Integer(), nullable=True))
        batch.create_check_constraint(op.f("ck_specialist_skills_verified_level"),
                                      "verified_level between 1 and 5")
    op.execute("update specialist_skills set verified_level = level")


def downgrade():
    with op.batch_alter_table("specialist_skills") as batch:
        batch.drop_constraint(op.f("ck_specialist_skills_verified_level"), type_="check")
        batch.drop_column("verified_level")

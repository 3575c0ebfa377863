"""regulators per company and email bounce reports (escalation ladder)

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23 01:40:00

Written by hand: `company_regulators` holds a moderator's override of the SIC-code mapping to
the curated regulators (directory/data/regulators.json), `bounce_reports` the users' reports
that an inferred email address bounced.
"""
from alembic import op
import sqlalchemy as sa


revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "company_regulators",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("company_id", sa.Integer(), nullable=False),
        sa.Column("regulator_id", sa.String(length=64), nullable=False),
        sa.Column("is_member", sa.Boolean(), nullable=False),
        sa.Column("note", sa.String(length=500), nullable=True),
        sa.Column("set_by", sa.String(length=120), nullable=True),
        sa.Column("source", sa.String(length=500), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["company_id"], ["companies.id"],
                                name=op.f("fk_company_regulators_company_id_companies"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_company_regulators")),
        sa.UniqueConstraint("company_id", "regulator_id", name=op.f("uq_company_regulators_company_id_regulator_id")),
    )
    with op.batch_alter_table("company_regulators", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_company_regulators_company_id"), ["company_id"], unique=False)

    op.create_table(
        "bounce_reports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("company_id", sa.Integer(), nullable=False),
        sa.Column("format", sa.String(length=32), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ip_hash", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(["company_id"], ["companies.id"],
                                name=op.f("fk_bounce_reports_company_id_companies"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_bounce_reports")),
    )
    with op.batch_alter_table("bounce_reports", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_bounce_reports_company_id"), ["company_id"], unique=False)


def downgrade():
    with op.batch_alter_table("bounce_reports", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_bounce_reports_company_id"))
    op.drop_table("bounce_reports")
    with op.batch_alter_table("company_regulators", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_company_regulators_company_id"))
    op.drop_table("company_regulators")

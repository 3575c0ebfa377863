"""company_read_requests: a visitor's "Read this company now", at most once a day per company (issue 28)

Revision ID: 0030
Revises: 0029

A queued on-demand EDGAR import of one company; a worker claims a row with a conditional
UPDATE of its status, so with several app servers only one runs it.
"""
import sqlalchemy as sa
from alembic import op

revision = "0030"
down_revision = "0029"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "company_read_requests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("company_id", sa.Integer(), nullable=False),
        sa.Column("requested_on", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("requested_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("claimed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("error", sa.String(length=300), nullable=True),
        sa.ForeignKeyConstraint(["company_id"], ["companies.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("company_id", "requested_on"),
    )
    op.create_index("ix_company_read_requests_status", "company_read_requests", ["status", "requested_at"])


def downgrade():
    op.drop_index("ix_company_read_requests_status", table_name="company_read_requests")
    op.drop_table("company_read_requests")

"""companies.fca_status, fca_status_since: a firm's status on the FCA register (issue 27)

Revision ID: 0027
Revises: 0026

Shown on the company page beside its FRN; an authorised firm's regulator step names the
Financial Ombudsman Service, with that as the reason.
"""
import sqlalchemy as sa
from alembic import op

revision = "0027"
down_revision = "0026"
branch_labels = None
depends_on = None


def upgrade():
    op.add_column("companies", sa.Column("fca_status", sa.String(length=60), nullable=True))
    op.add_column("companies", sa.Column("fca_status_since", sa.Date(), nullable=True))


def downgrade():
    with op.batch_alter_table("companies", schema=None) as batch_op:
        batch_op.drop_column("fca_status_since")
        batch_op.drop_column("fca_status")

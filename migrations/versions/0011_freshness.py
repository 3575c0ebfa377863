"""refresh runs and company reads: freshness for /status and company pages (issue 15)

Revision ID: 0011
Revises: 0012
"""
import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "refresh_runs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=40), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("succeeded", sa.Boolean(), nullable=False),
        sa.Column("companies", sa.Integer(), nullable=False),
        sa.Column("errors", sa.Integer(), nullable=False),
        sa.Column("message", sa.Text(), nullable=True),
        sa.Column("through", sa.Date(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_refresh_runs")),
    )
    with op.batch_alter_table("refresh_runs", schema=None) as batch_op:
        batch_op.create_index("ix_refresh_runs_source_started", ["source", "started_at"], unique=False)

    op.create_table(
        "company_reads",
        sa.Column("company_id", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=40), nullable=False),
        sa.Column("read_on", sa.Date(), nullable=False),
        sa.ForeignKeyConstraint(["company_id"], ["companies.id"], name=op.f("fk_company_reads_company_id_companies"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("company_id", "source", name=op.f("pk_company_reads")),
    )
    with op.batch_alter_table("company_reads", schema=None) as batch_op:
        batch_op.create_index("ix_company_reads_source_read_on", ["source", "read_on"], unique=False)


def downgrade():
    with op.batch_alter_table("company_reads", schema=None) as batch_op:
        batch_op.drop_index("ix_company_reads_source_read_on")
    op.drop_table("company_reads")
    with op.batch_alter_table("refresh_runs", schema=None) as batch_op:
        batch_op.drop_index("ix_refresh_runs_source_started")
    op.drop_table("refresh_runs")

"""website reads: when each company's website was last read (flask scrape websites)

Revision ID: 0009
Revises: 0006
"""
import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "website_reads",
        sa.Column("company_id", sa.Integer(), nullable=False),
        sa.Column("url", sa.String(length=500), nullable=False),
        sa.Column("read_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("pages_read", sa.Integer(), nullable=False),
        sa.Column("contacts_found", sa.Integer(), nullable=False),
        sa.Column("pages_failed", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["company_id"], ["companies.id"], name=op.f("fk_website_reads_company_id_companies"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("company_id", name=op.f("pk_website_reads")),
    )
    with op.batch_alter_table("website_reads", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_website_reads_read_at"), ["read_at"], unique=False)


def downgrade():
    with op.batch_alter_table("website_reads", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_website_reads_read_at"))
    op.drop_table("website_reads")

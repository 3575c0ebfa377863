"""page_generations: the cached pages' generation, shared by every app server (issue 19)

Revision ID: 0019
Revises: 0014
Create Date: 2026-12-02 20:00:00
"""
import sqlalchemy as sa
from alembic import op

revision = "0019"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "page_generations",
        sa.Column("shard", sa.SmallInteger(), autoincrement=False, nullable=False),
        sa.Column("n", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("shard", name=op.f("pk_page_generations")),
    )


def downgrade():
    op.drop_table("page_generations")

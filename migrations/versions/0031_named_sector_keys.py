"""directory_counts.key up to 80 characters: a sector named by Wikidata is counted under its name (issue 30)

Revision ID: 0031
Revises: 0030

A company without an SEC industry code but with a sector from Wikidata ("consumer
electronics") is browsed under that sector, keyed by the name's slug ("consumer-electronics"),
which is longer than the 16 characters a SIC code, letter or country needed. The counts of
such sectors are filled by `flask counts refresh`.
"""
import sqlalchemy as sa
from alembic import op

revision = "0031"
down_revision = "0030"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("directory_counts", schema=None) as batch_op:
        batch_op.alter_column("key", existing_type=sa.String(length=16), type_=sa.String(length=80),
                              existing_nullable=False)


def downgrade():
    op.execute("DELETE FROM directory_counts WHERE length(key) > 16")
    with op.batch_alter_table("directory_counts", schema=None) as batch_op:
        batch_op.alter_column("key", existing_type=sa.String(length=80), type_=sa.String(length=16),
                              existing_nullable=False)

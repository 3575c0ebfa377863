"""edgar_sync_states: the press releases and proxy statements already read for contacts

Revision ID: 0008
Revises: 0007
"""
import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("edgar_sync_states", schema=None) as batch_op:
        # Kept apart from accessions_read: an 8-K read for item 5.02 before contacts were read
        # must still have its press release read once.
        batch_op.add_column(sa.Column("contact_filings_read", sa.JSON(), nullable=True))


def downgrade():
    with op.batch_alter_table("edgar_sync_states", schema=None) as batch_op:
        batch_op.drop_column("contact_filings_read")

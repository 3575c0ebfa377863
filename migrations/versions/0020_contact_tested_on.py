"""contacts: tested_on, the date of the reply that made a contact `tested` (issue 13)

Revision ID: 0020
Revises: 0018
"""
import sqlalchemy as sa
from alembic import op

revision = "0020"
down_revision = "0018"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("contacts", schema=None) as batch_op:
        batch_op.add_column(sa.Column("tested_on", sa.Date(), nullable=True))


def downgrade():
    with op.batch_alter_table("contacts", schema=None) as batch_op:
        batch_op.drop_column("tested_on")

"""contacts: quality, role, person name and organisation (ladder contacts from public sources)

Revision ID: 0006
Revises: 0005
"""
import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("contacts", schema=None) as batch_op:
        # Every contact before this revision came through a moderated contribution.
        batch_op.add_column(sa.Column("quality", sa.String(length=12), nullable=False, server_default="verified"))
        batch_op.add_column(sa.Column("role", sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column("person_name", sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column("organisation", sa.String(length=300), nullable=True))


def downgrade():
    with op.batch_alter_table("contacts", schema=None) as batch_op:
        batch_op.drop_column("organisation")
        batch_op.drop_column("person_name")
        batch_op.drop_column("role")
        batch_op.drop_column("quality")

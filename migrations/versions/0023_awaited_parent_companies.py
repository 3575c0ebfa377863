"""companies.parent_wikidata_id: the parent Wikidata names while it is not listed yet (issue 14)

Revision ID: 0023
Revises: 0022

A subsidiary read before its parent remembers the parent's Wikidata id; when the parent is
read, it is linked even if the parent's own item does not list the subsidiary. Until now
such a one-sided claim linked the two only when the subsidiary was read again.
"""
import sqlalchemy as sa
from alembic import op

revision = "0023"
down_revision = "0022"
branch_labels = None
depends_on = None


def upgrade():
    op.add_column("companies", sa.Column("parent_wikidata_id", sa.String(length=20), nullable=True))
    op.create_index(op.f("ix_companies_parent_wikidata_id"), "companies", ["parent_wikidata_id"], unique=False)


def downgrade():
    op.drop_index(op.f("ix_companies_parent_wikidata_id"), table_name="companies")
    with op.batch_alter_table("companies", schema=None) as batch_op:
        batch_op.drop_column("parent_wikidata_id")

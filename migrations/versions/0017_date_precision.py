"""positions: the precision of start and end dates; Wikidata's CEOs as sourced facts

Revision ID: 0017
Revises: 0020
Create Date: 2026-12-02 20:10:00

Wikidata knows many terms to the year only ("since 2011"); the date column holds the first
day of the period and `start_precision` / `end_precision` say how much of it is known
(NULL: the day, as filings and registers give it). Wikidata's CEOs stored before this
revision carry the confidence of a guess (0.5); they are explicit, referenced statements,
and now carry the importer's 0.9 (below a filing's explicit title, 0.95).
"""
import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0020"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("positions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("start_precision", sa.String(length=5), nullable=True))
        batch_op.add_column(sa.Column("end_precision", sa.String(length=5), nullable=True))
    op.execute("UPDATE positions SET ceo_confidence = 0.9 WHERE is_ceo AND ceo_confidence = 0.5 AND source_id IN "
               "(SELECT id FROM sources WHERE kind = 'wikidata')")


def downgrade():
    with op.batch_alter_table("positions", schema=None) as batch_op:
        batch_op.drop_column("end_precision")
        batch_op.drop_column("start_precision")

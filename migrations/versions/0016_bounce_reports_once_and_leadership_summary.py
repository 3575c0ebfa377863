"""one bounce report per visitor, company and address format; the leadership change's sentence (issue 16)

Two reports sent at once both passed the view's "already reported?" check and inserted two
rows. Existing duplicates collapse into the first report of each visitor, company and format;
then a unique index makes the database refuse a second one.

`companies.leadership_change_summary` keeps the filing's item 5.02 sentence naming who leaves
or joins, read at import, so the moderators' queue says in one line what a change is about.

Revision ID: 0016
Revises: 0017
"""
import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0017"
branch_labels = None
depends_on = None

UNIQUE_INDEX = "uq_bounce_reports_company_id_format_ip_hash"


def upgrade():
    op.execute("""DELETE FROM bounce_reports WHERE id <> (
                      SELECT min(k.id) FROM bounce_reports k WHERE k.company_id = bounce_reports.company_id
                      AND k.format = bounce_reports.format AND k.ip_hash = bounce_reports.ip_hash)""")
    # A unique index, not a constraint: adding it rebuilds no table on SQLite.
    op.create_index(UNIQUE_INDEX, "bounce_reports", ["company_id", "format", "ip_hash"], unique=True)
    with op.batch_alter_table("companies", schema=None) as batch_op:
        batch_op.add_column(sa.Column("leadership_change_summary", sa.String(length=320), nullable=True))


def downgrade():
    with op.batch_alter_table("companies", schema=None) as batch_op:
        batch_op.drop_column("leadership_change_summary")
    op.drop_index(UNIQUE_INDEX, table_name="bounce_reports")

"""one bounce report per visitor, company and address format (issue 16)

Two reports sent at once both passed the view's "already reported?" check and inserted two
rows. Existing duplicates collapse into the first report of each visitor, company and format;
then a unique index makes the database refuse a second one.

Revision ID: 0016
Revises: 0014
"""
from alembic import op

revision = "0016"
down_revision = "0014"
branch_labels = None
depends_on = None

UNIQUE_INDEX = "uq_bounce_reports_company_id_format_ip_hash"


def upgrade():
    op.execute("""DELETE FROM bounce_reports WHERE id <> (
                      SELECT min(k.id) FROM bounce_reports k WHERE k.company_id = bounce_reports.company_id
                      AND k.format = bounce_reports.format AND k.ip_hash = bounce_reports.ip_hash)""")
    # A unique index, not a constraint: adding it rebuilds no table on SQLite.
    op.create_index(UNIQUE_INDEX, "bounce_reports", ["company_id", "format", "ip_hash"], unique=True)


def downgrade():
    op.drop_index(UNIQUE_INDEX, table_name="bounce_reports")

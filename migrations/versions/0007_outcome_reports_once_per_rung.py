"""one outcome report per account, company and rung, with every version kept (issue 12)

Existing duplicates (one per save of a rating) collapse into the newest report of each
account, company and rung; every old row is kept as a version in outcome_report_changes.

Revision ID: 0007
Revises: 0009
"""
import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0009"
branch_labels = None
depends_on = None


UNIQUE_INDEX = "uq_outcome_reports_user_id_company_id_rung"


def upgrade():
    # First the table rebuild SQLite needs for these ALTERs, while nothing refers to the
    # table: dropping the old copy would cascade to outcome_report_changes' rows.
    with op.batch_alter_table("outcome_reports", schema=None) as batch_op:
        batch_op.add_column(sa.Column("updated_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.alter_column("rating_id", existing_type=sa.Integer(), nullable=True)

    op.create_table(
        "outcome_report_changes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("outcome_report_id", sa.Integer(), nullable=False),
        sa.Column("channel", sa.String(length=16), nullable=False),
        sa.Column("got_reply", sa.Boolean(), nullable=False),
        sa.Column("days_to_reply", sa.Integer(), nullable=True),
        sa.Column("resolved", sa.Boolean(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["outcome_report_id"], ["outcome_reports.id"],
                                name=op.f("fk_outcome_report_changes_outcome_report_id_outcome_reports"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outcome_report_changes")),
    )
    op.create_index(op.f("ix_outcome_report_changes_outcome_report_id"), "outcome_report_changes",
                    ["outcome_report_id"], unique=False)

    keeper = """(SELECT max(k.id) FROM outcome_reports k WHERE k.user_id = outcome_reports.user_id
                 AND k.company_id = outcome_reports.company_id AND k.rung = outcome_reports.rung)"""
    op.execute(f"""INSERT INTO outcome_report_changes
                   (outcome_report_id, channel, got_reply, days_to_reply, resolved, created_at)
                   SELECT {keeper}, channel, got_reply, days_to_reply, resolved, created_at
                   FROM outcome_reports ORDER BY id""")
    op.execute(f"DELETE FROM outcome_reports WHERE id <> {keeper}")
    # A unique index, not a constraint: adding it rebuilds no table on SQLite.
    op.create_index(UNIQUE_INDEX, "outcome_reports", ["user_id", "company_id", "rung"], unique=True)


def downgrade():
    op.drop_index(UNIQUE_INDEX, table_name="outcome_reports")
    op.drop_index(op.f("ix_outcome_report_changes_outcome_report_id"), table_name="outcome_report_changes")
    op.drop_table("outcome_report_changes")
    op.execute("DELETE FROM outcome_reports WHERE rating_id IS NULL")
    with op.batch_alter_table("outcome_reports", schema=None) as batch_op:
        batch_op.drop_column("updated_at")
        batch_op.alter_column("rating_id", existing_type=sa.Integer(), nullable=False)

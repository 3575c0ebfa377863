"""directory counts, leaderboard scores, and one index per listing order (issue 22)

Revision ID: 0014
Revises: 0010
Create Date: 2026-12-02 17:10:00

The new tables are filled here from the existing rows (the same code `flask counts refresh`
runs), so the first request after the upgrade already reads them.
"""
import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0010"
branch_labels = None
depends_on = None

KEYED_ORDERS = ("initial", "country", "sic_code")


def upgrade():
    op.create_table(
        "directory_counts",
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("key", sa.String(length=16), nullable=False),
        sa.Column("n", sa.Integer(), nullable=False),
        sa.Column("label", sa.String(length=200), nullable=True),
        sa.PrimaryKeyConstraint("kind", "key", name=op.f("pk_directory_counts")),
    )
    op.create_table(
        "company_scores",
        sa.Column("company_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("country", sa.String(length=2), nullable=True),
        sa.Column("sector", sa.String(length=200), nullable=True),
        sa.Column("contact_policy", sa.String(length=16), nullable=False),
        sa.Column("ratings", sa.Integer(), nullable=False),
        sa.Column("average", sa.Float(), nullable=False),
        sa.Column("reports", sa.Integer(), nullable=False),
        sa.Column("replies", sa.Integer(), nullable=False),
        sa.Column("unanswered", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["company_id"], ["companies.id"], name=op.f("fk_company_scores_company_id_companies"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("company_id", name=op.f("pk_company_scores")),
    )
    for column in ("country", "sector", "reports"):
        op.create_index(f"ix_company_scores_{column}", "company_scores", [column], unique=False)
    # Each leaderboard's order: a board reads its first rows and stops.
    op.create_index("ix_company_scores_most_open", "company_scores",
                    ["contact_policy", sa.text("average DESC"), sa.text("ratings DESC"), "name"], unique=False)
    op.create_index("ix_company_scores_stonewallers", "company_scores",
                    ["contact_policy", sa.text("unanswered DESC"), "name"], unique=False)
    # Each single-column index becomes the first column of its listing's index.
    for key in KEYED_ORDERS:
        op.drop_index(f"ix_companies_{key}", table_name="companies")
        op.create_index(f"ix_companies_{key}_name", "companies", [key, sa.text("lower(name)"), "id"], unique=False)
    op.create_index("ix_companies_name_id", "companies", ["name", "id"], unique=False)

    from directory.aggregates import refresh

    refresh(op.get_bind())


def downgrade():
    op.drop_index("ix_companies_name_id", table_name="companies")
    for key in KEYED_ORDERS:
        op.drop_index(f"ix_companies_{key}_name", table_name="companies")
        op.create_index(f"ix_companies_{key}", "companies", [key], unique=False)
    op.drop_table("company_scores")
    op.drop_table("directory_counts")

"""complaint_records (figures from the CFPB's consumer complaints database) and phone_reports
(what callers learn on a company's phone line) (issue 27, items 4 and 5)

Revision ID: 0032
Revises: 0031

`complaint_records`: one row per CFPB company name matched to a company, with the counts of
the period `flask scrape cfpb` read (no complaint is stored). `phone_reports`: one per account
and phone contact: minutes on hold, weekday and hour of the call, the keys or words that
reached a person.
"""
import sqlalchemy as sa
from alembic import op

revision = "0032"
down_revision = "0031"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "complaint_records",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("cfpb_company", sa.String(length=300), nullable=False),
        sa.Column("company_id", sa.Integer(), nullable=False),
        sa.Column("match", sa.String(length=16), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("received", sa.Integer(), nullable=False),
        sa.Column("timely", sa.Integer(), nullable=False),
        sa.Column("relief", sa.Integer(), nullable=False),
        sa.Column("source_id", sa.Integer(), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("decided_by_id", sa.Integer(), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["company_id"], ["companies.id"], name=op.f("fk_complaint_records_company_id_companies"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["decided_by_id"], ["users.id"], name=op.f("fk_complaint_records_decided_by_id_users"),
                                ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["source_id"], ["sources.id"], name=op.f("fk_complaint_records_source_id_sources")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_complaint_records")),
        sa.UniqueConstraint("cfpb_company", name=op.f("uq_complaint_records_cfpb_company")),
    )
    op.create_index(op.f("ix_complaint_records_company_id"), "complaint_records", ["company_id"], unique=False)
    op.create_index(op.f("ix_complaint_records_match"), "complaint_records", ["match"], unique=False)
    op.create_table(
        "phone_reports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("contact_id", sa.Integer(), nullable=False),
        sa.Column("company_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("hold_minutes", sa.Integer(), nullable=True),
        sa.Column("called_weekday", sa.Integer(), nullable=True),
        sa.Column("called_hour", sa.Integer(), nullable=True),
        sa.Column("way_to_person", sa.String(length=100), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("hold_minutes IS NULL OR hold_minutes BETWEEN 0 AND 1440",
                           name=op.f("ck_phone_reports_hold_minutes_range")),
        sa.CheckConstraint("called_weekday IS NULL OR called_weekday BETWEEN 0 AND 6",
                           name=op.f("ck_phone_reports_weekday_range")),
        sa.CheckConstraint("called_hour IS NULL OR called_hour BETWEEN 0 AND 23", name=op.f("ck_phone_reports_hour_range")),
        sa.ForeignKeyConstraint(["company_id"], ["companies.id"], name=op.f("fk_phone_reports_company_id_companies"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["contact_id"], ["contacts.id"], name=op.f("fk_phone_reports_contact_id_contacts"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_phone_reports_user_id_users"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_phone_reports")),
        sa.UniqueConstraint("contact_id", "user_id", name=op.f("uq_phone_reports_contact_id_user_id")),
    )
    op.create_index(op.f("ix_phone_reports_company_id"), "phone_reports", ["company_id"], unique=False)
    op.create_index(op.f("ix_phone_reports_contact_id"), "phone_reports", ["contact_id"], unique=False)
    op.create_index(op.f("ix_phone_reports_user_id"), "phone_reports", ["user_id"], unique=False)


def downgrade():
    op.drop_table("phone_reports")
    op.drop_table("complaint_records")

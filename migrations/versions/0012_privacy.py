"""objections, the suppression list and deleted accounts (issue 17)

Revision ID: 0012
Revises: 0013
"""
import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "objections",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=True),
        sa.Column("company_id", sa.Integer(), nullable=True),
        sa.Column("target_type", sa.String(length=16), nullable=False),
        sa.Column("target_id", sa.Integer(), nullable=False),
        sa.Column("target_value", sa.String(length=500), nullable=False),
        sa.Column("request", sa.String(length=16), nullable=False),
        sa.Column("corrected_value", sa.String(length=500), nullable=True),
        sa.Column("requester", sa.String(length=16), nullable=False),
        sa.Column("contact_email", sa.String(length=254), nullable=False),
        sa.Column("explanation", sa.Text(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("decided_by_id", sa.Integer(), nullable=True),
        sa.Column("decision_reason", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint("status = 'pending' OR decided_by_id IS NOT NULL",
                           name=op.f("ck_objections_decided_has_moderator")),
        sa.ForeignKeyConstraint(["company_id"], ["companies.id"], name=op.f("fk_objections_company_id_companies"),
                                ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["decided_by_id"], ["users.id"], name=op.f("fk_objections_decided_by_id_users")),
        sa.ForeignKeyConstraint(["person_id"], ["people.id"], name=op.f("fk_objections_person_id_people"),
                                ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_objections")),
    )
    with op.batch_alter_table("objections", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_objections_person_id"), ["person_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_objections_status"), ["status"], unique=False)
    op.create_table(
        "suppressions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=600), nullable=False),
        sa.Column("objection_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["objection_id"], ["objections.id"], name=op.f("fk_suppressions_objection_id_objections"),
                                ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_suppressions")),
        sa.UniqueConstraint("key", name=op.f("uq_suppressions_key")),
    )
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True))


def downgrade():
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("deleted_at")
    op.drop_table("suppressions")
    with op.batch_alter_table("objections", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_objections_status"))
        batch_op.drop_index(batch_op.f("ix_objections_person_id"))
    op.drop_table("objections")

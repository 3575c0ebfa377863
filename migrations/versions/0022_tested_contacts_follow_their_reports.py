"""a tested contact follows the reports that tested it: outcome_reports.tested_contact_id and
contacts.untested_quality (issue 13)

Revision ID: 0022
Revises: 0021

An outcome report that says a reply came through a contact makes it `tested`; when the last
such report is changed (no reply after all, another channel), the contact goes back to the
quality it had. Contacts tested before this migration keep their badge: no report names them.
"""
import sqlalchemy as sa
from alembic import op

revision = "0022"
down_revision = "0021"
branch_labels = None
depends_on = None


def upgrade():
    op.add_column("contacts", sa.Column("untested_quality", sa.String(length=12), nullable=True))
    if op.get_bind().dialect.name == "sqlite":
        # SQLite adds a column with its foreign key in place; a batch operation would copy the
        # table, reflecting every table it refers to on the way
        op.execute("ALTER TABLE outcome_reports ADD COLUMN tested_contact_id INTEGER "
                   "CONSTRAINT fk_outcome_reports_tested_contact_id_contacts REFERENCES contacts (id) "
                   "ON DELETE SET NULL")
    else:
        op.add_column("outcome_reports", sa.Column("tested_contact_id", sa.Integer(), nullable=True))
        op.create_foreign_key(op.f("fk_outcome_reports_tested_contact_id_contacts"), "outcome_reports", "contacts",
                              ["tested_contact_id"], ["id"], ondelete="SET NULL")
    op.create_index(op.f("ix_outcome_reports_tested_contact_id"), "outcome_reports", ["tested_contact_id"],
                    unique=False)


def downgrade():
    op.drop_index(op.f("ix_outcome_reports_tested_contact_id"), table_name="outcome_reports")
    with op.batch_alter_table("outcome_reports", schema=None) as batch_op:
        if op.get_bind().dialect.name != "sqlite":
            batch_op.drop_constraint(batch_op.f("fk_outcome_reports_tested_contact_id_contacts"), type_="foreignkey")
        batch_op.drop_column("tested_contact_id")
    with op.batch_alter_table("contacts", schema=None) as batch_op:
        batch_op.drop_column("untested_quality")

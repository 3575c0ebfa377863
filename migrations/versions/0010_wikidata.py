"""wikidata: brands, parent companies, the website's source, people's Wikidata ids

Revision ID: 0010
Revises: 0011
"""
import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "brands",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("company_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("aliases", sa.JSON(), nullable=False),
        sa.Column("wikidata_id", sa.String(length=20), nullable=True),
        sa.Column("source_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["company_id"], ["companies.id"], name=op.f("fk_brands_company_id_companies"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["source_id"], ["sources.id"], name=op.f("fk_brands_source_id_sources")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_brands")),
        sa.UniqueConstraint("company_id", "name", name=op.f("uq_brands_company_id_name")),
    )
    op.create_index(op.f("ix_brands_company_id"), "brands", ["company_id"], unique=False)
    with op.batch_alter_table("companies", schema=None) as batch_op:
        batch_op.add_column(sa.Column("parent_id", sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f("ix_companies_parent_id"), ["parent_id"], unique=False)
        batch_op.create_foreign_key(batch_op.f("fk_companies_parent_id_companies"), "companies", ["parent_id"],
                                    ["id"], ondelete="SET NULL")
        batch_op.add_column(sa.Column("website_source_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f("fk_companies_website_source_id_sources"), "sources",
                                    ["website_source_id"], ["id"])
    with op.batch_alter_table("people", schema=None) as batch_op:
        batch_op.add_column(sa.Column("wikidata_id", sa.String(length=20), nullable=True))
        batch_op.create_unique_constraint(batch_op.f("uq_people_wikidata_id"), ["wikidata_id"])


def downgrade():
    with op.batch_alter_table("people", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_people_wikidata_id"), type_="unique")
        batch_op.drop_column("wikidata_id")
    with op.batch_alter_table("companies", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_companies_website_source_id_sources"), type_="foreignkey")
        batch_op.drop_column("website_source_id")
        batch_op.drop_constraint(batch_op.f("fk_companies_parent_id_companies"), type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_companies_parent_id"))
        batch_op.drop_column("parent_id")
    op.drop_index(op.f("ix_brands_company_id"), table_name="brands")
    op.drop_table("brands")

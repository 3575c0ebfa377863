"""objections: who filed, how the requester's identity was checked, and a second moderator (issue 26)

Revision ID: 0029
Revises: 0028

An objection now records the account that filed it (nobody decides their own), how the
requester proved who they are (a confirmed account, or a link confirmed at an address on the
company's domain) and when, and, for a change to a chief executive's listing or a CEO-step
contact, the first of the two moderators who must uphold it. Objections filed before this
were never checked: they stay unconfirmed and out of the queue.
"""
import sqlalchemy as sa
from alembic import op

revision = "0029"
down_revision = "0028"
branch_labels = None
depends_on = None


USER_COLUMNS = ("author_id", "first_reviewer_id")


def upgrade():
    op.add_column("objections", sa.Column("identity", sa.String(length=32), nullable=True))
    op.add_column("objections", sa.Column("confirmed_at", sa.DateTime(timezone=True), nullable=True))
    op.add_column("objections", sa.Column("high_risk", sa.Boolean(), server_default="0", nullable=False))
    for column in USER_COLUMNS:
        name = f"fk_objections_{column}_users"
        if op.get_bind().dialect.name == "sqlite":
            # SQLite adds a column with its foreign key in place; a batch operation would copy the
            # table, reflecting every table it refers to on the way
            op.execute(f"ALTER TABLE objections ADD COLUMN {column} INTEGER CONSTRAINT {name} REFERENCES users (id)")
        else:
            op.add_column("objections", sa.Column(column, sa.Integer(), nullable=True))
            op.create_foreign_key(op.f(name), "objections", "users", [column], ["id"])


def downgrade():
    with op.batch_alter_table("objections", schema=None) as batch_op:
        for column in reversed(USER_COLUMNS):
            if op.get_bind().dialect.name != "sqlite":
                batch_op.drop_constraint(batch_op.f(f"fk_objections_{column}_users"), type_="foreignkey")
            batch_op.drop_column(column)
        for column in ("high_risk", "confirmed_at", "identity"):
            batch_op.drop_column(column)

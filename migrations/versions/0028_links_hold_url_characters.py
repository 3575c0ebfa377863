"""links stored before issue 26 percent-encode the characters a URL may not hold

Revision ID: 0028
Revises: 0027

Evidence links, the contribution sources made from them and web or web-form contacts were
accepted with `"`, `<`, `>`, a backslash, a backtick, spaces or control characters; the forms
now refuse them (`formfields.web_url`), and the API promises `format: uri`. Each such
character in a stored link becomes its %XX escape, which a browser reads as the same link.
A value whose escaped form would not fit its column is left as it was (none is expected).
"""
import re

import sqlalchemy as sa
from alembic import op

revision = "0028"
down_revision = "0027"
branch_labels = None
depends_on = None

NOT_IN_A_URL = re.compile(r'["<>\\`\s\x00-\x1f\x7f]')  # formfields.NOT_IN_A_URL, as of this migration
SEARCHED = ['"', "<", ">", "\\", "`", " ", "\t", "\n", "\r"]  # what a LIKE can find; the rest is checked below
# (table, column, length, condition on the row)
LINKS = [("sources", "url", 1000, "kind = 'contribution'"), ("contributions", "evidence_url", 1000, "1 = 1"),
         ("contacts", "value", 500, "kind IN ('url', 'web_form')")]


def escaped(value: str) -> str:
    return NOT_IN_A_URL.sub(lambda match: "".join(f"%{byte:02X}" for byte in match.group().encode()), value)


def upgrade():
    connection = op.get_bind()
    for table, column, length, condition in LINKS:
        likes = " OR ".join(f"{column} LIKE :p{n} ESCAPE '!'" for n in range(len(SEARCHED)))
        rows = connection.execute(sa.text(f"SELECT id, {column} FROM {table} WHERE {condition} AND ({likes})"),
                                  {f"p{n}": f"%{ch}%" for n, ch in enumerate(SEARCHED)}).all()
        for row_id, value in rows:
            fixed = escaped(value.strip())
            if fixed != value and len(fixed) <= length:
                connection.execute(sa.text(f"UPDATE {table} SET {column} = :v WHERE id = :id"), {"v": fixed, "id": row_id})


def downgrade():
    pass  # the escaped links are the same links

"""byte-ordered indexes for prefix lookups of the postgres search backend (issue 16)

Revision ID: 0021
Revises: 0015

Only on PostgreSQL: `search_words` by its words in byte order ("C"), so that whether any
indexed word starts with a typo's corrected prefix is one short index range read per
variant ("micrs": "micros..."); and `search_documents` by its lower-cased ticker in byte
order, so a suggestion finds a company by the start of its ticker ("aap": AAPL), as the
Whoosh backend does. The default collation's primary-key index cannot serve either: its
order is not byte order, so `LIKE 'x%'` and ranges over it would need a full scan.
"""
from alembic import op

revision = "0021"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute('CREATE INDEX ix_search_words_word_c ON search_words (word COLLATE "C")')
    op.execute('CREATE INDEX ix_search_documents_ticker_c ON search_documents ((lower(ticker)) COLLATE "C")')


def downgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("DROP INDEX IF EXISTS ix_search_documents_ticker_c")
    op.execute("DROP INDEX IF EXISTS ix_search_words_word_c")

"""the PostgreSQL search backend's documents and word list (issue 19)

Revision ID: 0015
Revises: 0016
Create Date: 2026-12-02 20:00:00

Only on PostgreSQL (SQLite keeps the embedded Whoosh index): `search_documents`, one row per
company written in the same transaction as the change (`search_index/postgres.py`), with GIN
indexes on its word arrays and trigram indexes for prefixes; `search_words`, the words typos
are corrected to, with a trigram index. `unaccent` is used when the server has it; without
it (or without the right to create it) `search_fold` only lowercases.
"""
import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0016"
branch_labels = None
depends_on = None

# GIN indexes gather new entries in a pending list that every search reads through, item by
# item, until it is merged into the index: the default 4 MB of it made searches ten times
# slower after a rebuild (p50 6.7 ms instead of 0.7 at 100,000 companies). A small list keeps
# that read short; without one (fastupdate off) each entry is inserted on its own, and a
# rebuild at 100,000 companies took 45 s instead of 26.
GIN_OPTIONS = "WITH (fastupdate = on, gin_pending_list_limit = 128)"


def _try_extension(name: str) -> bool:
    """Create the extension when the server has it and we may; never fail the migration."""
    connection = op.get_bind()
    if connection.execute(sa.text("SELECT 1 FROM pg_extension WHERE extname = :n"), {"n": name}).scalar():
        return True
    if not connection.execute(sa.text("SELECT 1 FROM pg_available_extensions WHERE name = :n"), {"n": name}).scalar():
        return False
    try:
        with connection.begin_nested():
            connection.execute(sa.text(f"CREATE EXTENSION IF NOT EXISTS {name}"))
        return True
    except sa.exc.DBAPIError:
        return False


def upgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    trigrams = _try_extension("pg_trgm")  # without it only Whoosh can search (typo lookups need it)
    # IMMUTABLE so it may be used in index expressions; unaccent's dictionary is named for that.
    fold = "lower(public.unaccent('public.unaccent'::regdictionary, $1))" if _try_extension("unaccent") else "lower($1)"
    op.execute(f"CREATE OR REPLACE FUNCTION search_fold(text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE "
               f"AS $$ SELECT {fold} $$")
    op.execute("""
        CREATE TABLE search_documents (
            company_id integer PRIMARY KEY REFERENCES companies (id) ON DELETE CASCADE,
            name text NOT NULL,
            slug text NOT NULL,
            ticker text,
            country text,
            sector text,
            ceo text,
            brand_names jsonb,
            name_text text NOT NULL,
            name_core text NOT NULL,
            name_exact text[] NOT NULL,
            name_words text[] NOT NULL,
            former_words text[] NOT NULL,
            people_words text[] NOT NULL,
            people_text text NOT NULL,
            person text[] NOT NULL,
            brand_words text[] NOT NULL,
            brand_text text NOT NULL,
            all_words text[] NOT NULL
        )""")
    for column in ("all_words", "name_exact", "person"):
        op.execute(f"CREATE INDEX ix_search_documents_{column} ON search_documents USING gin ({column}) {GIN_OPTIONS}")
    # Names starting with a prefix, read in order: byte order ("C") serves LIKE 'abc%' and ORDER BY.
    for column in ("name_text", "name_core"):
        op.execute(f'CREATE INDEX ix_search_documents_{column} ON search_documents ({column} COLLATE "C")')
    op.execute("CREATE TABLE search_words (word text PRIMARY KEY)")
    if trigrams:
        for table, column in (("search_documents", "name_text"), ("search_documents", "people_text"),
                              ("search_documents", "brand_text"), ("search_words", "word")):
            op.execute(f"CREATE INDEX ix_{table}_{column}_trgm ON {table} USING gin ({column} gin_trgm_ops) "
                       f"{GIN_OPTIONS}")


def downgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("DROP TABLE IF EXISTS search_words")
    op.execute("DROP TABLE IF EXISTS search_documents")
    op.execute("DROP FUNCTION IF EXISTS search_fold(text)")

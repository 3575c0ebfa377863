"""company names as people write them; the filed name kept as the legal name (issue 16, item 4)

Revision ID: 0018
Revises: 0019
Create Date: 2026-12-02 20:10:00

Data only. A company filed in capitals ("MICROSOFT CORP") is renamed to its display form
("Microsoft Corp", `scrapers.names.company_display_name`, the rule the importers now apply),
and the filed name is added to its former names with the register record's source, which
is where the page reads "Legal name" and where search keeps finding it. Slugs are kept (the
display form slugifies alike, save EDGAR's "/DE/" tags, whose old URLs must keep working).
The leaderboard's copy of the name follows, and each renamed company is queued for the
search index (the outbox `flask index rebuild --pending` drains).
"""
from datetime import datetime, timezone

import sqlalchemy as sa
from alembic import op

from scrapers.names import company_display_name

revision = "0018"
down_revision = "0019"
branch_labels = None
depends_on = None

companies = sa.table("companies", sa.column("id", sa.Integer), sa.column("name", sa.String))
names = sa.table("company_names", sa.column("company_id", sa.Integer), sa.column("name", sa.String),
                 sa.column("source_id", sa.Integer))
identifiers = sa.table("identifiers", sa.column("company_id", sa.Integer), sa.column("scheme", sa.String),
                       sa.column("source_id", sa.Integer))
scores = sa.table("company_scores", sa.column("company_id", sa.Integer), sa.column("name", sa.String))
pending = sa.table("pending_reindex", sa.column("company_id", sa.Integer), sa.column("queued_at", sa.DateTime))
REGISTER_SCHEMES = ("cik", "ch_number")


def upgrade():
    connection = op.get_bind()
    renamed = {cid: (filed, shown) for cid, filed in connection.execute(sa.select(companies.c.id, companies.c.name))
               if (shown := company_display_name(filed)) != filed}
    if not renamed:
        return
    # Whole columns rather than IN lists: a full EDGAR load renames more companies than
    # SQLite takes bound parameters.
    kept = set(connection.execute(sa.select(names.c.company_id, names.c.name)).all())
    queued = set(connection.scalars(sa.select(pending.c.company_id)))
    sources = dict(connection.execute(
        sa.select(identifiers.c.company_id, sa.func.min(identifiers.c.source_id))
        .where(identifiers.c.scheme.in_(REGISTER_SCHEMES)).group_by(identifiers.c.company_id)).all())
    now = datetime.now(timezone.utc)
    for cid, (filed, shown) in renamed.items():
        connection.execute(companies.update().where(companies.c.id == cid).values(name=shown))
        connection.execute(scores.update().where(scores.c.company_id == cid).values(name=shown))
        if (cid, filed) not in kept:
            connection.execute(names.insert().values(company_id=cid, name=filed, source_id=sources.get(cid)))
        if cid not in queued:
            connection.execute(pending.insert().values(company_id=cid, queued_at=now))


def downgrade():
    """Back to the filed names: the legal-name rows become the names again."""
    connection = op.get_bind()
    rows = connection.execute(sa.select(companies.c.id, companies.c.name, names.c.name)
                              .join(names, names.c.company_id == companies.c.id))
    for cid, shown, filed in rows.all():
        if filed != shown and company_display_name(filed) == shown:
            connection.execute(companies.update().where(companies.c.id == cid).values(name=filed))
            connection.execute(scores.update().where(scores.c.company_id == cid).values(name=filed))
            connection.execute(names.delete().where(names.c.company_id == cid, names.c.name == filed))

"""Numbers that pages show about many companies at once, kept up to date by the writes.

No visitor waits for a count: the home and browse counts (`counts.py`) and the leaderboards'
scores (`scores.py`) live in small tables that each transaction changing them updates in the
same commit, through a flush listener (every ORM write path) and explicit calls from the
Core bulk loader. `flask counts refresh` recomputes both from scratch: after a restore, and
daily, because a rating from a new account starts to count when the account is old enough,
which no write announces.
"""
from __future__ import annotations

from sqlalchemy.orm import Session

from . import counts, scores


def after_flush(session: Session, flush_context) -> None:
    """Counts and scores moved by this flush, written in the same transaction."""
    connection = session.connection()
    counts.apply(connection, counts.flush_deltas(session, connection))
    scores.recompute(connection, scores.flushed_company_ids(session, connection))


def refresh(connection) -> None:
    """Recompute both tables from the rows (full scans): `flask counts refresh`, the migration
    that created them, and any scheduled refresh."""
    counts.refresh(connection)
    scores.recompute(connection, None)

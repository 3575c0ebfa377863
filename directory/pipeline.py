"""What every commit does besides writing its rows, in the order it happens.

Four stages follow each write, whatever made it (a view, an importer, a command):

1. `revisions`: one `Revision` per changed row, and the companies whose search document the
   flush changed (everything below reads that set);
2. `aggregates`: the home and browse counts and the leaderboards' scores, in the same
   transaction;
3. `caching`: the generation cached pages are keyed on moves on in the changing commit;
4. `search_index`: the changed companies are queued (Whoosh) or re-indexed (PostgreSQL) in
   the commit, then written to the Whoosh index after it.

SQLAlchemy calls a Session event's listeners in the order they were registered, so
`LISTENERS` below is that order; each stage keeps its handlers in its own module. The
listeners are global to the Session class: `init_app` registers each once, whatever the
number of apps.
"""
from __future__ import annotations

from sqlalchemy import event
from sqlalchemy.orm import Session

from . import aggregates, caching, revisions, search_index

LISTENERS = (
    ("after_flush", revisions.after_flush),  # first: collects the changed companies
    ("after_flush", aggregates.after_flush),
    ("after_flush", caching.after_flush),
    ("after_soft_rollback", revisions.forget_changes),
    ("after_soft_rollback", caching.after_rollback),
    ("before_commit", caching.before_commit),
    ("before_commit", search_index.before_commit),
    ("after_commit", search_index.after_commit),
)


def init_app(app) -> None:
    """Register the commit listeners in order, and the search index's state for this app."""
    search_index.init_app(app)
    for name, listener in LISTENERS:
        if not event.contains(Session, name, listener):
            event.listen(Session, name, listener)


def defer_search(session: Session) -> None:
    """Leave this transaction's companies out of the search index (the caller is about to
    commit, and rebuilds the index once at the end of its run): a bulk import costs one
    rebuild instead of a re-index per batch. Cached pages still go stale in the commit.

    Flushes first, so the caching stage sees every change before the ids are taken.
    """
    session.flush()
    revisions.take_changed(session)


"""Full-text search over companies, with Whoosh kept behind this package.

Why it is shaped this way (STYLE pitfalls W1-W10):

* The index is written AFTER COMMIT, from the company ids `revisions.py` collects at flush,
  so a rolled-back transaction never reaches the index. The same commit queues those ids in
  `pending_reindex` (an outbox, `writing.py`), so a process killed between the commit and
  the index write leaves them queued for the next writer instead of losing them.
* Documents are built from plain column values (`documents.py`); person names carry their
  given-name diminutives (`nicknames.py`) so "tim cook" finds "Timothy D. Cook".
* Searchers are reused per thread (`state.py`); queries are built from analysed tokens and
  ordered by constant-score tiers (`searching.py`).
* Nothing is opened before first use, so gunicorn can fork safely; each worker then calls
  `warm()` (gunicorn.conf.py) before it takes its first request.
"""
from __future__ import annotations

from sqlalchemy import event
from sqlalchemy.orm import Session

from ..revisions import CHANGED_COMPANIES_KEY
from .documents import document_for
from .rebuilding import is_stale, rebuild
from .schema import ANALYZER, SCHEMA, tokens
from .searching import SearchResults, generation, highlight, search, suggest, warm
from .state import SearchState
from .writing import check, drain_pending, enqueue, index_companies

__all__ = ["ANALYZER", "SCHEMA", "SearchResults", "SearchState", "check", "document_for", "drain_pending",
           "generation", "highlight", "index_companies", "init_app", "is_stale", "rebuild", "search", "suggest", "tokens", "warm"]


def _indexing(session) -> bool:
    """Whether this session's commits maintain the index (an app with search enabled)."""
    from flask import current_app, has_app_context

    if not has_app_context():
        return False
    state = current_app.extensions.get("search_index")
    return state is not None and state.enabled


def _before_commit(session) -> None:
    """The outbox write: queue the changed companies in the transaction being committed.

    Flushes first, because the commit's own final flush runs after this hook and may
    change more companies. Savepoints are skipped: their changes reach the outer commit.
    """
    if session.in_nested_transaction() or not _indexing(session):
        return
    session.flush()
    ids = session.info.get(CHANGED_COMPANIES_KEY)
    if ids:
        enqueue(session.connection(), ids)


def _after_commit(session) -> None:
    """Index the companies this transaction changed, now that they are committed."""
    from flask import current_app

    ids = session.info.pop(CHANGED_COMPANIES_KEY, None)
    if not ids or not _indexing(session):
        return
    try:
        index_companies(ids)
    except Exception:  # the data is committed and the ids stay queued; the request must not fail
        current_app.logger.exception("search index update failed; companies stay queued in pending_reindex")


def init_app(app) -> None:
    app.extensions["search_index"] = SearchState(app)
    for name, listener in (("before_commit", _before_commit), ("after_commit", _after_commit)):
        if not event.contains(Session, name, listener):
            event.listen(Session, name, listener)

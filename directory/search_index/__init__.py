"""Full-text search over companies, with Whoosh kept behind this package.

Why it is shaped this way (STYLE pitfalls W1-W10):

* The index is written AFTER COMMIT, from the company ids `revisions.py` collects at flush,
  so a rolled-back transaction never reaches the index (`writing.py`).
* Documents are built from plain column values (`documents.py`); person names carry their
  given-name diminutives (`nicknames.py`) so "tim cook" finds "Timothy D. Cook".
* Searchers are reused per thread (`state.py`); queries are built from analysed tokens and
  ordered by constant-score tiers (`searching.py`).
* Nothing is opened before first use, so gunicorn can fork safely.
"""
from __future__ import annotations

from sqlalchemy import event
from sqlalchemy.orm import Session

from ..revisions import CHANGED_COMPANIES_KEY
from .documents import document_for
from .schema import ANALYZER, SCHEMA, tokens
from .searching import SearchResults, highlight, search, suggest
from .state import SearchState
from .rebuilding import is_stale, rebuild
from .writing import check, drain_pending, index_companies, queue_pending

__all__ = ["ANALYZER", "SCHEMA", "SearchResults", "SearchState", "check", "document_for", "drain_pending",
           "highlight", "index_companies", "init_app", "is_stale", "rebuild", "search", "suggest", "tokens"]


def _after_commit(session) -> None:
    """Index the companies this transaction changed, now that they are committed."""
    from flask import current_app, has_app_context

    ids = session.info.pop(CHANGED_COMPANIES_KEY, None)
    if not ids or not has_app_context():
        return
    state = current_app.extensions.get("search_index")
    if state is None or not state.enabled:
        return
    try:
        index_companies(ids)
    except Exception:  # the data is committed; a broken index must not fail the request
        current_app.logger.exception("search index update failed; companies queued")
        queue_pending(set(ids))


def init_app(app) -> None:
    app.extensions["search_index"] = SearchState(app)
    if not event.contains(Session, "after_commit", _after_commit):
        event.listen(Session, "after_commit", _after_commit)

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
* `SEARCH_BACKEND=postgres` puts the index in the database instead (`postgres.py`), for more
  than one app server: the public functions below dispatch to the configured backend, and
  documents are then written in the changing transaction itself, with no outbox.
"""
from __future__ import annotations

from ..revisions import CHANGED_COMPANIES_KEY
from . import postgres, rebuilding, searching, writing
from .documents import document_for
from .schema import ANALYZER, SCHEMA, tokens
from .searching import SearchResults, highlight
from .state import SearchState, current_state
from .writing import enqueue, index_companies

# What each backend provides under the package's public names.
_WHOOSH = {"search": searching.search, "suggest": searching.suggest, "generation": searching.generation,
           "warm": searching.warm, "rebuild": rebuilding.rebuild, "is_stale": rebuilding.is_stale,
           "check": writing.check, "drain_pending": writing.drain_pending}
BACKENDS = {"whoosh": _WHOOSH, "postgres": {name: getattr(postgres, name) for name in _WHOOSH}}


def _dispatch(name: str):
    def call(*args, **kwargs):
        return BACKENDS[current_state().backend][name](*args, **kwargs)
    call.__name__ = name
    call.__doc__ = _WHOOSH[name].__doc__
    return call


search = _dispatch("search")
suggest = _dispatch("suggest")
generation = _dispatch("generation")
warm = _dispatch("warm")
rebuild = _dispatch("rebuild")
is_stale = _dispatch("is_stale")
check = _dispatch("check")
drain_pending = _dispatch("drain_pending")

__all__ = ["ANALYZER", "SCHEMA", "SearchResults", "SearchState", "check", "document_for", "drain_pending",
           "generation", "highlight", "index_companies", "init_app", "is_stale", "rebuild", "search", "suggest", "tokens", "warm"]


def _indexing(session) -> str | None:
    """The backend this session's commits maintain (None: no app, or search disabled)."""
    from flask import current_app, has_app_context

    if not has_app_context():
        return None
    state = current_app.extensions.get("search_index")
    return state.backend if state is not None and state.enabled else None


def before_commit(session) -> None:
    """Inside the transaction being committed: the outbox write (whoosh), or the documents
    themselves (postgres, which then leaves nothing for after the commit).

    Flushes first, because the commit's own final flush runs after this hook and may
    change more companies. Savepoints are skipped: their changes reach the outer commit.
    """
    backend = None if session.in_nested_transaction() else _indexing(session)
    if backend is None:
        return
    session.flush()
    if backend == "postgres":
        postgres.write_documents(session.connection(), session.info.pop(CHANGED_COMPANIES_KEY, ()))
        return
    ids = session.info.get(CHANGED_COMPANIES_KEY)
    if ids:
        enqueue(session.connection(), ids)


def after_commit(session) -> None:
    """Index the companies this transaction changed, now that they are committed."""
    from flask import current_app

    ids = session.info.pop(CHANGED_COMPANIES_KEY, None)
    if not ids or _indexing(session) != "whoosh":
        return
    try:
        index_companies(ids)
    except Exception:  # the data is committed and the ids stay queued; the request must not fail
        current_app.logger.exception("search index update failed; companies stay queued in pending_reindex")


def init_app(app) -> None:
    """The search state of this app; the commit listeners are wired by `directory.pipeline`."""
    app.extensions["search_index"] = SearchState(app)

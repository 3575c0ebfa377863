"""What each gunicorn worker keeps between requests, and why what it serves is never stale,
on one server or on many sharing one database.

* Rendered search pages for visitors who are not logged in, keyed by the query, the filters,
  the page and the generation of the data (`generation()`), so a popular search ("amazon",
  "comcast") costs a dictionary lookup instead of a query.
* The generation lives in the database: every transaction that changes a company's search
  document adds one to it in the same commit, so a server that reads the generation (one
  tiny read per anonymous search) sees a new one exactly when it could see the change, and
  a page cached on another server, or in a shared cache, under the old one is never
  served again. With the Whoosh backend the index generation is part of the key too, because
  that index is written just after the commit: a page rendered in between is keyed on the
  old index and dropped when the index moves on.
* The counter is up to PAGE_GENERATION_SHARDS rows summed, each commit bumping a random one
  (an upsert, so a missing row is no error) at the very end of its transaction: writers on
  PostgreSQL do not queue on one row lock.

Counts are not cached here: they are kept in a table by the writes (`aggregates/`).

The backend is whatever Flask-Caching's CACHE_TYPE names: `SimpleCache` (per process,
bounded by CACHE_THRESHOLD) by default, or a cache every server shares
(DIRECTORY_CACHE_TYPE=RedisCache with DIRECTORY_CACHE_REDIS_URL), which only raises the hit
rate: correctness comes from the generation.
"""
from __future__ import annotations

from collections.abc import Callable

from flask import session
from flask_login import current_user
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from . import search_index
from .extensions import cache, db
from .models import PageGeneration
from .models.page_generation import bump_page_generation
from .revisions import CHANGED_COMPANIES_KEY

GENERATIONS = PageGeneration.__table__
STALE_PAGES_KEY = "stale_cached_pages"  # session.info: this transaction changed a company


def generation() -> str:
    """The generation cached pages are keyed on: the database's, and the Whoosh index's."""
    database = db.session.scalar(select(func.coalesce(func.sum(GENERATIONS.c.n), 0)))
    return f"{database}.{search_index.generation()}"


def _personal() -> bool:
    """Pages for logged-in users carry their menu and CSRF token; a pending flash message
    belongs to one visitor: neither may be served to, or from, the shared cache."""
    return current_user.is_authenticated or "_flashes" in session


def visitor_page(key: str, render: Callable[[], tuple[str, bool]]) -> str:
    """The page under `key` at the current generation, rendered at most once for anonymous
    visitors.

    `render()` returns the HTML and whether it may be cached (a search that ran out of time
    shows partial results and is not kept). The generation is read before rendering, so a
    page is never older than the generation it is stored under."""
    personal = _personal()
    if not personal:
        key = f"{generation()}/{key}"
        html = cache.get(key)
        if html is not None:
            return html
    html, cacheable = render()
    if cacheable and not personal:
        cache.set(key, html)
    return html


def after_flush(session: Session, flush_context) -> None:
    """Remember that this transaction changed a company: deferred imports take the changed
    ids away before committing (the index is rebuilt at the end), the pages must still go."""
    if session.info.get(CHANGED_COMPANIES_KEY):
        session.info[STALE_PAGES_KEY] = True


def before_commit(session: Session) -> None:
    """Move the generation on in the commit that changes a company (the Core bulk loader
    names its companies without a flush)."""
    if session.in_nested_transaction():
        return
    session.flush()
    if session.info.pop(STALE_PAGES_KEY, False) or session.info.get(CHANGED_COMPANIES_KEY):
        bump_page_generation(session.connection())


def after_rollback(session: Session, previous_transaction) -> None:
    """A rolled-back root transaction changed nothing; a failed savepoint keeps the mark."""
    if previous_transaction.parent is None:
        session.info.pop(STALE_PAGES_KEY, None)

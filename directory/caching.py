"""What each gunicorn worker keeps between requests, and why what it serves is never stale.

* Rendered search pages for visitors who are not logged in, keyed by the query, the filters,
  the page and the search index's generation. Every committed change to a company re-indexes
  it, which starts a new generation, so a cached page never outlives the data it shows, and
  a popular search ("amazon", "comcast") costs a dictionary lookup instead of a query.

Counts are not cached here: they are kept in a table by the writes (`aggregates/`).

The backend is Flask-Caching's `SimpleCache` (per process, bounded by CACHE_THRESHOLD).
"""
from __future__ import annotations

from collections.abc import Callable

from flask import session
from flask_login import current_user

from .extensions import cache

def _personal() -> bool:
    """Pages for logged-in users carry their menu and CSRF token; a pending flash message
    belongs to one visitor: neither may be served to, or from, the shared cache."""
    return current_user.is_authenticated or "_flashes" in session


def visitor_page(key: str, render: Callable[[], tuple[str, bool]]) -> str:
    """The page under `key`, rendered at most once per key for anonymous visitors.

    `render()` returns the HTML and whether it may be cached (a search that ran out of time
    shows partial results and is not kept)."""
    personal = _personal()
    if not personal:
        html = cache.get(key)
        if html is not None:
            return html
    html, cacheable = render()
    if cacheable and not personal:
        cache.set(key, html)
    return html

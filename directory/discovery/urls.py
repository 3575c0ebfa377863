"""Absolute URLs, from configuration only.

Canonical links, sitemaps, feeds and JSON-LD must name the site's one public address, never
whatever Host header a request carried (a proxy or an attacker could set it). `PUBLIC_URL`
is that address; without it, development uses the request's own root and production leaves
absolute URLs out rather than guess.
"""
from __future__ import annotations

from flask import current_app, request, url_for


def public_root() -> str | None:
    configured = (current_app.config.get("PUBLIC_URL") or "").rstrip("/")
    if configured:
        return configured
    if current_app.config.get("PRODUCTION"):
        return None
    return request.url_root.rstrip("/")


def absolute_url(endpoint: str, **values) -> str | None:
    """The public URL of `endpoint`, or None when no public address is configured in production."""
    root = public_root()
    return root + url_for(endpoint, **values) if root else None


def canonical_url() -> str | None:
    """The page's public URL without its query string (one URL per page for search engines)."""
    root = public_root()
    return root + request.path if root and request.endpoint else None


def init_app(app) -> None:
    app.add_template_global(canonical_url)

"""Absolute URLs, from configuration only.

Canonical links, sitemaps, feeds and JSON-LD must name the site's one public address, never
whatever Host header a request carried (a proxy or an attacker could set it). `PUBLIC_URL`
is that address: required in production, `http://localhost:5000` in development
(directory/config.py).
"""
from __future__ import annotations

from flask import current_app, request, url_for


def public_root() -> str:
    return current_app.config["PUBLIC_URL"].rstrip("/")


def absolute_url(endpoint: str, **values) -> str:
    """The public URL of `endpoint`."""
    return public_root() + url_for(endpoint, **values)


def canonical_url() -> str | None:
    """The page's public URL without its query string (one URL per page for search engines)."""
    return public_root() + request.path if request.endpoint else None


def init_app(app) -> None:
    app.add_template_global(canonical_url)

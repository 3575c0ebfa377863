"""Absolute URLs, from configuration or the server's own address, never the Host header.

Canonical links, sitemaps, feeds, JSON-LD and links in mail must name the site's one public
address, never whatever Host header a request carried (a proxy or an attacker could set it).
`PUBLIC_URL` is that address, required in production. A development server without it names
the address it is bound to (`flask run --port 5077` links to port 5077): the WSGI server
writes that into SERVER_NAME and SERVER_PORT from its socket, not from the request. Outside
a request (a command mailing a reminder) it is `HOST` and `PORT`, as `make run` serves.
"""
from __future__ import annotations

import os

from flask import current_app, has_request_context, request, url_for

UNSPECIFIED_HOSTS = {"0.0.0.0", "::", ""}  # nosec B104 - names, not a bind: a server bound to every address is named "localhost"


def public_root() -> str:
    configured = current_app.config.get("PUBLIC_URL")
    if configured:
        return configured.rstrip("/")
    return _served_root()


def _served_root() -> str:
    """Development's address: the one the server listens on."""
    if has_request_context():
        scheme, host, port = request.scheme, request.environ.get("SERVER_NAME", ""), request.environ.get("SERVER_PORT")
    else:
        scheme, host, port = "http", os.environ.get("HOST", "127.0.0.1"), os.environ.get("PORT", "5000")
    host = "localhost" if host in UNSPECIFIED_HOSTS else host
    if ":" in host:
        host = f"[{host}]"
    default_port = {"http": "80", "https": "443"}[scheme]
    return f"{scheme}://{host}" + ("" if port in (None, default_port) else f":{port}")


def absolute_url(endpoint: str, **values) -> str:
    """The public URL of `endpoint`."""
    return public_root() + url_for(endpoint, **values)


def canonical_url() -> str | None:
    """The page's public URL without its query string (one URL per page for search engines)."""
    return public_root() + request.path if request.endpoint else None

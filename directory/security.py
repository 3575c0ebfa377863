"""Security headers on every response (and `private, no-store` on personal ones), cross-origin
reads for the API, and which proxies may tell us the visitor's address."""
from __future__ import annotations

import ipaddress

from flask import abort, g, request, session
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.routing import IntegerConverter

CONTENT_SECURITY_POLICY = "; ".join([
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "connect-src 'self'",
    "form-action 'self'",
    "base-uri 'self'",
    "frame-ancestors 'none'",
    "object-src 'none'",
])


class DatabaseIntegerConverter(IntegerConverter):
    """`<int:...>` limited to what a 64-bit database column holds: a longer number in a URL
    is a 404 instead of an overflow error in the database driver."""

    def __init__(self, map, *args, **kwargs):
        kwargs.setdefault("max", 2**63 - 1)
        super().__init__(map, *args, **kwargs)


class ProxiedFrom:
    """`ProxyFix` for `count` proxies, applied only when the connection comes from one of
    `proxies` (addresses or networks). Anything else that sends X-Forwarded-* (a client that
    reaches gunicorn without going through nginx) has those headers dropped: otherwise a new
    X-Forwarded-For on each request would be a new address to every per-address limit."""

    FORWARDED = ("HTTP_X_FORWARDED_FOR", "HTTP_X_FORWARDED_PROTO", "HTTP_X_FORWARDED_HOST",
                 "HTTP_X_FORWARDED_PORT", "HTTP_X_FORWARDED_PREFIX")

    def __init__(self, app, count: int, proxies: list[str]):
        self.app = app
        self.fixed = ProxyFix(app, x_for=count, x_proto=count, x_host=count)
        self.proxies = [ipaddress.ip_network(proxy.strip(), strict=False) for proxy in proxies]

    def _from_proxy(self, address: str | None) -> bool:
        try:
            peer = ipaddress.ip_address((address or "").split("%", 1)[0])
        except ValueError:
            return False
        return any(peer in network for network in self.proxies if network.version == peer.version)

    def __call__(self, environ, start_response):
        if self._from_proxy(environ.get("REMOTE_ADDR")):
            return self.fixed(environ, start_response)
        for name in self.FORWARDED:
            environ.pop(name, None)
        return self.app(environ, start_response)


def _is_personal() -> bool:
    """The answer depends on who asks: a logged-in visitor's page (their account, the
    moderation queue, their own rating, or any page whose navigation names them), or one that
    sets the session cookie (a fresh CSRF token). `_login_user` is set only when the request
    read the session's user, so an answer that never looked stays shareable."""
    user = g.get("_login_user")
    return bool(user is not None and user.is_authenticated) or session.modified


def _add_headers(response):
    headers = response.headers
    if "Cache-Control" not in headers and _is_personal():
        headers["Cache-Control"] = "private, no-store"  # no shared cache or back button keeps it
    headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
    if request.path.startswith("/api/"):
        headers["Access-Control-Allow-Origin"] = "*"
        headers["Access-Control-Allow-Methods"] = "GET, OPTIONS"
    if request.is_secure:
        headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
    return response


def _refuse_nul_bytes():
    """NUL has no business in a URL or a form, and PostgreSQL text cannot hold it (the driver
    raises, which would be a 500): refuse it up front with a 400 on every database."""
    if "\x00" in request.path or any("\x00" in value for _, value in request.args.items(multi=True)):
        abort(400)
    if request.method == "POST" and any("\x00" in value for _, value in request.form.items(multi=True)):
        abort(400)


def init_app(app) -> None:
    """Called before the blueprints are registered, so their `<int:...>` rules use the converter."""
    app.url_map.converters["int"] = DatabaseIntegerConverter
    app.before_request(_refuse_nul_bytes)
    if app.config.get("PRODUCTION"):
        app.config["SESSION_COOKIE_SECURE"] = True
    app.after_request(_add_headers)

"""Friendly HTML error pages, JSON errors under /api."""
from __future__ import annotations

from flask import current_app, jsonify, render_template, request
from werkzeug.exceptions import HTTPException, SecurityError

from .extensions import db

MESSAGES = {
    400: "The request could not be understood.",
    403: "You do not have permission to do that.",
    404: "We could not find that page.",
    405: "That method is not allowed here.",
    410: "This page is no longer published: it was removed at the request of the person it concerned.",
    429: "Too many requests. Please wait a moment and try again.",
    500: "Something went wrong on our side. It has been logged.",
}


def _wants_json() -> bool:
    return request.path.startswith("/api/")


def _render_error(status: int, description: str | None = None, headers: list | None = None):
    message = MESSAGES.get(status, "Something went wrong.")
    headers = list(headers or [])
    if _wants_json():
        return jsonify({"error": {"status": status, "message": description or message}}), status, headers
    if request.url_rule is None and status == 400 and not _known_host():
        # No links to build for a foreign host.
        return message, status, [*headers, ("Content-Type", "text/plain; charset=utf-8")]
    return render_template("errors/error.html", status=status, message=message), status, headers


def _known_host() -> bool:
    """False for a request refused for its Host header (TRUSTED_HOSTS): the page's links
    cannot be built for it, so its error is plain text."""
    try:
        request.host  # noqa: B018  (raises for an untrusted host)
    except SecurityError:
        return False
    return True


def handle_http_exception(error: HTTPException):
    description = error.description if error.code not in (404, 500) else None
    return _render_error(error.code or 500, description, _protocol_headers(error))


def _protocol_headers(error: HTTPException) -> list[tuple[str, str]]:
    """Headers the status itself requires, such as `Allow` on a 405 (RFC 9110) and
    `Retry-After` on a 429, kept from the exception; its Content-Type is the page's own."""
    return [(name, value) for name, value in error.get_headers() if name.lower() != "content-type"]


def handle_unexpected(error: Exception):
    # A handler for Exception replaces Flask's own logging of it: log here, or the page's
    # "It has been logged" would be untrue and the traceback lost.
    current_app.logger.error("Unhandled exception on %s %s", request.method, request.path, exc_info=error)
    db.session.rollback()
    return _render_error(500)


def init_app(app) -> None:
    app.register_error_handler(HTTPException, handle_http_exception)
    if not app.config.get("TESTING"):
        app.register_error_handler(Exception, handle_unexpected)

"""CEO Directory: who runs a company and how to reach them, with the source of every fact."""
from __future__ import annotations

from pathlib import Path

from flask import Flask

ROOT = Path(__file__).resolve().parent.parent


def create_app(test_config: dict | None = None, *, production: bool = False) -> Flask:
    """Build the app: configuration, extensions, blueprints, commands, in that order.

    `production=True` (wsgi.py, behind gunicorn) refuses a missing or placeholder SECRET_KEY
    and marks session cookies Secure.
    """
    app = Flask(
        __name__,
        instance_relative_config=True,
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
    )
    from .config import load_config

    load_config(app, test_config, production=production)

    from . import database  # noqa: F401  (registers the SQLite pragmas)
    from . import revisions, search_index, security, templating
    from .extensions import cache, csrf, db, migrate

    db.init_app(app)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"))
    csrf.init_app(app)
    cache.init_app(app)
    revisions.init_app(app)
    search_index.init_app(app)
    security.init_app(app)
    templating.init_app(app)

    from . import api, browse, community, companies, errors, escalation, main, people, review, search

    app.register_blueprint(main.bp)
    app.register_blueprint(search.bp, url_prefix="/search")
    app.register_blueprint(companies.bp, url_prefix="/companies")
    app.register_blueprint(people.bp, url_prefix="/people")
    app.register_blueprint(browse.bp, url_prefix="/browse")
    app.register_blueprint(review.bp, url_prefix="/review")
    app.register_blueprint(api.bp, url_prefix="/api/v1")
    csrf.exempt(api.bp)  # read-only JSON, no cookies needed
    errors.init_app(app)
    community.init_app(app)
    escalation.init_app(app)

    from .commands import register_commands

    register_commands(app)
    if app.config["PROXY_COUNT"]:
        from werkzeug.middleware.proxy_fix import ProxyFix

        # Trust X-Forwarded-For/Proto from exactly that many proxies: rate limits see the
        # visitor's address and cookies know the request was HTTPS.
        count = app.config["PROXY_COUNT"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count, x_host=count)
    return app

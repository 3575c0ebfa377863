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
    from . import pipeline, security, templating
    from .extensions import cache, csrf, db, migrate

    db.init_app(app)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"))
    csrf.init_app(app)
    cache.init_app(app)
    pipeline.init_app(app)  # what every commit does: revisions, counts, cached pages, search index
    security.init_app(app)
    templating.init_app(app)

    from . import auth, errors, ratelimit

    auth.init_app(app)
    ratelimit.init_app(app)
    errors.init_app(app)

    # Blueprints: every page and the API, with the URL prefix each lives under.
    from . import (accounts, api, browse, cases, companies, contribute, discovery, escalation, history, main,
                   moderate, opendata, people, privacy, ratings, search, status)

    app.register_blueprint(main.bp)
    app.register_blueprint(status.bp)  # /status: each source's freshness
    app.register_blueprint(search.bp, url_prefix="/search")
    app.register_blueprint(companies.bp, url_prefix="/companies")
    app.register_blueprint(escalation.bp, url_prefix="/companies")  # composer and bounce reports
    app.register_blueprint(people.bp, url_prefix="/people")
    app.register_blueprint(browse.bp, url_prefix="/browse")
    app.register_blueprint(accounts.bp, url_prefix="/accounts")
    app.register_blueprint(contribute.bp, url_prefix="/contribute")
    app.register_blueprint(moderate.bp, url_prefix="/moderate")
    app.register_blueprint(moderate.review_bp, url_prefix="/review")  # old links: the queue's filters
    app.register_blueprint(history.bp, url_prefix="/history")
    app.register_blueprint(ratings.bp)
    app.register_blueprint(cases.bp, url_prefix="/cases")  # private to each account
    app.register_blueprint(api.bp, url_prefix="/api/v1")
    app.register_blueprint(privacy.bp)  # /privacy, /people/<slug>/object, /moderate/objections/<id>
    app.register_blueprint(opendata.bp)  # /data, /feeds/leadership.atom, /companies/<slug>/feed.atom
    app.register_blueprint(discovery.bp)  # /robots.txt, /sitemap.xml, /sitemaps/...
    csrf.exempt(api.bp)  # read-only JSON, no cookies needed

    # Command groups: every `flask ...` command of the project.
    from .accounts.commands import users_cli
    from .aggregates.commands import counts_cli
    from .cases.commands import cases_cli
    from .escalation.commands import regulators_cli
    from .refresh.scrape_commands import companies_cli, scrape_cli
    from .refresh.commands import refresh_command
    from .search.commands import index_cli
    from .opendata.commands import export_command, import_command

    for command in (index_cli, export_command, import_command, scrape_cli, companies_cli, regulators_cli,
                    users_cli, cases_cli, refresh_command, counts_cli):
        app.cli.add_command(command)

    if app.config["PROXY_COUNT"]:
        from .security import ProxiedFrom

        # Trust X-Forwarded-For/Proto from exactly that many proxies, and only on a connection
        # from TRUSTED_PROXIES: rate limits see the visitor's address and cookies know the
        # request was HTTPS, and a client reaching gunicorn directly cannot pick its address.
        app.wsgi_app = ProxiedFrom(app.wsgi_app, app.config["PROXY_COUNT"], app.config["TRUSTED_PROXIES"])
    return app

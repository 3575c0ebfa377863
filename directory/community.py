"""Accounts, contributions, moderation and history, wired into the app in one call.

`create_app` calls `init_app(app)`; everything the community features need (settings,
login manager, rate limiter, blueprints, the `flask users` command, navigation counts)
is registered here so the factory stays short.
"""
from __future__ import annotations

from flask_login import current_user


def _navigation_counts():
    """Moderators see how many items wait for them in the navigation."""
    if not current_user.is_authenticated or not current_user.is_moderator:
        return {"moderation_pending": None}
    from .moderate.queue import pending_counts
    return {"moderation_pending": sum(pending_counts().values())}


def init_app(app) -> None:
    from . import accounts, auth, contribute, history, moderate, ratelimit, ratings
    from .users_cli import users_cli

    auth.init_app(app)
    ratelimit.init_app(app)
    app.register_blueprint(accounts.bp, url_prefix="/accounts")
    app.register_blueprint(contribute.bp, url_prefix="/contribute")
    app.register_blueprint(moderate.bp, url_prefix="/moderate")
    app.register_blueprint(history.bp, url_prefix="/history")
    app.register_blueprint(ratings.bp)
    app.context_processor(_navigation_counts)
    app.cli.add_command(users_cli)

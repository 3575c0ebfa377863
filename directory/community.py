"""Accounts, contributions, moderation and history, wired into the app in one call.

`create_app` calls `init_app(app)`; everything the community features need (settings,
login manager, rate limiter, blueprints, the `flask users` command, navigation counts)
is registered here so the factory stays short.
"""
from __future__ import annotations

import os

from flask_login import current_user

# Settings with safe defaults; MAIL_* also come from the environment (twelve-factor).
DEFAULTS = {
    # OWASP password storage cheat sheet: argon2id, 19 MiB, 2 iterations, 1 lane.
    "ARGON2_TIME_COST": 2,
    "ARGON2_MEMORY_COST": 19 * 1024,
    "ARGON2_PARALLELISM": 1,
    "PASSWORD_RESET_MAX_AGE": 3600,  # seconds a reset link works
    "TRUSTED_AFTER_ACCEPTED": 10,  # accepted suggestions before low-risk edits go live at once
    "TRUSTED_CLEAN_DAYS": 90,  # ... with no rejection in this many days
    "PAUSE_AFTER_REJECTIONS": 5,  # rejections within a week that pause a contributor for a week
    "MAIL_SERVER": None,
    "MAIL_PORT": 587,
    "MAIL_USERNAME": None,
    "MAIL_PASSWORD": None,
    "MAIL_FROM": "CEO Directory <no-reply@localhost>",
}
MAIL_ENVIRONMENT = ("MAIL_SERVER", "MAIL_PORT", "MAIL_USERNAME", "MAIL_PASSWORD", "MAIL_FROM")


def _configure(app) -> None:
    if not app.config.get("TESTING"):
        for name in MAIL_ENVIRONMENT:
            if os.environ.get(name):
                app.config.setdefault(name, os.environ[name])
    for key, value in DEFAULTS.items():
        app.config.setdefault(key, value)


def _navigation_counts():
    """Moderators see how many items wait for them in the navigation."""
    if not current_user.is_authenticated or not current_user.is_moderator:
        return {"moderation_pending": None}
    from .moderate.queue import pending_counts
    return {"moderation_pending": sum(pending_counts().values())}


def init_app(app) -> None:
    _configure(app)
    from . import accounts, auth, contribute, history, moderate, ratelimit
    from .users_cli import users_cli

    auth.init_app(app)
    ratelimit.init_app(app)
    app.register_blueprint(accounts.bp, url_prefix="/accounts")
    app.register_blueprint(contribute.bp, url_prefix="/contribute")
    app.register_blueprint(moderate.bp, url_prefix="/moderate")
    app.register_blueprint(history.bp, url_prefix="/history")
    app.context_processor(_navigation_counts)
    app.cli.add_command(users_cli)

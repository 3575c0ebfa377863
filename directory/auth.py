"""Login sessions (Flask-Login) and the role checks that guard moderator and admin pages.

The login cookie carries "user id:session version"; bumping `User.session_version` (after a
password reset) makes every older session and remember-me cookie stop working.
"""
from __future__ import annotations

from functools import wraps

from flask import abort
from flask_login import LoginManager, current_user, login_required

from .extensions import db
from .models import User

login_manager = LoginManager()
login_manager.login_view = "accounts.login"
login_manager.login_message = "Please log in to continue."
login_manager.session_protection = "basic"


@login_manager.user_loader
def load_user(token: str) -> User | None:
    user_id, _, version = token.partition(":")
    if not user_id.isdigit() or not version.isdigit():
        return None
    user = db.session.get(User, int(user_id))
    if user is None or not user.is_active or user.session_version != int(version):
        return None
    return user


def _require(check):
    def decorator(view):
        @wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            if not check(current_user):
                abort(403)
            return view(*args, **kwargs)
        return wrapped
    return decorator


moderator_required = _require(lambda user: user.is_moderator)
admin_required = _require(lambda user: user.is_admin)


def init_app(app) -> None:
    app.config.setdefault("REMEMBER_COOKIE_HTTPONLY", True)
    app.config.setdefault("REMEMBER_COOKIE_SAMESITE", "Lax")
    app.config.setdefault("REMEMBER_COOKIE_SECURE", bool(app.config.get("PRODUCTION")))
    app.config.setdefault("REMEMBER_COOKIE_DURATION", 30 * 24 * 3600)
    login_manager.init_app(app)

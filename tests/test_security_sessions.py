"""Login sessions: a cookie captured before login grants nothing, and logout, a password
change or a ban make every copy of an old session or remember-me cookie worthless.

Flask's session is a signed cookie kept by the browser, so "invalidating" it means the
server refusing it: the login part carries `User.session_version`, which those events bump.
"""
from __future__ import annotations

import pytest
from sqlalchemy import select

from directory import create_app
from directory.config import ConfigurationError
from directory.extensions import db
from directory.models import User
from directory.operations.accounts import set_password
from tests.community import PASSWORD, log_in, make_user, submit

EMAIL = "ada@example.org"


@pytest.fixture
def app_config(app_config):
    return {**app_config, "RATELIMIT_ENABLED": False}


@pytest.fixture
def ada(app):
    with app.app_context():
        return make_user(EMAIL).id


def cookie(client, name="session") -> str | None:
    found = client.get_cookie(name)
    return found.value if found else None


def browser_with(app, **cookies):
    """Another browser holding copies of the given cookies."""
    other = app.test_client()
    for name, value in cookies.items():
        other.set_cookie(name, value)
    return other


def logged_in(client) -> bool:
    return client.get("/accounts/mine").status_code == 200


def test_a_cookie_from_before_login_does_not_grant_the_login(app, client, ada):
    client.get("/accounts/login")  # the CSRF token puts a session cookie in the browser
    before = cookie(client)
    assert before
    log_in(client, EMAIL)
    after = cookie(client)
    assert after and after != before
    assert logged_in(client)
    assert not logged_in(browser_with(app, session=before))


def test_logout_makes_a_copied_session_cookie_worthless(app, client, ada):
    log_in(client, EMAIL)
    stolen = cookie(client)
    assert logged_in(browser_with(app, session=stolen))
    submit(client, "/", action_contains="/accounts/logout")
    assert not logged_in(client)
    assert not logged_in(browser_with(app, session=stolen))
    log_in(client, EMAIL)  # logging in again works
    assert logged_in(client)


def test_a_password_change_ends_every_other_session(app, client, ada):
    log_in(client, EMAIL)
    other_device = app.test_client()
    log_in(other_device, EMAIL)
    with app.app_context():
        set_password(db.session.get(User, ada), "a brand new passphrase")
        db.session.commit()
    assert not logged_in(client) and not logged_in(other_device)


def test_a_ban_ends_the_session_and_refuses_login(app, client, ada):
    log_in(client, EMAIL)
    with app.app_context():
        db.session.get(User, ada).is_active = False
        db.session.commit()
    assert not logged_in(client)
    response = submit(client, "/accounts/login", {"email": EMAIL, "password": PASSWORD})
    assert response.status_code == 200 and "do not match" in response.get_data(as_text=True)


def remember_me_login(client):
    response = submit(client, "/accounts/login", {"email": EMAIL, "password": PASSWORD, "remember": "y"})
    assert response.status_code == 302
    return [header for header in response.headers.getlist("Set-Cookie") if header.startswith("remember_token=")]


def test_remember_me_cookie_flags_and_it_dies_with_logout(app, client, ada):
    headers = remember_me_login(client)
    assert len(headers) == 1
    flags = [part.strip().lower() for part in headers[0].split(";")]
    assert "httponly" in flags and "samesite=lax" in flags
    assert "secure" not in flags  # development runs on plain http

    token = cookie(client, "remember_token")
    # A browser with only the remember-me cookie (session expired) is logged back in...
    assert logged_in(browser_with(app, remember_token=token))
    submit(client, "/", action_contains="/accounts/logout")
    # ...until the owner logs out: the copy no longer works.
    assert not logged_in(browser_with(app, remember_token=token))


def test_remember_me_and_session_cookies_are_secure_in_production(app_config, ada, monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "a-long-random-production-secret-for-the-test")
    production = create_app({**app_config, "SECRET_KEY": "a-long-random-production-secret-for-the-test",
                             "PUBLIC_URL": "https://localhost"}, production=True)
    assert production.config["SESSION_COOKIE_SECURE"] is True
    assert production.config["REMEMBER_COOKIE_SECURE"] is True
    client = production.test_client()
    client.environ_base["wsgi.url_scheme"] = "https"  # Secure cookies only travel over https
    response = submit(client, "/accounts/login", {"email": EMAIL, "password": PASSWORD, "remember": "y"})
    headers = response.headers.getlist("Set-Cookie")
    assert {header.split("=")[0] for header in headers} == {"session", "remember_token"}
    for header in headers:
        flags = [part.strip().lower() for part in header.split(";")]
        assert "secure" in flags and "httponly" in flags and "samesite=lax" in flags, header
    with production.app_context():  # a second app: its own connection pool to close
        db.session.remove()
        db.engine.dispose()


def test_passwords_are_stored_as_argon2id(app, ada):
    with app.app_context():
        stored = db.session.scalar(select(User.password_hash).where(User.id == ada))
    assert stored.startswith("$argon2id$") and PASSWORD not in stored


@pytest.mark.parametrize("key", ["", "dev", "change-me", "short-but-not-empty"])
def test_production_refuses_a_missing_placeholder_or_short_secret_key(app_config, key):
    with pytest.raises(ConfigurationError, match="SECRET_KEY"):
        create_app({**app_config, "SECRET_KEY": key}, production=True)

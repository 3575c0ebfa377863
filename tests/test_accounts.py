"""Accounts through the real forms with CSRF on: register, log in and out, reset, roles."""
from __future__ import annotations

import logging
import re

from sqlalchemy import select

from directory.extensions import db
from directory.models import AuditEntry, RoleChange, User
from tests.community import PASSWORD, log_in, make_user, submit


def test_register_log_out_and_log_back_in(app, client):
    response = submit(client, "/accounts/register", {"email": "Ada@Example.org", "display_name": "Ada",
                                                       "password": PASSWORD, "confirm": PASSWORD})
    assert response.status_code == 302
    log_in(client, "ada@example.org")
    assert "My contributions" in client.get("/accounts/mine").get_data(as_text=True)
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == "ada@example.org"))
        assert user.password_hash.startswith("$argon2id$")
        assert PASSWORD not in user.password_hash

    home = client.get("/").get_data(as_text=True)
    submit(client, "/", index=0, action_contains="/accounts/logout")
    assert client.get("/accounts/mine").status_code == 302  # back to the login page
    assert "Log out" in home

    log_in(client, "ada@example.org")
    assert client.get("/accounts/mine").status_code == 200


def test_weak_password_is_refused_and_the_form_keeps_what_was_typed(client):
    response = submit(client, "/accounts/register", {"email": "bob@example.org", "display_name": "Bob B",
                                                       "password": "password1234", "confirm": "password1234"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "most common" in html
    assert 'value="bob@example.org"' in html and 'value="Bob B"' in html

    short = submit(client, "/accounts/register", {"email": "bob@example.org", "password": "short pass",
                                                    "confirm": "short pass"})
    assert "at least 12 characters" in short.get_data(as_text=True)


def test_a_long_passphrase_with_spaces_is_fine(client):
    phrase = "the purple giraffe sings opera at dawn " * 3
    response = submit(client, "/accounts/register", {"email": "c@example.org", "password": phrase, "confirm": phrase})
    assert response.status_code == 302


def test_a_post_without_the_csrf_token_is_refused(app, client):
    response = client.post("/accounts/register", data={"email": "x@example.org", "password": PASSWORD,
                                                       "confirm": PASSWORD})
    assert response.status_code == 400
    with app.app_context():
        assert db.session.scalar(select(User)) is None


def test_wrong_password_gives_one_message_for_both_cases(app, client):
    with app.app_context():
        make_user("dora@example.org")
    wrong = submit(client, "/accounts/login", {"email": "dora@example.org", "password": "not the password!"})
    unknown = submit(client, "/accounts/login", {"email": "nobody@example.org", "password": "not the password!"})
    message = "That email and password do not match an account."
    assert message in wrong.get_data(as_text=True) and message in unknown.get_data(as_text=True)


def test_login_is_rate_limited_with_a_clear_page(app, client):
    for _ in range(10):
        submit(client, "/accounts/login", {"email": "eve@example.org", "password": "guessing again"})
    response = submit(client, "/accounts/login", {"email": "eve@example.org", "password": "guessing again"})
    assert response.status_code == 429
    assert "Too many requests" in response.get_data(as_text=True)


def test_password_reset_by_emailed_link_logs_out_other_devices(app, client, caplog):
    with app.app_context():
        make_user("fay@example.org")
    laptop = app.test_client()
    log_in(laptop, "fay@example.org")

    with caplog.at_level(logging.INFO, logger=app.logger.name):
        response = submit(client, "/accounts/reset-request", {"email": "fay@example.org"})
    assert response.status_code == 302
    link = re.search(r"http://localhost(/accounts/reset/\S+)", caplog.text).group(1)

    new_password = "a brand new passphrase"
    assert submit(client, link, {"password": new_password, "confirm": new_password}).status_code == 302
    assert laptop.get("/accounts/mine").status_code == 302  # the old session no longer works
    reused = client.get(link, follow_redirects=True)
    assert "expired or was already used" in reused.get_data(as_text=True)

    fresh = app.test_client()
    log_in(fresh, "fay@example.org", new_password)


def test_reset_request_does_not_reveal_who_has_an_account(client, caplog):
    response = submit(client, "/accounts/reset-request", {"email": "ghost@example.org"}, follow_redirects=True)
    assert "If an account uses that address" in response.get_data(as_text=True)
    assert "/accounts/reset/" not in caplog.text


def test_cli_creates_a_moderator_reading_the_password_from_stdin(app, runner):
    result = runner.invoke(args=["users", "create", "mod@example.org", "--role", "moderator"], input=PASSWORD + "\n")
    assert result.exit_code == 0, result.output
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == "mod@example.org"))
        assert user.role == "moderator"
        change = db.session.scalar(select(RoleChange).where(RoleChange.user_id == user.id))
        assert (change.old_role, change.new_role, change.changed_by_id) == (None, "moderator", None)

    weak = runner.invoke(args=["users", "create", "weak@example.org"], input="123456\n")
    assert weak.exit_code != 0 and "12 characters" in weak.output


def test_cli_makes_an_account_registered_on_the_site_a_moderator(app, runner, client):
    with app.app_context():
        make_user("member@example.org")
    result = runner.invoke(args=["users", "role", "member@example.org", "moderator"])
    assert result.exit_code == 0, result.output
    assert "member@example.org is now moderator (was contributor)." in result.output
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == "member@example.org"))
        change = db.session.scalar(select(RoleChange).where(RoleChange.user_id == user.id))
        assert (change.old_role, change.new_role, change.changed_by_id) == ("contributor", "moderator", None)
    log_in(client, "member@example.org")
    assert client.get("/moderate/").status_code == 200  # the queue opens for the new moderator

    missing = runner.invoke(args=["users", "role", "ghost@example.org", "moderator"])
    assert missing.exit_code != 0 and "No account uses ghost@example.org." in missing.output


def test_admin_promotes_in_the_ui_and_the_change_is_logged(app, client):
    with app.app_context():
        make_user("admin@example.org", role="admin")
        member = make_user("member@example.org")
        member_id = member.id
    log_in(client, "admin@example.org")
    response = submit(client, f"/moderate/users/{member_id}", {"role": "moderator"})
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(User, member_id).role == "moderator"
        entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "role_change"))
        assert entry.details == {"from": "contributor", "to": "moderator"}
    assert "role change" in client.get("/moderate/audit").get_data(as_text=True)


def test_a_moderator_cannot_change_roles(app, client):
    with app.app_context():
        make_user("mod@example.org", role="moderator")
        other = make_user("other@example.org")
        other_id = other.id
    log_in(client, "mod@example.org")
    assert client.get(f"/moderate/users/{other_id}").status_code == 403
    assert client.get("/moderate/users").status_code == 403

"""Mail as a new user meets it: on a local run it is printed where the site runs and the page
says so; a mail server that fails or refuses STARTTLS is a clear message, never a 500."""
from __future__ import annotations

import re

import pytest

from tests.community import PASSWORD, submit
from tests.smtp_server import SMTPServer

NEW_ACCOUNT = {"email": "new@example.org", "display_name": "New", "password": PASSWORD, "confirm": PASSWORD}


def flashed(client) -> str:
    return client.get("/accounts/login").get_data(as_text=True)


def test_a_local_run_prints_the_confirmation_mail_with_its_link_and_says_where_it_went(app, client, capfd):
    response = submit(client, "/accounts/register", NEW_ACCOUNT)
    assert response.status_code == 302
    page = flashed(client)
    assert "printed in the terminal where the site runs" in page
    assert "We have sent you an email" not in page  # nothing was sent
    printed = capfd.readouterr().err
    assert "Subject: Confirm your CEO Directory account" in printed
    assert re.search(r"http://localhost/accounts/confirm/\S+", printed)


@pytest.fixture
def smtp():
    with SMTPServer() as server:
        yield server


@pytest.mark.parametrize("security", ["starttls", "ssl"])
def test_a_mail_server_that_refuses_tls_is_a_clear_message_and_a_logged_error(app, smtp, caplog, security):
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=smtp.port, MAIL_SECURITY=security)
    client = app.test_client()
    response = submit(client, "/accounts/register", NEW_ACCOUNT)
    assert response.status_code == 302  # the account exists; only the mail failed
    assert "We could not send the email just now" in flashed(client)
    assert "Confirm your CEO Directory account' to new@example.org not sent" in caplog.text
    assert smtp.messages == []


def test_a_local_relay_without_tls_delivers_the_mail(app, smtp):
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=smtp.port, MAIL_SECURITY="none")
    client = app.test_client()
    submit(client, "/accounts/register", NEW_ACCOUNT)
    assert "We have sent you an email" in flashed(client)
    assert [message["Subject"] for message in smtp.messages] == ["Confirm your CEO Directory account"]


def test_mail_security_is_read_from_the_environment(monkeypatch, tmp_path):
    from directory import create_app

    monkeypatch.setenv("MAIL_SECURITY", "none")
    app = create_app()
    assert app.config["MAIL_SECURITY"] == "none"

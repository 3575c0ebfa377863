"""Outgoing email: SMTP when MAIL_SERVER is set. Without it, development writes the message
to the log (so a reset link can be followed without a mail server); production drops it with
an error, because a log is no place for a working reset link.

Links in mail are built from PUBLIC_URL, never from the request: the Host header is chosen by
whoever sends the request, and a reset link pointing at their host hands them the token.
"""
from __future__ import annotations

import smtplib
from email.message import EmailMessage

from flask import current_app

from ..operations import accounts
from ..discovery.urls import absolute_url


def public_link(endpoint: str, **values) -> str:
    """The absolute address of `endpoint` under the configured PUBLIC_URL."""
    return absolute_url(endpoint, **values)


def send_mail(to: str, subject: str, body: str) -> None:
    config = current_app.config
    message = EmailMessage()
    message["From"] = config["MAIL_FROM"]
    message["To"] = to
    message["Subject"] = subject
    message.set_content(body)
    if not config.get("MAIL_SERVER"):
        if config.get("PRODUCTION"):
            current_app.logger.error("Email %r not sent: MAIL_SERVER is not set.", subject)
        else:
            current_app.logger.info("Email to %s (no MAIL_SERVER set, not sent):\n%s\n%s", to, subject, body)
        return
    with smtplib.SMTP(config["MAIL_SERVER"], int(config.get("MAIL_PORT") or 587), timeout=10) as smtp:
        if config.get("MAIL_USE_TLS", True):
            smtp.starttls()
        if config.get("MAIL_USERNAME"):
            smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
        smtp.send_message(message)


def send_confirmation(user) -> None:
    days = current_app.config["EMAIL_CONFIRM_MAX_AGE"] // 86400
    link = public_link("accounts.confirm", token=accounts.confirmation_token(user))
    send_mail(user.email, "Confirm your CEO Directory account",
              f"Someone created a CEO Directory account with this address.\n\nTo confirm it is yours, open:\n{link}\n\n"
              f"The link works for {days} day(s). If you did not create the account, ignore this email.")


def send_already_registered(email: str) -> None:
    """What registering a taken address does: tell the owner, not the person at the form."""
    link = public_link("accounts.reset_request")
    send_mail(email, "Your CEO Directory account",
              "Someone tried to create a CEO Directory account with this address, which already has one.\n\n"
              f"If it was you, log in with your password, or choose a new one at:\n{link}\n\n"
              "If it was not you, ignore this email: nothing has changed.")


def send_reset(user) -> None:
    hours = current_app.config["PASSWORD_RESET_MAX_AGE"] // 3600
    link = public_link("accounts.reset", token=accounts.reset_token(user))
    send_mail(user.email, "Reset your CEO Directory password",
              f"Someone asked to reset the password of this account.\n\nTo choose a new password, open:\n{link}\n\n"
              f"The link works for {hours} hour(s). If you did not ask for it, ignore this email.")

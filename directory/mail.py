"""Outgoing email for the whole app (accounts, objections, case reminders): SMTP when MAIL_SERVER is set. Without it, development prints the message
to the console where `make run` runs (so a confirmation or reset link can be followed without a
mail server) and the page says so; production drops it with an error, because a log is no
place for a working reset link. A mail server that is down or refuses STARTTLS is logged and
reported to the user as "not sent", never a server error.

Links in mail are built from PUBLIC_URL, never from the request: the Host header is chosen by
whoever sends the request, and a reset link pointing at their host hands them the token.
"""
from __future__ import annotations

import logging
import smtplib
import sys
from email.message import EmailMessage
from enum import Enum

from flask import current_app

from .discovery.urls import absolute_url


def public_link(endpoint: str, **values) -> str:
    """The absolute address of `endpoint` under the configured PUBLIC_URL."""
    return absolute_url(endpoint, **values)


class Delivery(Enum):
    SENT = "sent"
    CONSOLE = "console"  # development without MAIL_SERVER: printed where the server runs
    NOT_SENT = "not sent"  # the mail server failed, or production has none


class _Console(logging.StreamHandler):
    """Writes to whatever standard error is when a message comes, not when the app started."""

    @property
    def stream(self):
        return sys.stderr

    @stream.setter
    def stream(self, _value):
        pass


# Development's stand-in for a mail server: INFO and above to the console, whatever the app's
# log level (Flask shows only warnings outside debug mode); still propagated to the root logger.
console_mail = logging.getLogger("directory.mail")
console_mail.setLevel(logging.INFO)
if not console_mail.handlers:
    console_mail.addHandler(_Console())

CONSOLE_NOTICE = ("No mail server is set up (MAIL_SERVER), so the email, with its link, was printed in the "
                  "terminal where the site runs.")
FAILED_NOTICE = "We could not send the email just now. Please try again in a few minutes."


def prints_to_console() -> bool:
    """Development without a mail server."""
    return not current_app.config.get("MAIL_SERVER") and not current_app.config.get("PRODUCTION")


def send_mail(to: str, subject: str, body: str) -> Delivery:
    """Send one message; what became of it, for the page to say."""
    config = current_app.config
    message = EmailMessage()
    message["From"] = config["MAIL_FROM"]
    message["To"] = to
    message["Subject"] = subject
    message.set_content(body)
    if prints_to_console():
        console_mail.info("\n----- Email (no MAIL_SERVER set, not sent) -----\nTo: %s\nSubject: %s\n\n%s\n"
                          "-----------------------------------------------", to, subject, body)
        return Delivery.CONSOLE
    if not config.get("MAIL_SERVER"):
        current_app.logger.error("Email %r not sent: MAIL_SERVER is not set.", subject)
        return Delivery.NOT_SENT
    try:
        _send_smtp(config, message)
    except (smtplib.SMTPException, OSError) as error:
        current_app.logger.error("Email %r to %s not sent: %s: %s", subject, to, type(error).__name__, error)
        return Delivery.NOT_SENT
    return Delivery.SENT


def _send_smtp(config, message: EmailMessage) -> None:
    """MAIL_SECURITY: `starttls` (upgrade on port 587, the default), `ssl` (TLS from the first
    byte, port 465) or `none` (a local relay)."""
    security = (config.get("MAIL_SECURITY") or "starttls").lower()
    port = int(config.get("MAIL_PORT") or (465 if security == "ssl" else 587))
    connect = smtplib.SMTP_SSL if security == "ssl" else smtplib.SMTP
    with connect(config["MAIL_SERVER"], port, timeout=10) as smtp:
        if security == "starttls":
            smtp.starttls()
        if config.get("MAIL_USERNAME"):
            smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
        smtp.send_message(message)


def delivery_notice(delivery: Delivery, sent: str) -> str:
    """What the page says about a message: `sent` when it went, else where it went or that it did not."""
    if delivery is Delivery.CONSOLE:
        return CONSOLE_NOTICE
    if delivery is Delivery.NOT_SENT:
        return FAILED_NOTICE
    return sent

"""Outgoing email: SMTP when MAIL_SERVER is set, otherwise the message goes to the log
(development), so a reset link can be followed without a mail server."""
from __future__ import annotations

import smtplib
from email.message import EmailMessage

from flask import current_app


def send_mail(to: str, subject: str, body: str) -> None:
    config = current_app.config
    message = EmailMessage()
    message["From"] = config["MAIL_FROM"]
    message["To"] = to
    message["Subject"] = subject
    message.set_content(body)
    if not config.get("MAIL_SERVER"):
        current_app.logger.info("Email to %s (no MAIL_SERVER set, not sent):\n%s\n%s", to, subject, body)
        return
    with smtplib.SMTP(config["MAIL_SERVER"], int(config.get("MAIL_PORT") or 587), timeout=10) as smtp:
        if config.get("MAIL_USE_TLS", True):
            smtp.starttls()
        if config.get("MAIL_USERNAME"):
            smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
        smtp.send_message(message)

"""The account mails: confirmation, "already registered" and password reset (sent by
directory/mail.py, with links built from PUBLIC_URL, never from the request)."""
from __future__ import annotations

from flask import current_app

from ..mail import Delivery, public_link, send_mail
from ..operations import accounts


def send_confirmation(user) -> Delivery:
    days = current_app.config["EMAIL_CONFIRM_MAX_AGE"] // 86400
    link = public_link("accounts.confirm", token=accounts.confirmation_token(user))
    return send_mail(user.email, "Confirm your CEO Directory account",
              f"Someone created a CEO Directory account with this address.\n\nTo confirm it is yours, open:\n{link}\n\n"
              f"The link works for {days} day(s). If you did not create the account, ignore this email.")


def send_already_registered(email: str) -> Delivery:
    """What registering a taken address does: tell the owner, not the person at the form."""
    link = public_link("accounts.reset_request")
    return send_mail(email, "Your CEO Directory account",
              "Someone tried to create a CEO Directory account with this address, which already has one.\n\n"
              f"If it was you, log in with your password, or choose a new one at:\n{link}\n\n"
              "If it was not you, ignore this email: nothing has changed.")


def send_reset(user) -> Delivery:
    hours = current_app.config["PASSWORD_RESET_MAX_AGE"] // 3600
    link = public_link("accounts.reset", token=accounts.reset_token(user))
    return send_mail(user.email, "Reset your CEO Directory password",
              f"Someone asked to reset the password of this account.\n\nTo choose a new password, open:\n{link}\n\n"
              f"The link works for {hours} hour(s). If you did not ask for it, ignore this email.")

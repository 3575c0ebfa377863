"""Validators and fields shared by the account, suggestion, objection and moderation forms."""
from __future__ import annotations

import re
from urllib.parse import urlsplit

from email_validator import EmailNotValidError, validate_email
from wtforms import StringField
from wtforms.validators import Optional, StopValidation, ValidationError

HTML_LIKE = re.compile(r"[<>]")
# What RFC 3986 never allows in a URL and a page or a JSON consumer could misread: quotes and
# angle brackets (they end an attribute or start markup), a backslash (browsers read it as a
# slash), a backtick, whitespace and control characters. A real link percent-encodes them.
NOT_IN_A_URL = re.compile(r'["<>\\`\s\x00-\x1f\x7f]')


def no_html(form, field) -> None:
    """Text is shown escaped everywhere; refusing markup up front keeps the queue readable."""
    if isinstance(field.data, str) and HTML_LIKE.search(field.data):
        raise ValidationError("Please remove the < and > characters: HTML is not accepted.")


def web_url(form, field) -> None:
    """Only http and https links with a host and only characters a URL may hold: nothing a
    browser could run, and nothing that breaks out of an attribute (evidence links are
    published as a source's URL, contact links as the link itself)."""
    if not field.data:
        return
    value = field.data.strip()
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc or NOT_IN_A_URL.search(value):
        raise ValidationError("Enter a full web address starting with https:// or http://.")


def at_most(length: int):
    """A length limit that ends validation: no later check (a pattern, the address parser)
    ever runs on a long input, so its cost stays bounded whatever is posted."""
    def check(form, field) -> None:
        if isinstance(field.data, str) and len(field.data) > length:
            raise StopValidation(f"Use at most {length} characters.")
    check.max_length = length  # how tests (and readers of a form) tell the limit from other checks
    return check


def honeypot():
    """The `homepage` field of a public form: hidden from people by CSS, filled by bots that
    fill every field. A view that finds it filled thanks the sender and stores nothing."""
    return StringField("Leave this empty", validators=[Optional(), at_most(1000)])


MAX_EMAIL_LENGTH = 254  # RFC 5321's limit on a forward path


def email_address(form, field) -> None:
    """A real address (email-validator, linear time, no DNS): nothing after it like
    `?bcc=` or a second `@` can slip into a mailto: link."""
    if not field.data:
        return
    try:
        validate_email(field.data.strip(), check_deliverability=False)
    except EmailNotValidError:
        raise ValidationError("Enter an email address like name@example.com.") from None


EMAIL_CHECKS = [at_most(MAX_EMAIL_LENGTH), email_address]

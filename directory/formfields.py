"""Validators shared by the account, suggestion and moderation forms."""
from __future__ import annotations

import re
from urllib.parse import urlsplit

from wtforms.validators import ValidationError

HTML_LIKE = re.compile(r"[<>]")


def no_html(form, field) -> None:
    """Text is shown escaped everywhere; refusing markup up front keeps the queue readable."""
    if isinstance(field.data, str) and HTML_LIKE.search(field.data):
        raise ValidationError("Please remove the < and > characters: HTML is not accepted.")


def web_url(form, field) -> None:
    """Only http and https links with a host, nothing a browser could run."""
    if not field.data:
        return
    parts = urlsplit(field.data.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc or " " in field.data.strip():
        raise ValidationError("Enter a full web address starting with https:// or http://.")

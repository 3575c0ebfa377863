"""URL slugs that are readable, stable and unique."""
from __future__ import annotations

import re
import unicodedata

from sqlalchemy import select

_NON_WORD = re.compile(r"[^a-z0-9]+")


def slugify(text: str, max_length: int = 80) -> str:
    """"Tesla, Inc." -> "tesla-inc"; "&VEST Fund" -> "and-vest-fund"; accents folded."""
    text = text.replace("&", " and ")
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = _NON_WORD.sub("-", text.lower()).strip("-")
    return slug[:max_length].rstrip("-") or "unnamed"


def unique_slug(session, model, text: str, *, taken_in=None) -> str:
    """The slug for `text`, suffixed -2, -3, ... when another row (or an old slug) has it."""
    base = slugify(text)
    candidate, number = base, 1
    while _slug_taken(session, model, candidate) or (taken_in and _slug_taken(session, taken_in, candidate)):
        number += 1
        candidate = f"{base}-{number}"
    return candidate


def _slug_taken(session, model, slug: str) -> bool:
    with session.no_autoflush:
        return session.scalar(select(model.slug).where(model.slug == slug).limit(1)) is not None


def initial_of(name: str) -> str:
    """The A-Z browsing letter of a name; '#' for names that start with a digit or symbol."""
    for ch in unicodedata.normalize("NFKD", name).upper():
        if ch.isalpha() and ch.isascii():
            return ch
        if ch.isalnum() or not ch.isspace():
            return "#"
    return "#"

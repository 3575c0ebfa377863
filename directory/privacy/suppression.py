"""The suppression list: values an upheld objection removed, which nothing may publish again.

Every path that writes a contact value or a person's listing at a company (the EDGAR and
Companies House stores, the bulk fast path, the snapshot import, contributions) builds the
value's key with `contact_key` or `listing_key` and asks `suppressed` before writing. Keys are
canonical (an email in lower case, a phone as its last ten digits, a web address without
scheme or "www."), so "+1 (408) 996-1010" and "408.996.1010" are the same suppressed number:
ten digits are the national number in the US and UK, whatever country prefix or trunk 0 came
before them.
"""
from __future__ import annotations

import re
from typing import Iterable

from sqlalchemy import select

from ..extensions import db
from ..models import Suppression

REDACTED = "[removed on request]"  # what the public history shows in place of a suppressed value
# Contact kinds that name the same channel: a web form is suppressed as the page it lives on.
KIND_FAMILY = {"email": "email", "email_format": "email", "phone": "phone", "url": "url", "web_form": "url",
               "website": "url", "postal": "postal"}


def contact_key(kind: str, value: str) -> str:
    """The key of one contact value: "contact:phone:4089961010"."""
    family = KIND_FAMILY.get(kind, kind)
    text = " ".join(str(value).split()).lower()
    if family == "phone":
        text = re.sub(r"\D", "", text)[-10:]
    elif family == "url":
        text = re.sub(r"^[a-z]+://", "", text)
        text = text.removeprefix("www.").rstrip("/")
    return f"contact:{family}:{text}"


def listing_key(person_id: int, company_id: int) -> str:
    """The key of one person's listing at one company: "listing:12:34"."""
    return f"listing:{person_id}:{company_id}"


def suppressed(keys: Iterable[str]) -> set[str]:
    """Which of `keys` are on the suppression list (one query for a whole batch)."""
    wanted = {key for key in keys if key}
    if not wanted:
        return set()
    found: set[str] = set()
    ordered = sorted(wanted)
    for start in range(0, len(ordered), 500):  # stay under every database's parameter limit
        found.update(db.session.scalars(select(Suppression.key).where(Suppression.key.in_(ordered[start:start + 500]))))
    return found


def is_suppressed(key: str) -> bool:
    return bool(suppressed([key]))

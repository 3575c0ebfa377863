"""The suppression list: values an upheld objection removed, which nothing may publish again.

Every importer writes contact values and listings through `directory.importers.writer`, which
asks `suppressed` before each write; the snapshot import and contributions ask it too. Keys
are the one channel key of `scrapers.channels` (a phone as E.164 in the company's country, an
email in lower case, a web address without scheme or "www."), so "+1 (408) 996-1010" and
"408.996.1010" are the same suppressed number.
"""
from __future__ import annotations

from typing import Iterable

from sqlalchemy import select

from scrapers.channels import channel_key, family

from ..extensions import db
from ..models import Suppression

REDACTED = "[removed on request]"  # what the public history shows in place of a suppressed value


def contact_key(kind: str, value: str, country: str | None = None) -> str:
    """The key of one contact value: "contact:phone:+14089961010"; `country` is the company's."""
    return f"contact:{family(kind)}:{channel_key(kind, value, country)}"


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

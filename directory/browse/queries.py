"""Read helpers for the browse pages: listing statements and their sort order.

Every listing eager-loads only the current CEO of each company (the one column a row shows
besides name and country), so a page costs the same number of statements whether a company
has one executive or fifty. The counts beside each link are in `aggregates/counts.py`.
"""
from __future__ import annotations

import string

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from ..extensions import db
from ..models import Company, Position
from ..aggregates.counts import is_sic_code
from ..queries import recently_updated_stmt

LETTERS = tuple(string.ascii_uppercase) + ("#",)


def with_current_ceo(stmt):
    """`stmt` (selecting Company) with each company's current CEO positions, their people and
    sources loaded (the source takes part in choosing the CEO)."""
    ceo_positions = Company.positions.and_(Position.is_current.is_(True), Position.is_ceo.is_(True))
    return stmt.options(selectinload(ceo_positions).selectinload(Position.person),
                        selectinload(ceo_positions).selectinload(Position.source))


# Case-folded name, then id: unique, and served by the (key, lower(name), id) indexes.
LISTING_ORDER = (func.lower(Company.name, type_=Company.name.type), Company.id)


def _listing(*criteria):
    """Companies matching `criteria`, unordered: `keyset.paginate` adds LISTING_ORDER."""
    return with_current_ceo(select(Company).where(*criteria))


def companies_by_letter_stmt(letter: str):
    return _listing(Company.initial == letter)


def companies_by_country_stmt(code: str):
    return _listing(Company.country == code)


def companies_by_sector_stmt(key: str, label: str | None = None):
    """A SIC code's companies, or those without one whose named sector is `label` (the
    description counted under the slug `key`; any capitalisation of it)."""
    if is_sic_code(key):
        return _listing(Company.sic_code == key)
    return _listing(Company.sic_code.is_(None), func.lower(Company.sector) == (label or key).lower())


def recent_companies(limit: int = 10) -> list[Company]:
    """The companies whose records changed last, for the home page."""
    return list(db.session.scalars(with_current_ceo(recently_updated_stmt()).limit(limit)))


def last_updated():
    """When any company record last changed: the footer's "last updated" date."""
    return db.session.scalar(select(func.max(Company.updated_at)))

"""Read helpers for the browse pages: listing statements and the counts beside each link.

Every listing eager-loads only the current CEO of each company (the one column a row shows
besides name and country), so a page costs the same number of statements whether a company
has one executive or fifty.
"""
from __future__ import annotations

import string

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from .caching import aggregate
from .extensions import db
from .models import Company, Position
from .queries import recently_updated_stmt

LETTERS = tuple(string.ascii_uppercase) + ("#",)


def with_current_ceo(stmt):
    """`stmt` (selecting Company) with each company's current CEO positions and people loaded."""
    ceo_positions = Company.positions.and_(Position.is_current.is_(True), Position.is_ceo.is_(True))
    return stmt.options(selectinload(ceo_positions).selectinload(Position.person))


def _listing(*criteria):
    return with_current_ceo(
        select(Company).where(*criteria).order_by(func.lower(Company.name), Company.id)
    )


def companies_by_letter_stmt(letter: str):
    return _listing(Company.initial == letter)


def companies_by_country_stmt(code: str):
    return _listing(Company.country == code)


def companies_by_sector_stmt(sic_code: str):
    return _listing(Company.sic_code == sic_code)


def recent_companies(limit: int = 10) -> list[Company]:
    """The companies whose records changed last, for the home page."""
    return list(db.session.scalars(with_current_ceo(recently_updated_stmt()).limit(limit)))


@aggregate
def letter_counts() -> dict[str, int]:
    rows = db.session.execute(select(Company.initial, func.count(Company.id)).group_by(Company.initial))
    return {initial: count for initial, count in rows}


@aggregate
def country_counts() -> list[tuple[str, int]]:
    """(ISO code, number of companies) for every country with at least one company."""
    rows = db.session.execute(
        select(Company.country, func.count(Company.id))
        .where(Company.country.is_not(None))
        .group_by(Company.country)
        .order_by(Company.country)
    )
    return [(code, count) for code, count in rows]


@aggregate
def sector_counts() -> list[tuple[str, str | None, int]]:
    """(SIC code, description, number of companies), by SIC code."""
    rows = db.session.execute(
        select(Company.sic_code, func.max(Company.sector), func.count(Company.id))
        .where(Company.sic_code.is_not(None))
        .group_by(Company.sic_code)
        .order_by(Company.sic_code)
    )
    return [(code, sector, count) for code, sector, count in rows]


def sector_description(sic_code: str) -> str | None:
    return db.session.scalar(select(func.max(Company.sector)).where(Company.sic_code == sic_code))


def last_updated():
    """When any company record last changed: the footer's "last updated" date."""
    return db.session.scalar(select(func.max(Company.updated_at)))

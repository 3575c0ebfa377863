"""Read helpers shared by the pages, the API and the search results.

Each loads exactly what its page shows in a fixed number of queries (no N+1): the
relationships a page walks are eager-loaded with `selectinload`.
"""
from __future__ import annotations

from flask import abort
from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import case, select
from sqlalchemy.orm import selectinload

from .extensions import db
from .models import (
    Address,
    Brand,
    Company,
    CompanyName,
    CompanySlug,
    ComplaintRecord,
    Contact,
    Identifier,
    Person,
    Position,
    Suppression,
)

MAX_PAGE = 10_000


def page_arg() -> int:
    """The `?page=` number, kept between 1 and MAX_PAGE: a page number too large for the
    database's integers would otherwise turn an empty page into a server error."""
    from flask import request

    return max(1, min(request.args.get("page", 1, type=int), MAX_PAGE))


class ListPage(Pagination):
    """One page of a list already computed in Python, with `db.paginate`'s interface, so the
    pagination macro serves both."""

    def __init__(self, items: list, *, page: int, per_page: int):
        self._all = items
        super().__init__(page=page, per_page=per_page, max_per_page=None, error_out=False)

    def _query_items(self) -> list:
        return self._all[self._query_offset:self._query_offset + self.per_page]

    def _query_count(self) -> int:
        return len(self._all)


def company_record_options():
    """Everything a company record shows (page, API, snapshot), eager-loaded in one go."""
    return (
        selectinload(Company.old_slugs),
        selectinload(Company.identifiers).selectinload(Identifier.source),
        selectinload(Company.former_names).selectinload(CompanyName.source),
        selectinload(Company.addresses).selectinload(Address.source),
        selectinload(Company.positions).selectinload(Position.person),
        selectinload(Company.positions).selectinload(Position.source),
        selectinload(Company.contacts).selectinload(Contact.source),
        selectinload(Company.contacts).selectinload(Contact.position),
        selectinload(Company.brands).selectinload(Brand.source),
        selectinload(Company.complaint_records).joinedload(ComplaintRecord.source),
        selectinload(Company.website_source),
        selectinload(Company.parent).selectinload(Company.positions).selectinload(Position.person),
        selectinload(Company.subsidiaries),
    )


def company_by_slug(slug: str) -> tuple[Company | None, bool]:
    """The company for `slug` and whether `slug` is an old one (the caller redirects)."""
    company = db.session.scalar(
        select(Company).where(Company.slug == slug).options(*company_record_options())
    )
    if company is not None:
        return company, False
    company = db.session.scalar(
        select(Company).join(CompanySlug).where(CompanySlug.slug == slug)
        .options(*company_record_options())
    )
    return company, company is not None


def company_or_404(slug: str) -> Company:
    """The company for a current or old slug, for pages that act on it (no redirect needed)."""
    company, _ = company_by_slug(slug)
    if company is None:
        abort(404)
    return company


def person_or_gone(slug: str) -> Person:
    """The person for a page: 404 when unknown, 410 Gone when no listing is left because it
    was removed on request (their page and API record go; the sitemap lists only people with
    a listing)."""
    person = person_by_slug(slug)
    if person is None:
        abort(404)
    if not person.positions and db.session.scalar(
            select(Suppression.id).where(Suppression.key.like(f"listing:{person.id}:%")).limit(1)) is not None:
        abort(410, description="This person's listings were removed at their request.")
    return person


def person_by_slug(slug: str) -> Person | None:
    return db.session.scalar(
        select(Person).where(Person.slug == slug).options(
            selectinload(Person.positions).selectinload(Position.company),
            selectinload(Person.positions).selectinload(Position.source),
        )
    )


def companies_in_order(ids: list[int]) -> list[Company]:
    """Companies for ranked ids, in the same order, with their positions for the CEO column."""
    if not ids:
        return []
    order = case({company_id: rank for rank, company_id in enumerate(ids)}, value=Company.id)
    return list(db.session.scalars(
        select(Company).where(Company.id.in_(ids)).order_by(order).options(
            selectinload(Company.identifiers),
            selectinload(Company.positions).selectinload(Position.person),
            selectinload(Company.positions).selectinload(Position.source),
        )
    ))


def recently_updated_stmt():
    return select(Company).order_by(Company.updated_at.desc(), Company.id.desc())
